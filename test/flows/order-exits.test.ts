import type { RowDataPacket } from 'mysql2/promise';
import request from 'supertest';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { orderPipe } from '../../sidecar/src/app/order-pipe.ts';
import { upsertOrder } from '../../sidecar/src/events/order-store.ts';
import { queueRoutes } from '../../sidecar/src/flows/admin/queue-routes.ts';
import { runDueSteps } from '../../sidecar/src/flows/steps/step-runner.ts';
import { adminApi } from '../../sidecar/src/http/admin-api.ts';
import { enqueueMessage } from '../../sidecar/src/messages/outbox.ts';
import type { RecoveryReport } from '../../sidecar/src/reports/attribution.ts';
import { reportRoutes } from '../../sidecar/src/reports/report-routes.ts';
import { orderPayload } from '../../sidecar/src/woo/order-payload.ts';
import { createWooClient } from '../../sidecar/src/woo/rest-client.ts';
import { LOCAL_NET, startFakeShop, wooTime } from '../fakes/fake-woo-shop.ts';
import { testApp } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { plainStepRunner } from '../helpers/plain-outbox.ts';
import { shopWithTwoReminders } from '../helpers/recovery-shop.ts';

const HOUR = 3_600_000;
const TOKEN = 'admin-token-for-order-exit-tests-0123';

/**
 * Which paid order ends which reminders: one customer with two unpaid orders. Paying one ends its
 * own reminders only; the same items checked out again and paid as a new order end the older
 * order's as "paid again as #N", and the merchant may cancel the stale order from the queue.
 */
