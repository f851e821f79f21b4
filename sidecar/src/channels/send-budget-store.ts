import { execute, selectRows, type Queryable } from '../db/queryable.ts';

/** Takes one of the day's `limit` slots for the shop's channel; false when none is left (the refusal is counted as held). */
export async function takeSendSlot(db: Queryable, slot: { shopId: number; channel: string; day: string; limit: number }): Promise<boolean> {
  await execute(db, 'INSERT IGNORE INTO send_budgets (shop_id, channel, day, used, held) VALUES (?, ?, ?, 0, 0)', [
    slot.shopId,
    slot.channel,
    slot.day,
  ]);
  const taken = await execute(db, 'UPDATE send_budgets SET used = used + 1 WHERE shop_id = ? AND channel = ? AND day = ? AND used < ?', [
    slot.shopId,
    slot.channel,
    slot.day,
    slot.limit,
  ]);
  if (taken.affectedRows === 1) return true;
  await execute(db, 'UPDATE send_budgets SET held = held + 1 WHERE shop_id = ? AND channel = ? AND day = ?', [
    slot.shopId,
    slot.channel,
    slot.day,
  ]);
  return false;
}

/** Gives a slot back: the provider did not take the message. */
export async function returnSendSlot(db: Queryable, slot: { shopId: number; channel: string; day: string }): Promise<void> {
  await execute(db, 'UPDATE send_budgets SET used = used - 1 WHERE shop_id = ? AND channel = ? AND day = ? AND used > 0', [
    slot.shopId,
    slot.channel,
    slot.day,
  ]);
}

/** What the shop's channels used on `day`. */
export async function sendBudgetsOn(
  db: Queryable,
  shopId: number,
  day: string,
): Promise<Array<{ channel: string; used: number; held: number }>> {
  return selectRows(db, 'SELECT channel, used, held FROM send_budgets WHERE shop_id = ? AND day = ?', [shopId, day], (r) => ({
    channel: r.str('channel'),
    used: r.num('used'),
    held: r.num('held'),
  }));
}
