import type { ResultSetHeader } from 'mysql2/promise';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { adminApi } from '../../sidecar/src/http/admin-api.ts';
import { insertClick } from '../../sidecar/src/links/link-store.ts';
import { reportRoutes } from '../../sidecar/src/reports/report-routes.ts';
import { testApp } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/database.ts';

const TOKEN = 'admin-token-for-click-report-tests-0123456789';
const HOUR = 3_600_000;
const T = new Date('2030-06-10T08:00:00Z');
const at = (hours: number) => new Date(T.getTime() + hours * HOUR);

/**
 * Unique and total clicks in the recovery report: a customer who opens the link of one reminder
 * three times clicked one reminder (1 unique) three times (3 total). The tiles are the rows added up.
 */
describe('clicks in the recovery report', async () => {
  const { database } = await createTestDatabase('recovery_clicks');
  const { pool } = database;
  const [shop] = await pool.query<ResultSetHeader>(
    "INSERT INTO shops (url, webhook_secret, timezone) VALUES ('https://clicks.example.test', 's', 'UTC')",
  );
  const shopId = shop.insertId;
  const { app } = testApp(database, { routers: [adminApi({ pool, adminToken: TOKEN, shopRoutes: [reportRoutes({ pool })] })] });

  const sent = async (key: string, step: number, channel: string, sentAt: Date) => {
    const [r] = await pool.query<ResultSetHeader>(
      "INSERT INTO outbox (idempotency_key, shop_id, step, channel, recipient, status, sent_at) VALUES (?, ?, ?, ?, 'a@example.test', 'sent', ?)",
      [key, shopId, step, channel, sentAt],
    );
    return r.insertId;
  };
  const click = (outboxId: number, when: Date) =>
    insertClick(pool, { outboxId, enrollmentId: null, kind: 'pay', userAgent: 'test', at: when });

  const report = async (from: Date, to: Date) =>
    (
      await request(app)
        .get(`/api/reports/recovery?from=${from.toISOString()}&to=${to.toISOString()}`)
        .set('authorization', `Bearer ${TOKEN}`)
        .set('x-comeback-shop-id', String(shopId))
        .expect(200)
    ).body;

  it('counts a message clicked three times as 1 unique click and 3 clicks, in the tiles, per reminder and per day', async () => {
    const email = await sent('m1', 0, 'email', at(0));
    await click(email, at(1));
    await click(email, at(2));
    await click(email, at(26)); // the next day
    const r = await report(at(-1), at(47));
    expect({ clicks: r.clicks, uniqueClicks: r.uniqueClicks }).toEqual({ clicks: 3, uniqueClicks: 1 });
    expect(r.byReminder).toEqual([{ step: 0, channel: 'email', sent: 1, clicks: 3, uniqueClicks: 1, orders: 0, revenue: [] }]);
    // The first click on its day; the repeat on the next day is a click, not a new clicker.
    const days = r.daily
      .filter((d: { clicks: number }) => d.clicks > 0)
      .map((d: Record<string, unknown>) => [d.day, d.clicks, d.uniqueClicks]);
    expect(days).toEqual([
      ['2030-06-10', 2, 1],
      ['2030-06-11', 1, 0],
    ]);
  });

  it('counts a message once among messages, and a repeat of a message first clicked before the period as a click only', async () => {
    const sms = await sent('m2', 1, 'sms', at(0));
    await click(sms, at(3));
    const early = await sent('m3', 1, 'sms', at(-30));
    await click(early, at(-29)); // before the period
    await click(early, at(4));
    const r = await report(at(-1), at(47));
    // m1 (3 clicks, 1 unique), m2 (1, 1), m3 (1 inside the period, its first before: 0 unique).
    expect({ clicks: r.clicks, uniqueClicks: r.uniqueClicks }).toEqual({ clicks: 5, uniqueClicks: 2 });
    expect(r.byReminder.map((b: Record<string, unknown>) => [b.step, b.channel, b.clicks, b.uniqueClicks])).toEqual([
      [0, 'email', 3, 1],
      [1, 'sms', 2, 1],
    ]);
    const sum = (key: 'clicks' | 'uniqueClicks') => r.daily.reduce((s: number, d: Record<string, number>) => s + (d[key] ?? 0), 0);
    expect([sum('clicks'), sum('uniqueClicks')]).toEqual([r.clicks, r.uniqueClicks]);
  });
});
