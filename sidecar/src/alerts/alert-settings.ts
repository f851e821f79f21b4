import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { saveDocument } from '../woo/shop-profile.ts';
import { alertSettingsDocument } from './alert-store.ts';

/**
 * Where a shop's alerts are emailed. `null`: to the sender address of the sidecar's mail
 * (COMEBACK_MAIL_FROM), so an alert always has somewhere to go.
 */
export const alertSettingsSchema = z.object({
  email: z.preprocess(
    // The admin UI sends an emptied field as ''; that means "no address of its own".
    (value) => (typeof value === 'string' ? value.trim() || null : value),
    z.email({ error: 'must be an email address, or null to use the sender address' }).max(254).nullable(),
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

/** The shop's own alert address, else the address inside the sender (`Comeback <reminders@…>` → `reminders@…`). */
export function effectiveAlertEmail(settings: AlertSettings, mailFrom: string): string {
  return settings.email ?? senderAddress(mailFrom);
}

/** The bare address of a From header value ("Name <a@b>" or "a@b"). */
export function senderAddress(from: string): string {
  return (/<([^<>]+)>\s*$/.exec(from)?.[1] ?? from).trim();
}
