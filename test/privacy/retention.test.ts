import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { adminApi } from '../../sidecar/src/http/admin-api.ts';
import { privacyRoutes } from '../../sidecar/src/privacy/privacy-routes.ts';
import { RETENTION_DEFAULTS } from '../../sidecar/src/privacy/retention-settings.ts';
import { runRetention } from '../../sidecar/src/privacy/retention.ts';
import { recoveryReport } from '../../sidecar/src/reports/attribution.ts';
import { customerReport } from '../../sidecar/src/reports/customer-report.ts';
import { shopClients } from '../../sidecar/src/woo/shop-clients.ts';
import { testApp } from '../helpers/app.ts';
import { LOCAL_NET } from '../fakes/fake-woo-shop.ts';
import { createTestDatabase } from '../helpers/database.ts';

const TOKEN = 'admin-token-for-retention-tests-0123456789';
const NOW = new Date('2030-06-01T12:00:00Z');
const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY);

/**
 * The daily retention job on MariaDB: rows older than each of the shop's periods are deleted or
 * emptied, in statements of a bounded size, newer ones stay, another shop's periods are its own,
 * and the recovery and customer reports read the same before and after.
 */
describe('retention: personal data kept only as long as the shop says', async () => {
  const { database } = await createTestDatabase('retention');
  const pool = database.pool;
  const { app } = testApp(database, {
    routers: [adminApi({ pool, adminToken: TOKEN, shopRoutes: [privacyRoutes({ pool, wooClient: shopClients(pool, LOCAL_NET) })] })],
  });
  const insert = async (sql: string, params: unknown[]) => (await pool.query<ResultSetHeader>(sql, params))[0].insertId;
  const rows = async (sql: string, params: unknown[] = []) => (await pool.query<RowDataPacket[]>(sql, params))[0];
  const shopA = await insert("INSERT INTO shops (url, webhook_secret) VALUES ('https://a.example.test', 's')", []);
  const shopB = await insert("INSERT INTO shops (url, webhook_secret) VALUES ('https://b.example.test', 's')", []);
  const api = (method: 'get' | 'put', shopId: number, body?: object, language = 'en-US') =>
    request(app)
      [method]('/api/settings/retention')
      .set('authorization', `Bearer ${TOKEN}`)
      .set('x-comeback-shop-id', String(shopId))
      .set('accept-language', language)
      .send(body);

  /** A shop's data at ages around each default period: `age` days old, tagged with the age for the assertions. */
  async function seed(shopId: number, age: number) {
    const at = daysAgo(age);
    const tag = `${shopId}-${age}`;
    await pool.query(
      `INSERT INTO events (shop_id, source, topic, resource_id, dedup_key, body_hash, body, status, received_at) VALUES
        (?, 'webhook', 'order.updated', 1, SHA2(?, 256), SHA2(?, 256), ?, 'processed', ?),
        (?, 'webhook', 'order.updated', 1, SHA2(?, 256), SHA2(?, 256), ?, 'received', ?)`,
      [shopId, `p${tag}`, `p${tag}`, `{"age":"${tag}"}`, at, shopId, `r${tag}`, `r${tag}`, `{"age":"${tag}"}`, at],
    );
    const enrollment = await insert(
      "INSERT INTO enrollments (shop_id, flow, subject_type, subject_id, status, customer_key, entered_at, held_out) VALUES (?, 'unpaid-order', 'order', ?, 'completed', ?, ?, ?)",
      [shopId, tag, `c${tag}@example.test`, at, age % 2],
    );
    const outbox = await insert(
      `INSERT INTO outbox (idempotency_key, shop_id, enrollment_id, step, channel, recipient, subject, body_html, body_text, status, customer_key, created_at, sent_at)
       VALUES (?, ?, ?, 0, 'email', ?, 'Your order', '<p>Hi</p>', 'Hi', 'sent', ?, ?, ?)`,
      [`m${tag}`, shopId, enrollment, `c${tag}@example.test`, `c${tag}@example.test`, at, at],
    );
    await pool.query(
      `INSERT INTO step_log (enrollment_id, step, channel, outcome, detail, at) VALUES (?, 0, 'email', 'sent', ?, ?), (?, 0, NULL, 'held_out', NULL, ?)`,
      [enrollment, `age ${tag}`, at, enrollment, at],
    );
    await pool.query("INSERT INTO clicks (outbox_id, enrollment_id, kind, user_agent, clicked_at) VALUES (?, ?, 'pay', ?, ?)", [
      outbox,
      enrollment,
      `UA ${tag}`,
      at,
    ]);
    await pool.query(
      "INSERT INTO attributions (shop_id, order_id, enrollment_id, flow, outbox_id, step, channel, revenue, currency, paid_at) VALUES (?, ?, ?, 'unpaid-order', ?, 0, 'email', 50, 'PLN', ?)",
      [shopId, 1000 + age, enrollment, outbox, at],
    );
    for (const status of ['abandoned', 'ordered'])
      await pool.query(
        `INSERT INTO carts (shop_id, session_key, ref, email, customer_key, contents, status, source, last_activity_at) VALUES (?, ?, ?, ?, ?, '[]', ?, 'classic', ?)`,
        [shopId, `${status}${tag}`, `${status}${tag}`, `c${tag}@example.test`, `c${tag}@example.test`, status, at],
      );
    const conversation = await insert("INSERT INTO conversations (shop_id, channel, address) VALUES (?, 'sms', ?)", [
      shopId,
      `+4850000${tag.replace('-', '')}`,
    ]);
    await pool.query(
      "INSERT INTO inbound_messages (conversation_id, provider_message_id, body, kind, received_at) VALUES (?, ?, ?, 'text', ?)",
      [conversation, `SM${tag}`, `age ${tag}`, at],
    );
  }
  // Just inside and just past each default period (30, 60, 90, 180, 365 days), and recent.
  const AGES = [1, 29, 31, 59, 61, 89, 91, 179, 181, 364, 366];
  for (const shopId of [shopA, shopB]) for (const age of AGES) await seed(shopId, age);

  it('shows the defaults, and refuses a period that is not a whole number of days from 1 to 3,650, in plain words', async () => {
    expect((await api('get', shopA).expect(200)).body).toEqual(RETENTION_DEFAULTS);
    const refused = await api('put', shopA, { webhookBodiesDays: 0, messageBodiesDays: 2.5, stepLogDays: 'forever', unknown: 1 }).expect(
      400,
    );
    expect(refused.body.error.details).toEqual(
      expect.arrayContaining([
        { field: 'webhookBodiesDays', message: 'Keep order updates received from the shop at least 1 day.' },
        { field: 'messageBodiesDays', message: 'How long to keep message texts must be a whole number of days.' },
        { field: 'stepLogDays', message: 'How long to keep the step log must be a number of days.' },
      ]),
    );
    // The same refusal for a merchant whose admin is in Polish.
    const polish = await api(
      'put',
      shopA,
      { webhookBodiesDays: 0, messageBodiesDays: 2.5, stepLogDays: 'forever' },
      'pl-PL, pl;q=0.9',
    ).expect(400);
    expect(polish.body.error.details).toEqual([
      { field: 'webhookBodiesDays', message: 'Przechowuj aktualizacje zamówień otrzymane ze sklepu co najmniej 1 dzień.' },
      { field: 'messageBodiesDays', message: 'Okres przechowywania (treści wiadomości) musi być liczbą całkowitą dni.' },
      { field: 'stepLogDays', message: 'Okres przechowywania (dziennik kroków) musi być liczbą dni.' },
    ]);
    expect((await api('get', shopA).expect(200)).body).toEqual(RETENTION_DEFAULTS);
    // Shop B keeps messages customers sent 100 days only; the rest as the defaults.
    expect((await api('put', shopB, { inboundMessagesDays: 100 }).expect(200)).body).toEqual({
      ...RETENTION_DEFAULTS,
      inboundMessagesDays: 100,
    });
  });

  it('prunes what is older than each period in bounded statements, keeps what is newer, and the reports read the same', async () => {
    const reports = async (shopId: number) => ({
      recovery: await recoveryReport(pool, shopId, daysAgo(400), NOW),
      customers: await customerReport(pool, shopId, daysAgo(400), NOW),
    });
    const before = { a: await reports(shopA), b: await reports(shopB) };
    expect(before.a.recovery.remindersSent).toBe(AGES.length);

    const run = await runRetention(pool, NOW, { batch: 2, pauseMs: 0 });
    const over = (days: number) => AGES.filter((a) => a > days).length;
    expect(run).toEqual({
      events: 2 * over(30),
      'message-bodies': 2 * over(90),
      'step-log': 2 * over(180),
      'click-details': 2 * over(90),
      carts: 2 * over(60),
      inbound: over(365) + over(100),
    });

    const ages = async (sql: string, shopId: number) =>
      (await rows(sql, [shopId])).map((r) => Number(String(r.age).split('-')[1])).sort((x, y) => x - y);
    const under = (days: number) => AGES.filter((a) => a < days);
    for (const shopId of [shopA, shopB]) {
      expect(await ages("SELECT JSON_VALUE(body, '$.age') AS age FROM events WHERE shop_id = ? AND status = 'processed'", shopId)).toEqual(
        under(30),
      );
      // A delivery not processed yet is never pruned.
      expect(await ages("SELECT JSON_VALUE(body, '$.age') AS age FROM events WHERE shop_id = ? AND status = 'received'", shopId)).toEqual(
        AGES,
      );
      expect(
        await ages('SELECT SUBSTRING(idempotency_key, 2) AS age FROM outbox WHERE shop_id = ? AND body_html IS NOT NULL', shopId),
      ).toEqual(under(90));
      expect((await rows('SELECT COUNT(*) AS n FROM outbox WHERE shop_id = ? AND recipient <> ?', [shopId, ''])).at(0)!.n).toBe(
        AGES.length,
      );
      expect(
        await ages(
          "SELECT SUBSTRING(l.detail, 5) AS age FROM step_log l JOIN enrollments e ON e.id = l.enrollment_id WHERE e.shop_id = ? AND l.outcome = 'sent'",
          shopId,
        ),
      ).toEqual(under(180));
      expect(
        (
          await rows(
            "SELECT COUNT(*) AS n FROM step_log l JOIN enrollments e ON e.id = l.enrollment_id WHERE e.shop_id = ? AND l.outcome = 'held_out'",
            [shopId],
          )
        ).at(0)!.n,
      ).toBe(AGES.length);
      expect(
        await ages(
          'SELECT SUBSTRING(c.user_agent, 4) AS age FROM clicks c JOIN outbox m ON m.id = c.outbox_id WHERE m.shop_id = ? AND c.user_agent IS NOT NULL',
          shopId,
        ),
      ).toEqual(under(90));
      expect(await ages("SELECT SUBSTRING(session_key, 10) AS age FROM carts WHERE shop_id = ? AND status = 'abandoned'", shopId)).toEqual(
        under(60),
      );
      expect((await rows("SELECT COUNT(*) AS n FROM carts WHERE shop_id = ? AND status = 'ordered'", [shopId])).at(0)!.n).toBe(AGES.length);
      expect(
        await ages(
          'SELECT SUBSTRING(i.body, 5) AS age FROM inbound_messages i JOIN conversations c ON c.id = i.conversation_id WHERE c.shop_id = ?',
          shopId,
        ),
      ).toEqual(under(shopId === shopB ? 100 : 365));
    }
    expect({ a: await reports(shopA), b: await reports(shopB) }).toEqual(before);

    // The next day's run starts where this one stopped and finds nothing more to do.
    expect(await runRetention(pool, new Date(NOW.getTime() + 1000), { batch: 2, pauseMs: 0 })).toEqual({
      events: 0,
      'message-bodies': 0,
      'step-log': 0,
      'click-details': 0,
      carts: 0,
      inbound: 0,
    });
  });
});
