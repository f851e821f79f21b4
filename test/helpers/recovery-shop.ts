import type { Pool, ResultSetHeader } from 'mysql2/promise';
import { DEFAULT_RECOVERY, saveRecoverySettings } from '../../sidecar/src/flows/definition/recovery-settings.ts';

/** A shop row for the stand-in shop at `url`, with unpaid-order recovery on: reminders an hour and a day after the order. Answers its id. */
export async function shopWithTwoReminders(pool: Pool, url: string): Promise<number> {
  const [r] = await pool.query<ResultSetHeader>('INSERT INTO shops (url, webhook_secret) VALUES (?, ?)', [url, 'x']);
  const [first] = DEFAULT_RECOVERY.reminders;
  await saveRecoverySettings(pool, r.insertId, {
    ...DEFAULT_RECOVERY,
    enabled: true,
    reminders: [
      { ...first!, delay: { value: 1, unit: 'hours' } },
      { ...first!, delay: { value: 1, unit: 'days' } },
    ],
  });
  return r.insertId;
}
