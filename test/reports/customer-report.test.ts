import type { ResultSetHeader } from 'mysql2/promise';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { saveFlow } from '../../sidecar/src/flows/definition/flow-store.ts';
import { PRESETS } from '../../sidecar/src/flows/definition/presets.ts';
import { adminApi } from '../../sidecar/src/http/admin-api.ts';
import { reportRoutes } from '../../sidecar/src/reports/report-routes.ts';
import { customerFlowShop } from '../flows/customer-flow-setup.ts';
import { testApp } from '../helpers/app.ts';

const TOKEN = 'admin-token-for-report-tests-0123456789';
const DAY = 86_400_000;
const T = new Date('2030-05-01T10:00:00Z');
const at = (days: number) => new Date(T.getTime() + days * DAY);

/**
 * The customer report on hand-computed data: seven win-back entrants (four messaged, one never
 * messaged, two held out of the first step), their later orders, the messages that went, the
 * coupons and the buyers' segments.
 */
describe('reports on win-back, loyalty and campaigns', async () => {
  const { database, pool, shopId, paid } = await customerFlowShop('customer_report', T);
  const { app } = testApp(database, { routers: [adminApi({ pool, adminToken: TOKEN, shopRoutes: [reportRoutes({ pool: pool })] })] });
  await saveFlow(pool, shopId, 'win-back', PRESETS['win-back'], true);

  const enroll = async (email: string, heldOut: boolean) => {
    const [r] = await pool.query<ResultSetHeader>(
      "INSERT INTO enrollments (shop_id, flow, subject_type, subject_id, status, held_out, customer_key, entered_at) VALUES (?, 'win-back', 'customer', ?, 'completed', ?, ?, ?)",
      [shopId, email, heldOut, email, T],
    );
    return r.insertId;
  };
  const sent = async (enrollmentId: number, email: string, step: number, channel: string) => {
    const [r] = await pool.query<ResultSetHeader>(
      "INSERT INTO outbox (idempotency_key, shop_id, enrollment_id, step, channel, recipient, customer_key, status, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'sent', ?)",
      [`e${enrollmentId}:${step}`, shopId, enrollmentId, step, channel, email, email, at(step)],
    );
    return r.insertId;
  };
  // As the order's payment credits it: to the last message sent before it.
  const credit = (orderId: number, enrollmentId: number, outboxId: number, step: number, channel: string, revenue: number, when: Date) =>
    pool.query(
      "INSERT INTO attributions (shop_id, order_id, enrollment_id, flow, outbox_id, step, channel, revenue, currency, paid_at) VALUES (?, ?, ?, 'win-back', ?, ?, ?, ?, 'EUR', ?)",
      [shopId, orderId, enrollmentId, outboxId, step, channel, revenue, when],
    );

  // Messaged: a, b and d buy within 30 days (100, 150, 50), c after 40 days (70: still inside the
  // win-back's window, its last offer at 60 days plus 30). g entered but was never messaged (not
  // counted as messaged), and buys after 100 days. Held out of the first step: e buys (80), f does not.
  const ids: Record<string, number> = {};
  for (const who of ['a', 'b', 'c', 'd', 'g']) ids[who] = await enroll(`${who}@example.test`, false);
  for (const who of ['e', 'f']) {
    ids[who] = await enroll(`${who}@example.test`, true);
    await pool.query("INSERT INTO step_log (enrollment_id, step, outcome, at) VALUES (?, 0, 'held_out', ?)", [ids[who], T]);
  }
  const outboxA = await sent(ids.a!, 'a@example.test', 0, 'email');
  await sent(ids.b!, 'b@example.test', 0, 'email');
  const outboxB1 = await sent(ids.b!, 'b@example.test', 1, 'sms');
  await sent(ids.c!, 'c@example.test', 0, 'email');
  await sent(ids.d!, 'd@example.test', 0, 'email');
  const orderA = await paid('a@example.test', at(3), { total: '100.00' });
  const orderB = await paid('b@example.test', at(5), { total: '150.00' });
  await paid('d@example.test', at(20), { total: '50.00' });
  await paid('c@example.test', at(40), { total: '70.00' });
  await paid('g@example.test', at(100), { total: '500.00' });
  await paid('e@example.test', at(10), { total: '80.00' });
  await credit(orderA, ids.a!, outboxA, 0, 'email', 100, at(3));
  await credit(orderB, ids.b!, outboxB1, 1, 'sms', 150, at(5));
  // Segments of the buyers; coupons of step 0 for the four messaged, a's used in her order.
  await pool.query(
    "INSERT INTO customer_tags (shop_id, customer_key, tag) VALUES (?, 'a@example.test', 'vip'), (?, 'a@example.test', 'at-risk'), (?, 'b@example.test', 'at-risk')",
    [shopId, shopId, shopId],
  );
  for (const who of ['a', 'b', 'c', 'd']) {
    await pool.query(
      "INSERT INTO coupons (shop_id, coupon_id, code, customer_key, issued_for, enrollment_id, step, discount_type, amount, expires_at, created_at, used_at, order_id) VALUES (?, 1, ?, ?, ?, ?, 0, 'percent', 10, ?, ?, ?, ?)",
      [
        shopId,
        `CB-${who.toUpperCase()}`,
        `${who}@example.test`,
        `enrollment:${ids[who]}:step:0`,
        ids[who],
        at(20),
        T,
        who === 'a' ? at(3) : null,
        who === 'a' ? orderA : null,
      ],
    );
  }

  it('gives incremental orders and revenue against the hold-out, per step and channel, per segment, coupons and repurchases', async () => {
    const res = await request(app)
      .get(`/api/reports/customers?from=${at(-1).toISOString()}&to=${at(60).toISOString()}`)
      .set('authorization', `Bearer ${TOKEN}`)
      .set('x-comeback-shop-id', String(shopId))
      .expect(200);
    expect(res.body.byFlow).toEqual([
      {
        flow: 'win-back',
        name: 'Win back lapsed customers',
        entered: 7,
        messaged: 4,
        heldOut: 2,
        orders: 4,
        revenue: '370.00',
        heldOutOrders: 1,
        heldOutRevenue: '80.00',
        conversion: 1,
        heldOutConversion: 0.5,
        // 4 − 0.5 × 4 = 2 orders; 370 − (80 / 2) × 4 = 210.
        incrementalOrders: 2,
        incrementalRevenue: '210.00',
      },
    ]);
    expect(res.body.byStep).toEqual([
      { flow: 'win-back', step: 0, channel: 'email', sent: 4, orders: 1, revenue: '100.00' },
      { flow: 'win-back', step: 1, channel: 'sms', sent: 1, orders: 1, revenue: '150.00' },
    ]);
    expect(res.body.bySegment).toEqual([
      { tag: 'at-risk', orders: 2, revenue: '250.00' },
      { tag: 'vip', orders: 1, revenue: '100.00' },
    ]);
    expect(res.body.coupons).toEqual({
      issued: 4,
      redeemed: 1,
      revenue: '100.00',
      byFlow: [{ flow: 'win-back', step: 0, issued: 4, redeemed: 1 }],
    });
    expect(res.body.repurchases).toBe(2);
  });
});
