import { z } from 'zod';
import type { Queryable } from '../db/queryable.ts';
import { settingsDocument, upsertSettingsDocument } from '../woo/settings-store.ts';

/** How long personal data is kept, in days, per kind (the `retention` settings document). */
export type RetentionSettings = {
  /** Raw webhook bodies (the order as WooCommerce sent it, with the customer's addresses); the order's latest state stays in `orders`. */
  webhookBodiesDays: number;
  /** Message subjects' bodies (HTML and text); who, when, which step and what happened stay for the reports. */
  messageBodiesDays: number;
  /** Why a step did or did not send (the queue's "why"); the hold-out marks the customer report counts stay. */
  stepLogDays: number;
  /** The browser of a click; the click itself stays for the reports. */
  clickDetailsDays: number;
  /** Carts never ordered, counted from their last activity. */
  unorderedCartsDays: number;
  /** SMS and WhatsApp messages customers sent. */
  inboundMessagesDays: number;
};

export const RETENTION_DEFAULTS: RetentionSettings = {
  webhookBodiesDays: 30,
  messageBodiesDays: 90,
  stepLogDays: 180,
  clickDetailsDays: 90,
  unorderedCartsDays: 60,
  inboundMessagesDays: 365,
};

const MAX_DAYS = 3_650;
const days = (what: string) =>
  z
    .number({ error: `How long to keep ${what} must be a number of days.` })
    .int({ error: `How long to keep ${what} must be a whole number of days.` })
    .min(1, { error: `Keep ${what} at least 1 day.` })
    .max(MAX_DAYS, { error: `Keep ${what} at most ${MAX_DAYS} days (10 years).` });

/** PUT /api/settings/retention: every period in whole days, 1 to 3,650; a period left out keeps its value. */
export const retentionSchema = z.strictObject({
  webhookBodiesDays: days('order updates received from the shop').optional(),
  messageBodiesDays: days('message texts').optional(),
  stepLogDays: days('the step log').optional(),
  clickDetailsDays: days('the browser of a click').optional(),
  unorderedCartsDays: days('carts never ordered').optional(),
  inboundMessagesDays: days('messages customers sent').optional(),
});

/** The shop's retention periods: what the merchant set over the defaults. */
export async function loadRetention(db: Queryable, shopId: number): Promise<RetentionSettings> {
  const stored = (await settingsDocument(db, shopId, 'retention'))?.value;
  const parsed = retentionSchema.safeParse(stored ?? {});
  return { ...RETENTION_DEFAULTS, ...(parsed.success ? parsed.data : {}) };
}

export async function saveRetention(db: Queryable, shopId: number, change: z.output<typeof retentionSchema>): Promise<RetentionSettings> {
  const next = { ...(await loadRetention(db, shopId)), ...change };
  await upsertSettingsDocument(db, shopId, 'retention', JSON.stringify(next));
  return next;
}
