import { afterAll, describe, expect, it } from 'vitest';
import { loadFlow } from '../../sidecar/src/flows/definition/flow-store.ts';
import { GENERIC_OFFLINE_BODY } from '../../sidecar/src/flows/definition/offline-texts.ts';
import {
  DEFAULT_RECOVERY,
  loadRecoverySettings,
  saveRecoverySettings,
  UNPAID_FLOW,
} from '../../sidecar/src/flows/definition/recovery-settings.ts';
import { createTestDatabase } from '../helpers/database.ts';

/** The one offline text every shop had before per-method texts: the bank transfer's. */
const OLD_TRANSFER_TEXT =
  'Hello [customer_first_name],\n\nwe are still waiting for the transfer for order [order_number] ([order_total]). Our bank details:\n\n[bank_details]\n\nPlease put [order_number] in the transfer title.';

describe('an unpaid-order flow stored before per-method offline texts', async () => {
  const { database } = await createTestDatabase('offline_upgrade');
  const pool = database.pool;
  afterAll(() => database.close());
  const [shop] = await pool.query<import('mysql2/promise').ResultSetHeader>('INSERT INTO shops (url, webhook_secret) VALUES (?, ?)', [
    'https://old.example',
    'secret',
  ]);
  const shopId = shop.insertId;

  it('is read with its transfer text as the bank-transfer text, the generic text from the preset, and saved so', async () => {
    await saveRecoverySettings(pool, shopId, { ...DEFAULT_RECOVERY, enabled: true });
    // The stored version as an older sidecar wrote it: one offline text, no per-method ones.
    const stored = (await loadFlow(pool, shopId, UNPAID_FLOW))!;
    const old = {
      ...stored.definition,
      steps: stored.definition.steps.map((s) => ({
        ...s,
        email: { subject: s.email!.subject, body: s.email!.body, offlineBody: OLD_TRANSFER_TEXT },
      })),
    };
    await pool.query('UPDATE flow_versions SET definition = ? WHERE shop_id = ? AND flow_key = ? AND version = ?', [
      JSON.stringify(old),
      shopId,
      UNPAID_FLOW,
      stored.version,
    ]);

    const reminder = (await loadRecoverySettings(pool, shopId)).reminders[0]!;
    expect(reminder).toMatchObject({ offlineBody: GENERIC_OFFLINE_BODY, offlineBodies: { bacs: OLD_TRANSFER_TEXT } });
    // Saved back as read (the plugin's form does this), the merchant's transfer text stays the bank-transfer one.
    await saveRecoverySettings(pool, shopId, await loadRecoverySettings(pool, shopId));
    const [rows] = await pool.query<import('mysql2/promise').RowDataPacket[]>(
      'SELECT definition FROM flow_versions WHERE shop_id = ? AND flow_key = ? ORDER BY version DESC LIMIT 1',
      [shopId, UNPAID_FLOW],
    );
    const saved = typeof rows[0]!.definition === 'string' ? JSON.parse(rows[0]!.definition) : rows[0]!.definition;
    expect(saved.steps[0].email).toMatchObject({ offlineBody: GENERIC_OFFLINE_BODY, offlineBodies: { bacs: OLD_TRANSFER_TEXT } });
  });
});
