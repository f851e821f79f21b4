import type { FlowStep, SendWindow } from '../flows/flow-types.ts';

export type CampaignStatus = 'draft' | 'scheduled' | 'sending' | 'sent' | 'cancelled';

export type CampaignStats = { entered: number; messaged: number; heldOut: number; sent: number; orders: number; revenue: string };

/** As GET /api/campaigns lists them. */
export type Campaign = {
  id: number;
  name: string;
  tags: string[];
  excludeTags?: string[];
  sendAt: string | null;
  perMinute: number;
  status: CampaignStatus;
  /** How many entered at the launch; null before. */
  audience: number | null;
  holdOutPercent: number;
  sendWindow?: SendWindow | null;
  step: FlowStep;
  stats?: CampaignStats;
};

/** What POST /api/campaigns and PUT /api/campaigns/:id take. */
export type CampaignInput = { name: string; tags: string[]; excludeTags: string[]; sendAt: string | null; perMinute: number; holdOutPercent: number; sendWindow: SendWindow | null; step: FlowStep };

export type AudienceSize = { customers: number; reachable: number; optedOut: number; heldOutEstimate: number };

export const editable = (status: CampaignStatus) => status === 'draft' || status === 'scheduled';

export function newCampaign(): CampaignInput {
  return {
    name: '',
    tags: [],
    excludeTags: [],
    sendAt: null,
    perMinute: 60,
    holdOutPercent: 0,
    sendWindow: { start: '09:00', end: '20:00' },
    step: {
      delay: { value: 0, unit: 'minutes' },
      channels: ['email'],
      conditions: [],
      email: { subject: 'News from [shop_name]', body: 'Hello [customer_first_name],\n\n…\n\n[unsubscribe_link]' },
    },
  };
}

export const inputOf = (c: Campaign): CampaignInput => ({ name: c.name, tags: c.tags, excludeTags: c.excludeTags ?? [], sendAt: c.sendAt, perMinute: c.perMinute, holdOutPercent: c.holdOutPercent, sendWindow: c.sendWindow ?? null, step: c.step });

/** A datetime-local value ("2026-05-04T10:30") from an ISO time, in the browser's zone. */
export function localInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
