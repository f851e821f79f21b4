import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { upsertOrder } from '../../sidecar/src/events/order-store.ts';
import { shopWithTwoReminders } from '../helpers/recovery-shop.ts';
import { orderPipe } from '../../sidecar/src/app/order-pipe.ts';
import type { StepMessage } from '../../sidecar/src/messages/step-message.ts';
import { runDueSteps, type StepRunnerDeps } from '../../sidecar/src/flows/steps/step-runner.ts';
import { claimDueSql } from '../../sidecar/src/flows/steps/step-store.ts';
import { PRESETS } from '../../sidecar/src/flows/definition/presets.ts';
import { enqueueMessage } from '../../sidecar/src/messages/outbox.ts';
import { orderPayload } from '../../sidecar/src/woo/order-payload.ts';
import { createWooClient } from '../../sidecar/src/woo/rest-client.ts';
import { LOCAL_NET, startFakeShop } from '../fakes/fake-woo-shop.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { createMetrics } from '../../sidecar/src/metrics/metrics.ts';
import { parseExposition } from '../../sidecar/bench/scrape-metrics.ts';

const orderChanges = orderPipe();

const HOUR = 3_600_000;

describe('the reminder step runner', async () => {
  const { database } = await createTestDatabase('step_runner');
  const pool = database.pool;
  const shop = await startFakeShop();
  afterAll(() => shop.close());
  let shopId = 0;
  let now = new Date();
  const queued: StepMessage[] = [];
  const deps: StepRunnerDeps = {
    pool,
    clock: () => now,
    workerName: 'test',
    orderChanges,
    wooClient: async () =>
      createWooClient({ url: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret }, { net: LOCAL_NET }),
    channels: () => ({ email: true, sms: false, whatsapp: false }),
    // The outbox is real; the message text is composed here (rendering has its own tests).
    async queueMessage(m) {
      queued.push(m);
      const gateway = m.subject.kind === 'order' ? m.subject.gateway : 'cart';
      return enqueueMessage(pool, {
        idempotencyKey: m.idempotencyKey,
        shopId: m.shopId,
        enrollmentId: m.enrollmentId,
        step: m.step,
        to: m.to,
        from: 'shop@example.test',
        subject: `${m.definition.email!.subject} #${m.subject.kind === 'order' ? m.subject.order.id : ''}`,
        html: `<p>${gateway}</p>`,
        text: String(gateway),
      });
    },
  };
  const pending = [...shop.orders.values()].find((o) => o.status === 'pending' && o.payment_method === 'payustandard')!;
  const orderId = pending.id as number;
  const placed = new Date(`${pending.date_created_gmt as string}Z`);

  beforeEach(async () => {
    for (const t of [
      'orders',
      'enrollments',
      'settings',
      'flows',
      'flow_versions',
      'step_log',
      'consents',
      'shops',
      'outbox',
      'attributions',
    ])
      await pool.query(`DELETE FROM ${t}`);
    shopId = await shopWithTwoReminders(pool, shop.url);
    shop.orders.set(orderId, { ...pending });
    queued.length = 0;
    now = new Date(placed.getTime() + 5 * 60_000);
    await upsertOrder(pool, shopId, orderPayload.parse(pending));
    expect(await orderChanges.changed(pool, shopId, orderId, now)).toBe('entered');
  });

  const enrollment = async () =>
    (await pool.query<RowDataPacket[]>('SELECT * FROM enrollments WHERE subject_id = ?', [String(orderId)]))[0][0]!;
  const outboxCount = async () => Number((await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM outbox'))[0][0]!.n);

  it('claims through the enrollments_due index without sorting, with or without paused shops to skip', async () => {
    const plans: Array<[string, unknown[]]> = [
      [claimDueSql(false), [new Date(), new Date(), 10]],
      [claimDueSql(true), [new Date(), new Date(), [3, 9], 10]],
    ];
    for (const [sql, params] of plans) {
      const [plan] = await pool.query<RowDataPacket[]>(`EXPLAIN ${sql.replace(' FOR UPDATE SKIP LOCKED', '')}`, params);
      expect(plan).toHaveLength(1); // one table: the held shops are a list, no join
      expect(plan[0]!.key).toBe('enrollments_due');
      expect(String(plan[0]!.Extra)).not.toMatch(/filesort/i);
    }
  });

  it('does nothing before the first reminder is due', async () => {
    expect(await runDueSteps(deps)).toEqual({ claimed: 0, queued: 0, skipped: 0, deferred: 0, exited: 0, completed: 0, failed: 0 });
  });

  it('queues the due reminder once, for the online gateway, and schedules the next one from the order time', async () => {
    now = new Date(placed.getTime() + HOUR + 1_000);
    expect((await runDueSteps(deps)).queued).toBe(1);
    expect(queued[0]).toMatchObject({
      step: 0,
      channel: 'email',
      subject: { kind: 'order', gateway: 'online' },
      idempotencyKey: `enrollment:${(await enrollment()).id}:step:0`,
    });
    const e = await enrollment();
    expect(e.step).toBe(1);
    expect((e.next_step_at as Date).getTime()).toBe(placed.getTime() + 24 * HOUR);
    expect(await outboxCount()).toBe(1);
  });

  it('counts each claim, how late its steps were claimed after their due time, and what was done with them (/metrics)', async () => {
    const metrics = createMetrics();
    const dueAt = (await enrollment()).next_step_at as Date;
    now = new Date(dueAt.getTime() + 90_000);
    expect((await runDueSteps({ ...deps, metrics })).queued).toBe(1);
    await runDueSteps({ ...deps, metrics }); // nothing due: a claim, no step
    const samples = parseExposition(await metrics.registry.metrics());
    expect(samples.get('comeback_steps_claimed_total')).toBe(1);
    expect(samples.get('comeback_step_claim_seconds_count')).toBe(2);
    expect(samples.get('comeback_step_lateness_seconds_count')).toBe(1);
    expect(samples.get('comeback_step_lateness_seconds_sum')).toBe(90);
    expect(samples.get('comeback_step_lateness_seconds_bucket{le="60"}')).toBe(0);
    expect(samples.get('comeback_step_lateness_seconds_bucket{le="120"}')).toBe(1);
    expect(samples.get('comeback_steps_worked_total{outcome="queued"}')).toBe(1);
  });

  it('sends nothing to an order paid just before its reminder, and takes it out of recovery', async () => {
    now = new Date(placed.getTime() + HOUR + 1_000);
    await shop.update(orderId, { status: 'processing', date_paid_gmt: '2026-11-22T23:30:00' });
    expect(await runDueSteps(deps)).toMatchObject({ queued: 0, exited: 1 });
    expect(await outboxCount()).toBe(0);
    expect(await enrollment()).toMatchObject({ status: 'exited', exit_reason: 'paid' });
  });

  it('leaves recovery when the order no longer exists in the shop', async () => {
    now = new Date(placed.getTime() + HOUR + 1_000);
    shop.orders.delete(orderId);
    expect(await runDueSteps(deps)).toMatchObject({ exited: 1 });
    expect(await enrollment()).toMatchObject({ status: 'exited', exit_reason: 'deleted' });
  });

  it('queues one message when the same step runs twice (expired lease, two sidecars)', async () => {
    now = new Date(placed.getTime() + HOUR + 1_000);
    // A sidecar that claimed the step and died after queueing: the lease runs out and the step runs again.
    await pool.query('UPDATE enrollments SET locked_at = ? WHERE subject_id = ?', [new Date(now.getTime() - 10 * 60_000), String(orderId)]);
    const e = await enrollment();
    await deps.queueMessage({
      shopId,
      enrollmentId: e.id,
      step: 0,
      templateKey: 'unpaid-order@1:0',
      channel: 'email',
      idempotencyKey: `enrollment:${e.id}:step:0`,
      to: 'x@example.test',
      customerKey: null,
      definition: PRESETS['unpaid-order'].steps[0]!,
      subject: { kind: 'order', order: orderPayload.parse(pending), gateway: 'online' },
    });
    const [a, b] = await Promise.all([runDueSteps(deps), runDueSteps(deps)]);
    expect(a.queued + b.queued).toBe(1); // SKIP LOCKED: only one runner got the step
    expect(await outboxCount()).toBe(1); // and the idempotency key kept the earlier message single
  });

  it('sends nothing to a customer who unsubscribed, and takes the order out of recovery', async () => {
    now = new Date(placed.getTime() + HOUR + 1_000);
    const email = String((pending.billing as { email: string }).email);
    await pool.query(
      "INSERT INTO consents (shop_id, purpose, channel, address, status, source) VALUES (?, 'order', 'email', ?, 'withdrawn', 'unsubscribe')",
      [shopId, email.toLowerCase()],
    );
    expect(await runDueSteps(deps)).toMatchObject({ queued: 0, exited: 1 });
    expect(await outboxCount()).toBe(0);
    expect(await enrollment()).toMatchObject({ status: 'exited', exit_reason: 'unsubscribed' });
    const [[why]] = await pool.query<RowDataPacket[]>("SELECT outcome, detail FROM step_log WHERE channel = 'email'");
    expect(why).toMatchObject({ outcome: 'withdrawn' });
    expect(String(why!.detail)).toContain('unsubscribe');
  });

  it('still reminds a customer whose address once bounced about their own unpaid order (a bounce stops marketing only)', async () => {
    now = new Date(placed.getTime() + HOUR + 1_000);
    const email = String((pending.billing as { email: string }).email);
    await pool.query(
      "INSERT INTO consents (shop_id, purpose, channel, address, status, source) VALUES (?, 'marketing', 'email', ?, 'bounced', 'bounce')",
      [shopId, email.toLowerCase()],
    );
    expect(await runDueSteps(deps)).toMatchObject({ queued: 1, exited: 0 });
    expect(await outboxCount()).toBe(1);
  });

  it('completes the enrollment after the last reminder', async () => {
    now = new Date(placed.getTime() + HOUR + 1_000);
    await runDueSteps(deps);
    await pool.query('UPDATE enrollments SET mark_dirty = FALSE'); // the shop was told it is in recovery
    now = new Date(placed.getTime() + 24 * HOUR + 1_000);
    expect((await runDueSteps(deps)).queued).toBe(1);
    expect(await enrollment()).toMatchObject({ status: 'completed', step: 1, mark_dirty: 1 }); // the shop is told the mark now ends at this send + the grace
    expect(await outboxCount()).toBe(2);
  });

  it('credits a payment that comes after the last reminder to that reminder, and marks the enrollment paid', async () => {
    now = new Date(placed.getTime() + HOUR + 1_000);
    await runDueSteps(deps);
    now = new Date(placed.getTime() + 24 * HOUR + 1_000);
    await runDueSteps(deps);
    await pool.query("UPDATE outbox SET status = 'sent', sent_at = ?", [now]);
    const last = (await pool.query<RowDataPacket[]>('SELECT id FROM outbox WHERE step = 1'))[0][0]!;
    const paidAt = new Date(now.getTime() + HOUR);
    await upsertOrder(
      pool,
      shopId,
      orderPayload.parse({
        ...pending,
        status: 'processing',
        date_paid_gmt: paidAt.toISOString().slice(0, 19),
        date_modified_gmt: paidAt.toISOString().slice(0, 19),
      }),
    );
    await orderChanges.changed(pool, shopId, orderId, paidAt);
    expect(await enrollment()).toMatchObject({ status: 'completed', exit_reason: 'paid' });
    const [[credit]] = await pool.query<RowDataPacket[]>('SELECT outbox_id, step FROM attributions WHERE order_id = ?', [orderId]);
    expect(credit).toMatchObject({ outbox_id: last.id, step: 1 });
  });

  it('keeps a failing step visible with its reason and tries it again a minute later', async () => {
    now = new Date(placed.getTime() + HOUR + 1_000);
    const failing = {
      ...deps,
      queueMessage: async () => {
        throw new Error('the shop has no bank accounts');
      },
    };
    expect((await runDueSteps(failing)).failed).toBe(1);
    expect(await enrollment()).toMatchObject({ status: 'active', step: 0, last_error: 'the shop has no bank accounts' });
    expect((await runDueSteps(deps)).queued).toBe(0); // not yet
    now = new Date(now.getTime() + 61_000);
    expect((await runDueSteps(deps)).queued).toBe(1);
    expect(await enrollment()).toMatchObject({ step: 1, last_error: null });
  });

  it('cancels a reminder still waiting in the outbox when the order is paid, even after the last step', async () => {
    now = new Date(placed.getTime() + HOUR + 1_000);
    await runDueSteps(deps);
    now = new Date(placed.getTime() + 24 * HOUR + 1_000);
    await runDueSteps(deps); // completed; both messages are still pending (nothing dispatched them)
    await pool.query("UPDATE outbox SET status = 'retry' WHERE step = 0"); // one of them failed once and waits for its retry
    const paidAt = new Date(now.getTime() + 60_000);
    await upsertOrder(
      pool,
      shopId,
      orderPayload.parse({
        ...pending,
        status: 'processing',
        date_paid_gmt: paidAt.toISOString().slice(0, 19),
        date_modified_gmt: paidAt.toISOString().slice(0, 19),
      }),
    );
    await orderChanges.changed(pool, shopId, orderId, paidAt);
    const [rows] = await pool.query<RowDataPacket[]>('SELECT step, status FROM outbox ORDER BY step');
    expect(rows.map((r) => ({ ...r }))).toEqual([
      { step: 0, status: 'cancelled' },
      { step: 1, status: 'cancelled' },
    ]);
  });
});
