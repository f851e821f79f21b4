import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { newLinkRef, signLinkToken } from '../../sidecar/src/links/link-token.ts';
import { consentsAmong } from '../../sidecar/src/consent/consent.ts';
import { unsubscribeRoutes } from '../../sidecar/src/links/unsubscribe-routes.ts';
import { enqueueMessage } from '../../sidecar/src/messages/outbox.ts';
import { testApp } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/database.ts';

const SECRET = 'link-secret-for-unsubscribe-tests-0123456789';

describe('one-click unsubscribe (RFC 8058)', async () => {
  const { database } = await createTestDatabase('unsubscribe');
  const pool = database.pool;
  const { app } = testApp(database, { routers: [unsubscribeRoutes({ pool, secret: SECRET })] });
  const ref = newLinkRef();
  const token = signLinkToken({ kind: 'unsubscribe', ref, expiresAt: Math.floor(Date.now() / 1000) + 3600 }, SECRET);
  let shopId = 0;
  beforeAll(async () => {
    const [r] = await pool.query<ResultSetHeader>('INSERT INTO shops (url, name, webhook_secret) VALUES (?, ?, ?)', [
      'https://shop.example.test',
      'Fixture <Shop>',
      'x',
    ]);
    shopId = r.insertId;
    await enqueueMessage(pool, {
      idempotencyKey: 'k1',
      shopId,
      to: 'Ada@Example.test',
      from: 'shop@example.test',
      subject: 's',
      html: 'h',
      text: 't',
      linkRef: ref,
    });
  });
  const count = async () =>
    Number((await pool.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM consents WHERE status = 'withdrawn'"))[0][0]!.n);

  it('shows a confirmation page on GET and unsubscribes nobody (link scanners fetch GETs)', async () => {
    const res = await request(app).get(`/u/${token}`).expect(200);
    expect(res.text).toContain('<form method="post">');
    expect(res.text).toContain('Fixture &lt;Shop&gt;');
    expect(await count()).toBe(0);
  });

  it('names a shop whose site title is not known yet by its host, not its whole URL', async () => {
    await pool.query('UPDATE shops SET name = NULL WHERE id = ?', [shopId]);
    try {
      const res = await request(app).get(`/u/${token}`).expect(200);
      expect(res.text).toContain('Stop reminders about orders and carts, offers and news by email from shop.example.test to');
    } finally {
      await pool.query('UPDATE shops SET name = ? WHERE id = ?', ['Fixture <Shop>', shopId]);
    }
  });

  it("unsubscribes on the provider's one-click POST, once, case-insensitively", async () => {
    const done = await request(app).post(`/u/${token}`).type('form').send('List-Unsubscribe=One-Click').expect(200);
    // A message of no flow (its purpose unknown): every email stops, and the page says so.
    expect(done.text).toMatch(
      /ada@example\.test will get no more reminders about orders and carts, offers and news by email from Fixture &lt;Shop&gt;\./i,
    );
    await request(app).post(`/u/${token}`).type('form').send('List-Unsubscribe=One-Click').expect(200);
    expect(await count()).toBe(3); // order, cart and marketing, once each
    const [rows] = await pool.query<RowDataPacket[]>('SELECT DISTINCT address, source FROM consents');
    expect(rows).toEqual([expect.objectContaining({ address: 'ada@example.test', source: 'unsubscribe' })]);
    const found = await consentsAmong(pool, shopId, 'marketing', 'email', ['ADA@example.TEST', 'someone@else.test']);
    expect([...found.keys()]).toEqual(['ada@example.test']);
  });

  it('refuses a tampered token or a payment token with a readable page', async () => {
    await request(app)
      .post(`/u/${token.slice(0, -2)}xx`)
      .type('form')
      .send('List-Unsubscribe=One-Click')
      .expect(400);
    const pay = signLinkToken({ kind: 'pay', ref, expiresAt: Math.floor(Date.now() / 1000) + 3600 }, SECRET);
    const res = await request(app).post(`/u/${pay}`).expect(400);
    expect(res.text).toContain('This link is not valid');
  });
});
