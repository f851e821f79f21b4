import { __ } from '@wordpress/i18n';
import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { saveDocument } from '../woo/shop-profile.ts';
import { alertSettingsDocument } from './alert-store.ts';

/**
 * Where a shop's alerts are emailed. `null`: nowhere yet — alerts are shown in the admin only until
 * the merchant gives an address. (The sidecar's own sender, e.g. reminders@localhost, is no inbox
 * anyone reads: mailing alerts there told the merchant they were covered when nobody was.)
 */
export const alertSettingsSchema = z.object({
  email: z.preprocess(
    // The admin UI sends an emptied field as ''; that means "no address of its own".
    (value) => (typeof value === 'string' ? value.trim() || null : value),
    z
      .email({ error: () => __('Enter an email address, or leave the field empty to see alerts here only.', 'comeback') })
      .max(254)
      .nullable(),
  ),
});

export type AlertSettings = z.infer<typeof alertSettingsSchema>;

export const DEFAULT_ALERT_SETTINGS: AlertSettings = { email: null };

export async function loadAlertSettings(pool: Pool, shopId: number): Promise<AlertSettings> {
  return parseAlertSettings(await alertSettingsDocument(pool, shopId));
}

export async function saveAlertSettings(pool: Pool, shopId: number, settings: AlertSettings): Promise<void> {
  await saveDocument(pool, shopId, 'alerts', alertSettingsSchema, settings);
}

/** A stored `alerts` document (null: none); one that does not fit the schema counts as unset. */
export function parseAlertSettings(document: unknown): AlertSettings {
  const parsed = alertSettingsSchema.safeParse(document);
  return parsed.success ? parsed.data : DEFAULT_ALERT_SETTINGS;
}