describe('unpaid-order exits: its own payment, or the same purchase paid again', async () => {
  const { database } = await createTestDatabase('order_exits');
  const pool = database.pool;
  const shop = await startFakeShop();
  afterAll(() => shop.close());
  const orderChanges = orderPipe();
  const client = createWooClient({ url: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret }, { net: LOCAL_NET });
  let now = new Date();
  const deps = plainStepRunner(pool, client, () => now, orderChanges);
  const { app } = testApp(database, {
    routers: [
      adminApi({
        pool,
        adminToken: TOKEN,
        shopRoutes: [queueRoutes({ pool, wooClient: async () => client, orderChanges, kickSteps: () => {} }), reportRoutes({ pool })],
      }),
    ],
  });
  const api = (method: 'get' | 'post', path: string) =>
    request(app)[method](path).set('authorization', `Bearer ${TOKEN}`).set('x-comeback-shop-id', String(shopId));

  const template = [...shop.orders.values()].find((o) => o.status === 'pending' && o.payment_method === 'payustandard')!;
  const placed = new Date(`${template.date_created_gmt as string}Z`);
  const line = (product_id: number, quantity: number) => ({
    ...(template.line_items as object[])[0],
    product_id,
    variation_id: 0,
    quantity,
  });
  let shopId = 0;

  /** An order of Ada's in the shop and in the sidecar, as its webhook would bring it. */
  const place = async (id: number, items: object[], at: Date, paid = false) => {
    const order = {
      ...template,
      id,
      number: String(id),
      status: paid ? 'processing' : 'pending',
      billing: { ...(template.billing as object), email: 'ada@example.test' },
      line_items: items,
      date_created_gmt: wooTime(at),
      date_modified_gmt: wooTime(at),
      date_paid_gmt: paid ? wooTime(at) : null,
    };
    shop.orders.set(id, order);
    await upsertOrder(pool, shopId, orderPayload.parse(order));
    await orderChanges.changed(pool, shopId, id, now);
  };
  const pay = async (id: number, at: Date) => {
    const order = await shop.update(id, { status: 'processing', date_paid_gmt: wooTime(at) });
    await upsertOrder(pool, shopId, orderPayload.parse(order));
    await orderChanges.changed(pool, shopId, id, at);
  };
  /** The send loop's part: every queued message went out at `at`. */
  const sendQueued = (at: Date) => pool.query("UPDATE outbox SET status = 'sent', sent_at = ? WHERE status = 'pending'", [at]);
  const enrollmentOf = async (orderId: number) =>
    (await pool.query<RowDataPacket[]>('SELECT * FROM enrollments WHERE subject_id = ?', [String(orderId)]))[0][0]!;
  const sentSteps = async (orderId: number) =>
    (
      await pool.query<RowDataPacket[]>(
        'SELECT m.step FROM outbox m JOIN enrollments e ON e.id = m.enrollment_id WHERE e.subject_id = ? ORDER BY m.step',
        [String(orderId)],
      )
    )[0].map((r) => Number(r.step));

  beforeEach(async () => {
    for (const t of ['orders', 'enrollments', 'settings', 'flows', 'flow_versions', 'step_log', 'shops', 'outbox', 'attributions'])
      await pool.query(`DELETE FROM ${t}`);
    shopId = await shopWithTwoReminders(pool, shop.url);
    now = new Date(placed.getTime() + 5 * 60_000);
    // Ada's two unpaid orders: #1000 a mug, #1002 two posters; both in recovery.
    await place(1000, [line(12, 1)], placed);
    await place(1002, [line(31, 2)], new Date(placed.getTime() + 60_000));
    now = new Date(placed.getTime() + HOUR + 61_000);
    expect((await runDueSteps(deps)).queued).toBe(2);
    await sendQueued(now);
  });

  it('paying one order ends its own reminders only: her other unpaid order still gets reminder 2', async () => {
    const paidAt = new Date(placed.getTime() + 2 * HOUR);
    await pay(1000, paidAt);
    expect(await enrollmentOf(1000)).toMatchObject({ status: 'exited', exit_reason: 'paid', exit_order_id: 1000 });
    expect(await enrollmentOf(1002)).toMatchObject({ status: 'active', exit_reason: null, step: 1 });

    now = new Date(placed.getTime() + 24 * HOUR + 61_000);
    expect((await runDueSteps(deps)).queued).toBe(1);
    expect(await sentSteps(1002)).toEqual([0, 1]);
    expect(await sentSteps(1000)).toEqual([0]);
    // The one payment is credited once, to #1000's own reminder.
    const [credits] = await pool.query<RowDataPacket[]>(
      'SELECT a.order_id, e.subject_id FROM attributions a JOIN enrollments e ON e.id = a.enrollment_id',
    );
    expect(credits.map((c) => ({ ...c }))).toEqual([{ order_id: 1000, subject_id: '1000' }]);
  });

  it('a different purchase paid as a new order leaves both unpaid orders in recovery', async () => {
    await place(1003, [line(12, 1), line(31, 1)], new Date(placed.getTime() + 2 * HOUR), true);
    expect(await enrollmentOf(1000)).toMatchObject({ status: 'active' });
    expect(await enrollmentOf(1002)).toMatchObject({ status: 'active' });
  });

  it('paying the older of two orders with the same items leaves the newer one in recovery: only a later order retries a purchase', async () => {
    // The demo's #1000 and #1002: the same mug, the customer pays the first through its reminder.
    await place(1006, [line(12, 1)], new Date(placed.getTime() + 30 * 60_000));
    await pay(1000, new Date(placed.getTime() + 2 * HOUR));
    expect(await enrollmentOf(1006)).toMatchObject({ status: 'active', exit_reason: null, exit_order_id: null });
  });

  it('the same items checked out again and paid: the stale order exits "paid again as #1003", and the queue offers to cancel it in the shop', async () => {
    const paidAt = new Date(placed.getTime() + 2 * HOUR);
    now = paidAt;
    await place(1003, [line(12, 1)], paidAt, true);
    const stale = await enrollmentOf(1000);
    expect(stale).toMatchObject({ status: 'exited', exit_reason: 'paid again', exit_order_id: 1003 });
    expect(await enrollmentOf(1002)).toMatchObject({ status: 'active' });
    // Credited once: the retry is the purchase #1000's reminder asked for.
    const [credits] = await pool.query<RowDataPacket[]>('SELECT order_id, enrollment_id, outbox_id FROM attributions');
    expect(credits).toHaveLength(1);
    expect(credits[0]).toMatchObject({ order_id: 1003, enrollment_id: stale.id });
    expect(credits[0]!.outbox_id).not.toBeNull();

    const listed = (await api('get', '/api/queue?status=exited').expect(200)).body.items as Array<Record<string, unknown>>;
    expect(listed.find((e) => e.id === stale.id)).toMatchObject({
      exitReason: 'paid again',
      exitOrder: { id: 1003, number: '1003' },
      staleOrder: true,
      order: { id: 1000, status: 'pending' },
    });
    // Nothing to cancel for an order still in recovery.
    await api('post', `/api/queue/${(await enrollmentOf(1002)).id}/cancel-order`).expect(409);

    const cancelled = await api('post', `/api/queue/${stale.id}/cancel-order`).expect(200);
    expect(cancelled.body).toEqual({ id: stale.id, orderId: 1000, status: 'cancelled' });
    expect(shop.orders.get(1000)).toMatchObject({ status: 'cancelled' });
    const notes = (shop.notes.get(1000) ?? []).map((n) => ({ note: n.note, customer_note: n.customer_note }));
    expect(notes).toContainEqual({ note: 'Order status changed from Pending payment to Cancelled.', customer_note: false });
    expect(notes.find((n) => n.note.startsWith('Comeback:'))).toEqual({
      note: 'Comeback: cancelled from the recovery queue at the merchant\u2019s request — the same items were paid as order #1003.',
      customer_note: false,
    });
    // The sidecar holds the cancellation at once; the queue offers nothing more.
    const [stored] = await pool.query<RowDataPacket[]>('SELECT status FROM orders WHERE order_id = 1000');
    expect(stored[0]!.status).toBe('cancelled');
    expect((await api('get', `/api/queue/${stale.id}`).expect(200)).body).toMatchObject({ staleOrder: false, exitReason: 'paid again' });
    await api('post', `/api/queue/${stale.id}/cancel-order`).expect(409);
  });

  it('an order paid again after its last reminder loses its keep-alive mark and says so', async () => {
    now = new Date(placed.getTime() + 24 * HOUR + 61_000);
    expect((await runDueSteps(deps)).queued).toBe(2);
    await sendQueued(now);
    expect(await enrollmentOf(1000)).toMatchObject({ status: 'completed', exit_reason: null });
    expect((await enrollmentOf(1000)).mark_until).not.toBeNull();
    const paidAt = new Date(now.getTime() + HOUR);
    now = paidAt;
    await place(1004, [line(12, 1)], paidAt, true);
    expect(await enrollmentOf(1000)).toMatchObject({
      status: 'completed',
      exit_reason: 'paid again',
      exit_order_id: 1004,
      mark_until: null,
    });
    expect(await enrollmentOf(1002)).toMatchObject({ status: 'completed', exit_reason: null });
  });

  it('reports one payment once, tiles that are the tables added up with a [Test] send in the outbox, and a never-messaged entrant as not messaged', async () => {
    // #1005 is paid ten minutes after it was placed, before its first reminder: in recovery, never messaged.
    const placed1005 = now;
    await place(1005, [line(40, 1)], placed1005);
    await pay(1005, new Date(placed1005.getTime() + 10 * 60_000));
    expect(await enrollmentOf(1005)).toMatchObject({ status: 'exited', exit_reason: 'paid' });
    // The merchant's [Test] of a reminder went out too: no enrollment, no step.
    await enqueueMessage(pool, {
      idempotencyKey: 'test:1',
      shopId,
      to: 'merchant@example.test',
      from: 'shop@example.test',
      subject: '[Test] reminder',
      html: '<p>test</p>',
      text: 'test',
    });
    await sendQueued(now);
    // Ada pays #1000 through its reminder.
    await pay(1000, new Date(placed.getTime() + 2 * HOUR));

    const range = `from=${new Date(placed.getTime() - 86_400_000).toISOString()}&to=${new Date(placed.getTime() + 3 * 86_400_000).toISOString()}`;
    const report = (await api('get', `/api/reports/recovery?${range}`).expect(200)).body as RecoveryReport & {
      uplift: Array<Record<string, unknown>>;
    };
    const total = String((template.total as string) ?? '');
    // Tiles, the reminders table and the days table count the same messages and orders.
    type Counted = 'sent' | 'clicks' | 'uniqueClicks' | 'orders';
    const sum = (rows: Array<Record<Counted, number>>, key: Counted) => rows.reduce((n, r) => n + r[key], 0);
    for (const rows of [report.byReminder, report.daily]) {
      expect(sum(rows, 'sent')).toBe(report.remindersSent);
      expect(sum(rows, 'clicks')).toBe(report.clicks);
      expect(sum(rows, 'uniqueClicks')).toBe(report.uniqueClicks);
      expect(sum(rows, 'orders')).toBe(report.ordersRecovered);
      expect(rows.flatMap((r) => r.revenue)).toEqual(report.revenue);
    }
    expect(report).toMatchObject({ remindersSent: 2, ordersRecovered: 1 });
    expect(report.revenue).toEqual([{ currency: template.currency, amount: Number(total).toFixed(2) }]);
    // The flow comparison: three entered, two messaged (#1005 never was), one payment credited once.
    const unpaid = report.uplift.find((f) => f.flow === 'unpaid-order');
    expect(unpaid).toMatchObject({ entered: 3, messaged: 2, heldOut: 0, orders: 1, revenue: Number(total).toFixed(2), conversion: 0.5 });
    const customers = (await api('get', `/api/reports/customers?${range}`).expect(200)).body as { byFlow: unknown[] };
    expect(customers.byFlow).toEqual(report.uplift);
  });
});
