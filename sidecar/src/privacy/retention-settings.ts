import { __, sprintf } from '@wordpress/i18n';
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
/** A period in days; `what` names the data kept, worded (like the refusals) in the request's language. */
const days = (what: () => string) =>
  z
    // translators: %s: the data kept, e.g. "message texts".
    .number({ error: () => sprintf(__('How long to keep %s must be a number of days.', 'comeback'), what()) })
    // translators: %s: the data kept, e.g. "message texts".
    .int({ error: () => sprintf(__('How long to keep %s must be a whole number of days.', 'comeback'), what()) })
    // translators: %s: the data kept, e.g. "message texts".
    .min(1, { error: () => sprintf(__('Keep %s at least 1 day.', 'comeback'), what()) })
    // translators: 1: the data kept, e.g. "message texts", 2: the most days.
    .max(MAX_DAYS, { error: () => sprintf(__('Keep %1$s at most %2$d days (10 years).', 'comeback'), what(), MAX_DAYS) });

/** PUT /api/settings/retention: every period in whole days, 1 to 3,650; a period left out keeps its value. */
export const retentionSchema = z.strictObject({
  webhookBodiesDays: days(() => __('order updates received from the shop', 'comeback')).optional(),
  messageBodiesDays: days(() => __('message texts', 'comeback')).optional(),
  stepLogDays: days(() => __('the step log', 'comeback')).optional(),
  clickDetailsDays: days(() => __('the browser of a click', 'comeback')).optional(),
  unorderedCartsDays: days(() => __('carts never ordered', 'comeback')).optional(),
  inboundMessagesDays: days(() => __('messages customers sent', 'comeback')).optional(),
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
