import type { Pool, RowDataPacket } from 'mysql2/promise';
import { z } from 'zod';
import { jsonColumn } from '../db/json-column.ts';

/**
 * The merchant's "recover unpaid orders" settings: on/off, one or more reminders (each a delay
 * after the order was placed, a subject and two bodies), and which gateways are online (a
 * resume-payment link makes sense) or offline (bank transfer details make sense).
 */
const delay = z.object({
  value: z.number().int().min(1).max(10_000),
  unit: z.enum(['minutes', 'hours', 'days']),
});

export const reminderSchema = z.object({
  delay,
  subject: z.string().min(1).max(300),
  onlineBody: z.string().min(1).max(20_000),
  offlineBody: z.string().min(1).max(20_000),
});

export const recoverySettingsSchema = z.object({
  enabled: z.boolean(),
  reminders: z.array(reminderSchema).min(1).max(5),
  gateways: z.object({
    /** Patterns: exact ids, or a prefix ending in `*` (payu* matches payustandard). */
    online: z.array(z.string().min(1)).default([]),
    offline: z.array(z.string().min(1)).default([]),
    never: z.array(z.string().min(1)).default([]),
  }),
});

export type RecoverySettings = z.infer<typeof recoverySettingsSchema>;
export type Reminder = z.infer<typeof reminderSchema>;

export const DEFAULT_GATEWAYS: RecoverySettings['gateways'] = {
  // Core and the gateways merchants in our markets use; unknown gateways are treated as online.
  online: ['payu*', 'tpay*', 'przelewy24*', 'stripe*', 'ppcp-gateway', 'paypal*', 'woocommerce_payments', 'mollie_wc_gateway_*'],
  // WooCommerce puts these on hold: the customer pays by transfer or cheque.
  offline: ['bacs', 'cheque'],
  // Paid on delivery: there is nothing to remind about.
  never: ['cod'],
};

export const DEFAULT_RECOVERY: RecoverySettings = {
  enabled: false,
  reminders: [
    {
      delay: { value: 1, unit: 'hours' },
      subject: 'Your order [order_number] is waiting for payment',
      onlineBody:
        'Hello [customer_first_name],\n\nyour order [order_number] at [shop_name] is not paid yet. You can finish the payment here: [payment_link text="Pay for your order"]\n\n[order_items]',
      offlineBody:
        'Hello [customer_first_name],\n\nwe are still waiting for the transfer for order [order_number] ([order_total]). Our bank details:\n\n[bank_details]\n\nPlease put [order_number] in the transfer title.',
    },
  ],
  gateways: DEFAULT_GATEWAYS,
};

export function delayMs(reminder: Reminder): number {
  const unit = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 }[reminder.delay.unit];
  return reminder.delay.value * unit;
}

export async function loadRecoverySettings(pool: Pool, shopId: number): Promise<RecoverySettings> {
  const [rows] = await pool.query<RowDataPacket[]>("SELECT value FROM settings WHERE shop_id = ? AND `key` = 'recovery'", [shopId]);
  if (!rows[0]) return DEFAULT_RECOVERY;
  return recoverySettingsSchema.parse(jsonColumn(rows[0].value));
}

export async function saveRecoverySettings(pool: Pool, shopId: number, settings: RecoverySettings): Promise<void> {
  const valid = recoverySettingsSchema.parse(settings);
  await pool.query(
    "INSERT INTO settings (shop_id, `key`, value) VALUES (?, 'recovery', ?) ON DUPLICATE KEY UPDATE value = VALUES(value), version = version + 1, updated_at = CURRENT_TIMESTAMP(3)",
    [shopId, JSON.stringify(valid)],
  );
}
