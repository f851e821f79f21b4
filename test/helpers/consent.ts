import type { Pool } from 'mysql2/promise';
import { recordConsent, recordForEveryPurpose, type Channel, type Purpose } from '../../sidecar/src/consent/consent.ts';

/**
 * A customer's consent as a test needs it, recorded through the consent rules as the shop would:
 * a grant as an import of an opt-in the shop holds (no confirmation email; or a checkout box, with its wording), a withdrawal as the
 * customer's unsubscribe (every purpose of the channel).
 */
export async function grantConsent(
  pool: Pool,
  shopId: number,
  grant: { purpose: Purpose; channel: Channel; address: string; claimedAt?: Date; source?: 'import' | 'checkout'; text?: string },
): Promise<void> {
  const result = await recordConsent(pool, { shopId, source: 'import', reason: 'test fixture', ...grant, status: 'granted' });
  if (result.outcome !== 'recorded') throw new Error(`the test's grant was ${result.outcome}: ${result.reason}`);
}

export async function withdrawConsent(pool: Pool, shopId: number, channel: Channel, address: string): Promise<void> {
  await recordForEveryPurpose(pool, { shopId, channel, address, status: 'withdrawn', source: 'unsubscribe' });
}
