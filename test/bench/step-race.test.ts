import type { RowDataPacket } from 'mysql2';
import { describe, expect, it } from 'vitest';
import { enrollCarts, ourClaimCost, ourClaimPlan, raceOutcome, raceShop, sentCount, setShopState } from '../../sidecar/bench/race-ours.ts';
import { startWorkers } from '../../sidecar/bench/step-race.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { waitFor } from '../helpers/processes.ts';

// The step race of `npm run bench` (sidecar/bench/step-race.ts) is only worth its table if our
// side really goes the step runner's whole way and counts from the database what happened.
const { database, url } = await createTestDatabase('step_race');
const pool = database.pool;
// A shop of its own for the claim test (raceShop's shop URL is one per database).
const claimDatabase = (await createTestDatabase('step_race_claim')).database;
const wake = await createTestDatabase('step_race_wake');

describe('the step race, our side', () => {
  it('works every due step once through two real sidecars (claim → render → outbox → no-op send) and counts it from the database', async () => {
    const shop = await raceShop(pool, 40);
    await enrollCarts(pool, shop, 0, 40, () => new Date(Date.now() - 1_000));
    const workers = await startWorkers('ours', 2, { BENCH_DATABASE_URL: url });
    // Paused until every worker is up: nothing is claimed before the clock starts.
    expect(await sentCount(pool)).toBe(0);
    await setShopState(pool, shop.shopId, 'active');
    workers.go();
    await waitFor(
      () => sentCount(pool),
      (n) => n >= 40,
      45_000,
      'the 40 race steps to be sent',
    );
    const done = await workers.stop();

    // Every send the dev outbox provider accepted, summed over both processes: one per step.
    expect(done.reduce((sum, d) => sum + d.sent, 0)).toBe(40);
    const outcome = await raceOutcome(pool, 40);
    expect(outcome).toMatchObject({ duplicates: 0, missing: 0 });
    expect(outcome.late).toHaveLength(40);
    expect(outcome.late.every((ms) => ms >= 0)).toBe(true);
    // The real path: each step rendered its email and moved its enrollment on.
    const [rows] = await pool.query<Array<{ subject: string; status: string } & RowDataPacket>>(
      'SELECT o.subject, e.status FROM outbox o JOIN enrollments e ON e.id = o.enrollment_id',
    );
    expect(rows).toHaveLength(40);
    expect(rows.every((r) => r.status === 'completed' && r.subject === 'You left items in your cart')).toBe(true);

    // A step that was never sent is counted missing.
    await enrollCarts(pool, shop, 40, 1, () => new Date(Date.now() + 3_600_000));
    expect((await raceOutcome(pool, 41)).missing).toBe(1);
  });

  it('claims by a range on enrollments_due, reading the due rows only, and hands its claims back', async () => {
    const shop = await raceShop(claimDatabase.pool, 0);
    await setShopState(claimDatabase.pool, shop.shopId, 'active');
    await enrollCarts(claimDatabase.pool, shop, 1_000, 60, () => new Date(Date.now() - 60_000));
    await enrollCarts(claimDatabase.pool, shop, 2_000, 5_000, (i) => new Date(Date.now() + 3_600_000 + i * 10));
    await claimDatabase.pool.query('ANALYZE TABLE enrollments');
    expect(await ourClaimPlan(claimDatabase.pool)).toMatch(/^range on enrollments_due, ~\d{1,3} rows/);
    expect(await ourClaimCost(claimDatabase.pool, 3)).toHaveLength(3);
    const [[left]] = await claimDatabase.pool.query<RowDataPacket[]>(
      'SELECT COUNT(*) AS n FROM enrollments WHERE shop_id = ? AND locked_at IS NOT NULL',
      [shop.shopId],
    );
    expect(Number(left!.n)).toBe(0);
  });

  it('sends a step due by time alone at its due time, not at the next poll (a real sidecar polling every minute)', async () => {
    const shop = await raceShop(wake.database.pool, 3);
    await setShopState(wake.database.pool, shop.shopId, 'active');
    // Its start-up poll finds nothing and arms for a minute.
    const workers = await startWorkers('ours', 1, { BENCH_DATABASE_URL: wake.url, BENCH_POLL_MS: '60000' });
    const dueAt = Date.now() + 2_000;
    await enrollCarts(wake.database.pool, shop, 0, 3, () => new Date(dueAt));
    // The 'go' kick's run finds the steps not yet due; the loop then looks up the earliest due
    // step and wakes for it. Without that, only the poll a minute on could send them (the wait below is half that).
    workers.go();
    await waitFor(
      () => sentCount(wake.database.pool),
      (n) => n >= 3,
      30_000,
      'the 3 steps to be sent at their due time',
    );
    await workers.stop();
    const [rows] = await wake.database.pool.query<Array<{ sent_at: Date } & RowDataPacket>>('SELECT sent_at FROM outbox');
    // Never before it was due.
    expect(rows.every((r) => r.sent_at.getTime() >= dueAt - 1)).toBe(true);
  });
});
