import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../sidecar/src/logger.ts';
import { startSidecar, type Sidecar } from '../../sidecar/src/sidecar.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { waitFor } from '../helpers/processes.ts';

/** What `npm run up` does for a newcomer: the demo stand-in shop, the dev outbox, a link to click. */
describe('the first-run demo', async () => {
  const { database, url } = await createTestDatabase('demo');
  const pool = database.pool;
  const start = (demo: string) =>
    startSidecar({
      logger: createLogger('silent'),
      env: {
        COMEBACK_DATABASE_URL: url,
        COMEBACK_HTTP_PORT: '0',
        COMEBACK_ALLOW_PRIVATE_URLS: 'on',
        COMEBACK_DEMO: demo,
        COMEBACK_SCHEDULER_PROCESS_EVERY_MS: '200',
        COMEBACK_DEV_OUTBOX: 'on', // as npm run up sets it
      },
    });
  const rows = async (sql: string, params: unknown[] = []) => (await pool.query<RowDataPacket[]>(sql, params))[0];
  const sentMessages = (sidecar: Sidecar) =>
    waitFor(
      async () =>
        rows("SELECT id, recipient, body_text FROM outbox WHERE status = 'sent' AND shop_id = ? ORDER BY id", [sidecar.demo!.shopId]),
      (r) => r.length >= 2,
      45_000,
      'the demo reminders in the dev outbox',
    );

  it(
    'shows two reminders in the dev outbox, whose payment link leads to a labelled pay page that pays the order',
    { timeout: 120_000 },
    async () => {
      const sidecar = await start('auto');
      try {
        expect(sidecar.demo).toBeDefined();
        const [transfer, online] = [...(await sentMessages(sidecar))].sort((a, b) =>
          String(a.recipient).localeCompare(String(b.recipient)),
        );
        expect(transfer!.recipient).toBe('bacs@example.test');
        expect(transfer!.body_text).toContain('GB33BUKB20201555555555'); // the recorded BACS accounts
        expect(online!.recipient).toBe('payustandard@example.test');
        const outboxPage = await request(sidecar.url).get(`/dev/outbox/${online!.id}`).expect(200);
        expect(outboxPage.text).toContain('Your order');

        const link = /https?:\/\/[^\s]+\/r\/[A-Za-z0-9_.-]+/.exec(String(online!.body_text))![0];
        const click = await request(link).get('').redirects(0).expect(302);
        const payPage = new URL(click.headers.location!);
        expect(payPage.origin).toBe(sidecar.demo!.shop.url);
        const page = await request(payPage.origin)
          .get(payPage.pathname + payPage.search)
          .expect(200);
        expect(page.text).toContain('Demo shop');
        expect(page.text).toContain('Pay now');
        await request(payPage.origin)
          .post(payPage.pathname + payPage.search)
          .expect(303);

        const orderId = Number(/order-pay\/(\d+)\//.exec(payPage.pathname)![1]);
        const [credit] = await waitFor(
          async () => rows('SELECT outbox_id, click_id FROM attributions WHERE order_id = ?', [orderId]),
          (r) => r.length === 1,
          20_000,
          'the payment to be credited',
        );
        expect(credit).toMatchObject({ outbox_id: online!.id });
        expect(credit!.click_id).not.toBeNull();
      } finally {
        await sidecar.stop();
      }
    },
  );

  it('places new orders on the next start, under the same demo shop', { timeout: 120_000 }, async () => {
    const sidecar = await start('auto');
    try {
      await waitFor(
        async () => rows("SELECT COUNT(*) AS n FROM outbox WHERE status = 'sent'"),
        (r) => Number(r[0]!.n) >= 4,
        45_000,
        'two more demo reminders',
      );
      expect(await rows('SELECT COUNT(*) AS n FROM shops WHERE demo')).toEqual([{ n: 1 }]);
      expect((await rows('SELECT COUNT(DISTINCT order_id) AS n FROM orders'))[0]!.n).toBe(4);
    } finally {
      await sidecar.stop();
    }
  });

  it('stays off once a real shop is connected (auto), and by default', async () => {
    await pool.query<ResultSetHeader>(
      "INSERT INTO shops (url, webhook_secret, consumer_key, consumer_secret) VALUES ('https://real.example', 's', 'ck_x', 'cs_x')",
    );
    for (const mode of ['auto', 'off']) {
      const sidecar = await start(mode);
      expect(sidecar.demo, mode).toBeUndefined();
      await sidecar.stop();
    }
  });
});
