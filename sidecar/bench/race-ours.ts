import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { PRESETS } from '../src/flows/definition/presets.ts';
import { saveFlow } from '../src/flows/definition/flow-store.ts';
import { claimDue, claimDueSql } from '../src/flows/steps/step-store.ts';

// Our side of the step race (step-race.ts): the rows a due step needs, and what became of them.

export const RACE_FLOW = 'bench-race';

/**
 * A shop with a one-step email cart flow (no delay, no send window, no coupon, no condition), and
 * `count` abandoned carts whose shoppers gave cart consent by email: each enrollment's step goes
 * the whole real way (claim → cart read → consent → render → outbox row → dev outbox "send").
 * The shop starts paused, so sidecars can start without claiming anything; `state` sets it.
 */
export type RaceShop = { shopId: number; version: number; firstCart: number };

export async function raceShop(pool: Pool, count: number): Promise<RaceShop> {
  const [shop] = await pool.query<ResultSetHeader>(
    "INSERT INTO shops (url, name, webhook_secret, consumer_key, consumer_secret, state) VALUES ('https://race.bench.invalid', 'Race Shop', 'race-secret', 'ck_race', 'cs_race', 'paused')",
  );
  const shopId = shop.insertId;
  const cart = PRESETS['abandoned-cart'];
  const flow = await saveFlow(
    pool,
    shopId,
    RACE_FLOW,
    { ...cart, name: 'Race', sendWindow: null, steps: [{ ...cart.steps[1]!, delay: { value: 0, unit: 'minutes' } }] },
    true,
  );
  const items = JSON.stringify([{ productId: 7, variationId: 0, quantity: 1, name: 'Blue mug', price: '12.00', total: '12.00' }]);
  for (let start = 0; start < count; start += 5_000) {
    const carts = [];
    const consents = [];
    for (let i = start; i < Math.min(count, start + 5_000); i++) {
      const email = raceEmail(i);
      carts.push([shopId, `s${i}`, `race-${i}`, email, email, 'Ann', items, '12.00', 'EUR', 'abandoned', 'classic', new Date()]);
      consents.push([shopId, 'cart', 'email', email, 'granted', 'checkout']);
    }
    await pool.query(
      'INSERT INTO carts (shop_id, session_key, ref, email, customer_key, first_name, contents, total, currency, status, source, last_activity_at) VALUES ?',
      [carts],
    );
    await pool.query('INSERT INTO consents (shop_id, purpose, channel, address, status, source) VALUES ?', [consents]);
  }
  const [[first]] = await pool.query<RowDataPacket[]>('SELECT MIN(id) AS id FROM carts WHERE shop_id = ?', [shopId]);
  return { shopId, version: flow.version, firstCart: Number(first!.id ?? 1) };
}

export const raceEmail = (i: number) => `shopper${i}@race.bench.invalid`;

export async function setShopState(pool: Pool, shopId: number, state: 'active' | 'paused'): Promise<void> {
  await pool.query('UPDATE shops SET state = ? WHERE id = ?', [state, shopId]);
}

/**
 * Enrollments `from` … `from + count − 1` of the carts of raceShop, each step due at `dueAt(i)`;
 * entered then too (the step has no delay), so a step's lateness is its send time minus entered_at.
 * (The claim-cost rows, never worked, have no cart behind them.)
 */
export async function enrollCarts(pool: Pool, fixture: RaceShop, from: number, count: number, dueAt: (i: number) => Date) {
  const { firstCart } = fixture;
  for (let start = from; start < from + count; start += 5_000) {
    const rows = [];
    for (let i = start; i < Math.min(from + count, start + 5_000); i++) {
      const due = dueAt(i);
      rows.push([fixture.shopId, RACE_FLOW, fixture.version, 'cart', String(firstCart + i), 'active', 0, due, due, raceEmail(i)]);
    }
    await pool.query(
      'INSERT INTO enrollments (shop_id, flow, flow_version, subject_type, subject_id, status, step, next_step_at, entered_at, customer_key) VALUES ?',
      [rows],
    );
  }
}

export async function sentCount(pool: Pool): Promise<number> {
  const [[row]] = await pool.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM outbox WHERE status = 'sent'");
  return Number(row!.n);
}

/**
 * What the database says at the end: outbox rows beyond one per enrollment step (duplicates),
 * enrollments whose step was never sent (missing), and each step's lateness (sent − due, ms).
 */
export async function raceOutcome(pool: Pool, count: number): Promise<{ duplicates: number; missing: number; late: number[] }> {
  const [[dup]] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) - COUNT(DISTINCT enrollment_id, step) AS n FROM outbox');
  const [late] = await pool.query<RowDataPacket[]>(
    `SELECT TIMESTAMPDIFF(MICROSECOND, e.entered_at, o.sent_at) / 1000 AS ms FROM enrollments e
     JOIN outbox o ON o.enrollment_id = e.id AND o.step = e.step AND o.status = 'sent' WHERE e.flow = ?`,
    [RACE_FLOW],
  );
  const ms = late.map((r) => Number(r.ms)).sort((a, b) => a - b);
  // A send tried again waits the dispatcher's backoff (a minute): say so, with the reason, beside a long tail.
  const [retried] = await pool.query<RowDataPacket[]>(
    'SELECT COUNT(*) AS n, MIN(last_error) AS reason FROM outbox WHERE attempts > 1 OR last_error IS NOT NULL',
  );
  if (Number(retried[0]!.n) > 0)
    console.error(`race: ${retried[0]!.n} send(s) tried more than once (${retried[0]!.reason ?? 'no reason kept'})`);
  return { duplicates: Number(dup!.n), missing: count - ms.length, late: ms };
}

/**
 * The step runner's own claim (claimDue: one locking range scan of enrollments_due) of a batch of
 * 50 due steps, timed; the claims are handed back after each round so the due set stays the same.
 */
export async function ourClaimCost(pool: Pool, rounds: number): Promise<number[]> {
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const now = new Date();
    const t0 = performance.now();
    const claimed = await claimDue(pool, { now, leaseMs: 300_000, limit: 50, workerName: 'bench-claim' });
    times.push(performance.now() - t0);
    if (claimed.length < 50) throw new Error(`claimed ${claimed.length} of 50 due steps`);
    await pool.query('UPDATE enrollments SET locked_at = NULL WHERE id IN (?)', [claimed.map((c) => c.id)]);
  }
  return times.sort((a, b) => a - b);
}

/** The claim's plan as MariaDB chooses it now: the index, the access type, the rows it expects to read. */
export async function ourClaimPlan(pool: Pool): Promise<string> {
  const now = new Date();
  const [[plan]] = await pool.query<RowDataPacket[]>(`EXPLAIN ${claimDueSql(false)}`, [now, new Date(now.getTime() - 300_000), 50]);
  return `${plan!.type} on ${plan!.key}, ~${fmtInt(Number(plan!.rows))} rows${plan!.Extra ? `, ${plan!.Extra}` : ''}`;
}

const fmtInt = (n: number) => n.toLocaleString('en-US');
