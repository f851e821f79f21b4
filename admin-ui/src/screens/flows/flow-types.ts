/**
 * A flow as /api/flows sends and takes it. The sidecar's zod schema
 * (sidecar/src/flows/flow-definition.ts) is the truth; these mirror its output types.
 */
export const CHANNELS = ['sms', 'whatsapp', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];
export type ChannelsConfigured = Record<Channel, boolean>;

export type DelayUnit = 'minutes' | 'hours' | 'days';
export type Delay = { value: number; unit: DelayUnit };

/** `offlineBody`: in unpaid-order flows, the text for orders paid by bank transfer or cheque. */
export type TextTemplate = { body: string; offlineBody?: string };
export type EmailTemplate = { subject: string; body: string; offlineBody?: string };
export type WhatsAppTemplate = { template: { name: string; language: string; parameters: string[] }; text: TextTemplate };

export type StepCondition = { kind: 'low_stock'; below: number } | { kind: 'min_total'; amount: number };

export type FlowStep = {
  delay: Delay;
  /** Tried in this order: the first the customer can be reached on is used. */
  channels: Channel[];
  email?: EmailTemplate;
  sms?: TextTemplate;
  whatsapp?: WhatsAppTemplate;
  conditions: StepCondition[];
};

export type Gateways = { online: string[]; offline: string[]; never: string[] };

export type Trigger =
  | { event: 'order.unpaid'; gateways: Gateways }
  | { event: 'cart.abandoned'; afterMinutes: number }
  | { event: 'order.placed' }
  | { event: 'order.completed' }
  | { event: 'order.shipped' };
export type TriggerEvent = Trigger['event'];

export type SendWindow = { start: string; end: string };

export type FlowDefinition = {
  name: string;
  purpose: 'transactional' | 'marketing';
  trigger: Trigger;
  audience: { minTotal?: number; countries: string[] };
  steps: FlowStep[];
  exit: { onPurchase: boolean; events: string[] };
  /** In the customer's local time; null = any time. */
  sendWindow: SendWindow | null;
  holdOutPercent: number;
};

/** Version 0: a preset never saved (as shipped). */
export type StoredFlow = { key: string; version: number; enabled: boolean; preset: boolean; updatedAt: string | null; definition: FlowDefinition };
export type FlowDetail = StoredFlow & { versions: Array<{ version: number; createdAt: string }> };
export type FlowList = { flows: StoredFlow[]; channels: ChannelsConfigured };

export const MAX_STEPS = 10;
export const MAX_CONDITIONS = 5;
export const MAX_PARAMETERS = 10;
