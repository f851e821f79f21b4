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

/** A personal coupon created in WooCommerce for the customer when the step goes ([coupon_code] shows it). */
export type CouponOffer = { type: 'fixed_cart'; amount: number } | { type: 'percent'; amount: number } | { type: 'product'; productId: number };
/** After N days, or before the next visit the customer's own rhythm says to expect (within minDays–maxDays). */
export type CouponExpiry = { mode: 'days'; days: number } | { mode: 'rhythm'; minDays: number; maxDays: number };
export type StepCoupon = { offer: CouponOffer; expiry: CouponExpiry };

export type FlowStep = {
  delay: Delay;
  /** Tried in this order: the first the customer can be reached on is used. */
  channels: Channel[];
  email?: EmailTemplate;
  sms?: TextTemplate;
  whatsapp?: WhatsAppTemplate;
  conditions: StepCondition[];
  coupon?: StepCoupon;
};

export type Gateways = { online: string[]; offline: string[]; never: string[] };

export type Trigger =
  | { event: 'order.unpaid'; gateways: Gateways }
  | { event: 'cart.abandoned'; afterMinutes: number }
  | { event: 'order.placed' }
  | { event: 'order.completed' }
  | { event: 'order.shipped' }
  /** Win-back: no purchase for `factor` times the customer's own interval, and at least `minDays`. */
  | { event: 'customer.lapsed'; factor: number; minDays: number; perMinute: number | null }
  | { event: 'campaign' }
  | { event: 'voucher.issued' }
  | { event: 'voucher.expiring'; daysBefore: number }
  | { event: 'customer.birthday' }
  | { event: 'nps.requested' }
  | { event: 'balance.updated' };
export type TriggerEvent = Trigger['event'];

export type SendWindow = { start: string; end: string };

export type FlowDefinition = {
  name: string;
  purpose: 'transactional' | 'marketing';
  trigger: Trigger;
  /** `tags`: the customer must have one of these segments (empty: anyone); `excludeTags`: none of these. */
  audience: { minTotal?: number; countries: string[]; tags: string[]; excludeTags: string[] };
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
export const MAX_AUDIENCE_TAGS = 20;
export const MAX_CONDITIONS = 5;
export const MAX_PARAMETERS = 10;
