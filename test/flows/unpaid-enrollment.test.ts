import type { RowDataPacket } from 'mysql2/promise';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_RECOVERY, saveRecoverySettings } from '../../sidecar/src/flows/definition/recovery-settings.ts';
import { testApp } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { FIXTURE_SECRET, FIXTURE_SHOP_URL, replayHeaders, scenarioDeliveries } from '../helpers/woo-fixtures.ts';

// The recordings were made on 2026-11-22; the flow runs on a clock set just after them, so the
// test means the same thing whatever day it runs.
const RECORDED_AT = new Date('2026-11-22T23:00:00Z');

describe('unpaid-order recovery: who enters and who leaves, from the recorded deliveries', async () => {
  const { database } = await createTestDatabase('unpaid_enroll');
  const pool = database.pool;
  const { app, events } = testApp(database, { clock: () => RECORDED_AT });
  const orderDeliveries = scenarioDeliveries().filter((d) => d.label.startsWith('order.'));
  let shopId = 0;

  const replay = async (list = orderDeliveries) => {
    for (const d of list) await request(app).post('/webhooks/woocommerce').set(replayHeaders(d)).send(d.body.toString('utf8')).expect(200);
    await events.drain();
  };
  const enrollment = async (paymentMethodOrId: string | number) => {
    const [rows] = await pool.query<RowDataPacket[]>(
      `SELECT e.status, e.exit_reason, e.next_step_at, o.date_created, o.order_id FROM orders o
       LEFT JOIN enrollments e ON e.shop_id = o.shop_id AND e.subject_id = CAST(o.order_id AS CHAR)
       WHERE ${typeof paymentMethodOrId === 'number' ? 'o.order_id = ?' : 'o.payment_method = ?'} ORDER BY o.order_id LIMIT 1`,
      [paymentMethodOrId],
    );
    return rows[0]!;
  };

  beforeEach(async () => {
    for (const t of ['events', 'orders', 'enrollments', 'settings']) await pool.query(`DELETE FROM ${t}`);
    // One shop row for the whole file (the webhook route remembers a shop's secret for a few seconds).
    const [r] = await pool.query<import('mysql2/promise').ResultSetHeader>(
      'INSERT INTO shops (url, webhook_secret) VALUES (?, ?) ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)',
      [FIXTURE_SHOP_URL, FIXTURE_SECRET],
    );
    shopId = r.insertId;
    await saveRecoverySettings(pool, shopId, {
      ...DEFAULT_RECOVERY,
      enabled: true,
      reminders: [{ ...DEFAULT_RECOVERY.reminders[0]!, delay: { value: 2, unit: 'hours' } }],
    });
  });

  it('enters pending orders of online gateways, first reminder due its delay after the order was placed', async () => {
    await replay();
    for (const gateway of ['payustandard', 'przelewy24', 'tpayblik', 'stripe', 'ppcp-gateway']) {
      const e = await enrollment(gateway);
      expect(e.status, gateway).toBe('active');
      expect((e.next_step_at as Date).getTime(), gateway).toBe(
        Math.max((e.date_created as Date).getTime() + 2 * 3_600_000, RECORDED_AT.getTime()),
      );
    }
  });

  it('enters on-hold bank-transfer and cheque orders, and never cash on delivery', async () => {
    await replay();
    expect((await enrollment('bacs')).status).toBe('active');
    expect((await enrollment('cheque')).status).toBe('active');
    expect((await enrollment('cod')).status).toBeNull();
  });

  it('exits an order when it is paid or cancelled, with the reason', async () => {
    await replay();
    const [exits] = await pool.query<RowDataPacket[]>(
      "SELECT exit_reason, COUNT(*) AS n FROM enrollments WHERE status = 'exited' GROUP BY exit_reason",
    );
    const reasons = Object.fromEntries(exits.map((r) => [r.exit_reason, Number(r.n)]));
    expect(reasons.paid).toBeGreaterThan(0);
    expect(reasons.cancelled).toBeGreaterThan(0);
    const [active] = await pool.query<RowDataPacket[]>(
      `SELECT COUNT(*) AS n FROM enrollments e JOIN orders o ON e.subject_id = CAST(o.order_id AS CHAR)
       WHERE e.status = 'active' AND (o.status IN ('processing', 'completed', 'cancelled', 'refunded') OR o.date_paid IS NOT NULL)`,
    );
    expect(Number(active[0]!.n)).toBe(0); // no paid or cancelled order stays in recovery
  });

  it('enrolls once whatever the order and repetition of deliveries, and never enrolls an order seen paid first', async () => {
    await replay([...orderDeliveries].reverse());
    await replay(orderDeliveries);
    const [dupes] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n, COUNT(DISTINCT subject_id) AS d FROM enrollments');
    expect(Number(dupes[0]!.n)).toBe(Number(dupes[0]!.d));
    const [paidEnrolled] = await pool.query<RowDataPacket[]>(
      `SELECT COUNT(*) AS n FROM enrollments e JOIN orders o ON e.subject_id = CAST(o.order_id AS CHAR) WHERE o.status IN ('processing', 'completed') AND e.status = 'active'`,
    );
    expect(Number(paidEnrolled[0]!.n)).toBe(0);
  });

  it('does nothing while recovery is switched off', async () => {
    await saveRecoverySettings(pool, shopId, { ...DEFAULT_RECOVERY, enabled: false });
    await replay();
    const [[row]] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM enrollments');
    expect(Number(row!.n)).toBe(0);
  });
});
