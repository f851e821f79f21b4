import type { RowDataPacket } from 'mysql2/promise';
import { simpleParser } from 'mailparser';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { recoveryReport } from '../../sidecar/src/reports/attribution.ts';
import { loadPaymentGateways, saveCompany } from '../../sidecar/src/woo/shop-profile.ts';
import { scenarioDeliveries } from '../helpers/woo-fixtures.ts';
import { decodedBodies, parseRaw, startSmtpServer } from '../channels/smtp-server.ts';
import { recordedOrders, startFakeShop } from '../fakes/fake-woo-shop.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { waitFor } from '../helpers/processes.ts';
import { startTestSidecar, deliverWebhook, enableQuickRecovery } from '../helpers/sidecar.ts';

const SECRET = 'e2e-webhook-secret';
const wooTime = (d: Date) => d.toISOString().slice(0, 19);

describe('unpaid order, end to end: webhook → reminder by SMTP → signed link → paid', async () => {
  const { database, url } = await createTestDatabase('e2e_unpaid');
  const pool = database.pool;
  const smtp = await startSmtpServer();
  // A PayU order placed two minutes ago (its first reminder, after 1 minute, is due), and nothing
  // else in the shop: reconciliation runs at start and would rightly remind other unpaid orders too.
  const recorded = [...recordedOrders().values()].find((o) => o.payment_method === 'payustandard')!;
  const orderId = recorded.id as number;
  const placed = new Date(Date.now() - 2 * 60_000);
  const pending: Record<string, unknown> = {
    ...recorded,
    status: 'pending',
    date_paid_gmt: null,
    date_created_gmt: wooTime(placed),
    date_modified_gmt: wooTime(placed),
  };
  const shop = await startFakeShop({ orders: new Map([[orderId, pending]]) });
  // The merchant's own cheque instructions (WooCommerce → Payments → Check payments → Instructions).
  const CHEQUE_INSTRUCTIONS = 'Post your cheque to 1 Test Street, 90001 Testville.\nWe ship as soon as it has cleared.';
  const cheque = shop.paymentGateways.find((g) => g.id === 'cheque') as { settings: { instructions: { value: string } } };
  cheque.settings.instructions.value = CHEQUE_INSTRUCTIONS;
  const [inserted] = await pool.query<import('mysql2/promise').ResultSetHeader>(
    'INSERT INTO shops (url, name, webhook_secret, consumer_key, consumer_secret) VALUES (?, ?, ?, ?, ?)',
    [shop.url, 'Fixture Shop', SECRET, shop.consumerKey, shop.consumerSecret],
  );
  const shopId = inserted.insertId;
  await enableQuickRecovery(pool, shopId);
  const sidecar = await startTestSidecar(url, { smtpPort: smtp.port });
  afterAll(async () => {
    await sidecar.stop();
    await smtp.close();
    await shop.close();
  });

  const deliver = (topic: string, body: object) => deliverWebhook(sidecar.url, { shopUrl: shop.url, secret: SECRET, topic, body });
  const row = async (sql: string, params: unknown[] = []) => (await pool.query<RowDataPacket[]>(sql, params))[0][0];

  /**
   * A recorded block-checkout order on hold (its order.updated, then order.created: `seqs`), as if
   * placed two minutes ago, delivered by webhook; answers it and its first reminder as received by SMTP.
   */
  async function remindRecordedOnHold(seqs: [number, number], method: string) {
    const recordedDeliveries = scenarioDeliveries().filter((d) => seqs.includes(d.seq));
    expect(recordedDeliveries.map((d) => d.label)).toEqual(['order.updated', 'order.created']);
    const placedAt = new Date(Date.now() - 2 * 60_000);
    const onHold = {
      ...JSON.parse(recordedDeliveries[0]!.body.toString('utf8')),
      date_created_gmt: wooTime(placedAt),
      date_modified_gmt: wooTime(placedAt),
    };
    expect(onHold).toMatchObject({ status: 'on-hold', payment_method: method, needs_payment: false });
    shop.orders.set(onHold.id, onHold);
    const before = smtp.received.length;
    for (const d of recordedDeliveries) await deliver(d.label, onHold);
    await waitFor(
      async () => smtp.received.length,
      (n) => n > before,
      45_000,
      `the ${method} reminder to arrive by SMTP`,
    );
    const mail = parseRaw(smtp.received[before]!);
    expect(mail.headers.get('to')?.[0]).toContain(onHold.billing.email);
    return { onHold, before, ...(await decodedBodies(smtp.received[before]!)) };
  }

  it('sends the online reminder with a working signed link, then stops when the order is paid', { timeout: 180_000 }, async () => {
    await deliver('order.created', pending);
    await deliver('order.created', pending); // a repeated delivery changes nothing

    const [message] = await waitFor(
      async () => smtp.received.slice(),
      (r) => r.length >= 1,
      45_000,
      'the reminder to arrive by SMTP',
    );
    const mail = parseRaw(message!);
    expect(mail.headers.get('to')?.[0]).toContain(String((pending.billing as { email: string }).email));
    expect(mail.headers.get('subject')?.[0]).toContain(String(pending.number));
    // RFC 8058: one-line List-Unsubscribe to our /u/ endpoint (no one-click Post header over plain http).
    expect(mail.headers.get('list-unsubscribe')?.[0]).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/u\/[A-Za-z0-9_.-]+>$/);
    const link = /https?:\/\/[^\s"<>]+\/r\/[A-Za-z0-9_.-]+/.exec((await decodedBodies(message!)).text)?.[0];
    expect(link).toBeDefined();
    // The link carries no order id: only a signed token whose reference is the random one stored
    // with the message. (Looking for "14" in the text would fail by chance on a random token.)
    const token = /\/r\/([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]{43}$/.exec(link!)?.[1];
    const [stored] = (await pool.query<RowDataPacket[]>('SELECT link_ref FROM outbox'))[0];
    expect(stored!.link_ref).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(token!, 'base64url').toString('utf8')).toMatch(new RegExp(`^v1:pay:${stored!.link_ref}:\\d+$`));

    const click = await request(link!).get('').redirects(0).expect(302);
    expect(click.headers.location).toBe(`${shop.url}/checkout/order-pay/${orderId}/?pay_for_order=true&key=${String(pending.order_key)}`);
    expect(Number((await row('SELECT COUNT(*) AS n FROM clicks'))!.n), 'clicks').toBe(1);

    const paid = await shop.update(orderId, { status: 'processing', date_paid_gmt: wooTime(new Date()) });
    await deliver('order.updated', paid);
    await waitFor(
      async () => row('SELECT status, exit_reason FROM enrollments WHERE subject_id = ?', [String(orderId)]),
      (e) => e?.status === 'exited',
      20_000,
      'the enrollment to exit',
    );
    expect(await row('SELECT exit_reason FROM enrollments WHERE subject_id = ?', [String(orderId)])).toMatchObject({ exit_reason: 'paid' });

    // Attribution: the paid order is credited to the reminder that was sent and the click on it.
    const attribution = await row('SELECT * FROM attributions WHERE order_id = ?', [orderId]);
    const sent = await row("SELECT id FROM outbox WHERE status = 'sent'");
    const clicked = await row('SELECT id FROM clicks');
    expect(attribution).toMatchObject({
      outbox_id: sent!.id,
      click_id: clicked!.id,
      step: 0,
      channel: 'email',
      revenue: Number(pending.total).toFixed(4),
    });
    const report = await recoveryReport(pool, shopId, new Date(placed.getTime() - 3_600_000), new Date(Date.now() + 3_600_000));
    const revenue = [{ currency: pending.currency, amount: Number(pending.total).toFixed(2) }];
    expect(report).toMatchObject({ remindersSent: 1, clicks: 1, uniqueClicks: 1, ordersRecovered: 1, revenue });
    // By reminder and channel, and by day (the days of the range, each present, summing to the totals).
    expect(report.byReminder).toEqual([{ step: 0, channel: 'email', sent: 1, clicks: 1, uniqueClicks: 1, orders: 1, revenue }]);
    const today = new Date().toISOString().slice(0, 10);
    expect(report.daily.find((d) => d.day === today)).toEqual({ day: today, sent: 1, clicks: 1, uniqueClicks: 1, orders: 1, revenue });
    expect(report.daily.reduce((n, d) => n + d.sent, 0)).toBe(1);

    const after = await request(link!).get('').redirects(0).expect(302);
    expect(after.headers.location).toBe(`${shop.url}/checkout/order-received/${orderId}/?key=${String(pending.order_key)}`);
    expect(
      smtp.received.length,
      `messages: ${JSON.stringify((await pool.query('SELECT id, idempotency_key, status, attempts, last_error FROM outbox'))[0])}`,
    ).toBe(1); // one reminder, never a second to a paid order
    expect(await row('SELECT status FROM outbox')).toMatchObject({ status: 'sent' });
  });

  it('answers a tampered link with a page a person can read', async () => {
    const res = await request(sidecar.url)
      .get('/r/djE6cGF5OkFBQUFBQUFBQUFBQUFBQUFBQUFBQUE6MTc5NjAwNDgwMA.05dRQT35fVA_HJMNVEOYu4vV_j6-t8s8dbmiNRhdYbM')
      .expect(400);
    expect(res.text).toContain('This link is not valid');
    expect(res.text).not.toMatch(/at .*\.ts:\d+/);
  });

  it(
    'reminds a bank-transfer order on hold with the company and bank details, no payment link, and stops once it is paid',
    { timeout: 120_000 },
    async () => {
      await saveCompany(pool, shopId, {
        name: 'Fixture Shop Ltd',
        address: ['1 Test Street', '90001 Testville'],
        bankAccounts: [
          {
            accountName: 'Fixture Shop Ltd',
            bankName: 'First Test Bank',
            accountNumber: '12345678',
            iban: 'GB33BUKB20201555555555',
            bic: 'BUKBGB22',
          },
        ],
      });
      // The recorded block-checkout deliveries: order.updated first, then order.created, both on hold.
      const { onHold, before, text: body } = await remindRecordedOnHold([32, 33], 'bacs');
      expect(body).toContain('GB33BUKB20201555555555');
      expect(body).toContain('First Test Bank');
      expect(body).toContain(String(onHold.number));
      expect(body).not.toMatch(/\/r\/[A-Za-z0-9_.-]+/); // a transfer has no payment link

      const paid = await shop.update(onHold.id, { status: 'processing', date_paid_gmt: wooTime(new Date()) });
      await deliver('order.updated', paid);
      await waitFor(
        async () => row('SELECT status, exit_reason FROM enrollments WHERE subject_id = ?', [String(onHold.id)]),
        (e) => e?.status === 'exited',
        20_000,
        'the enrollment to exit',
      );
      expect(await row('SELECT step, channel, revenue FROM attributions WHERE order_id = ?', [onHold.id])).toMatchObject({
        step: 0,
        channel: 'email',
        revenue: Number(onHold.total).toFixed(4),
      });
      expect(smtp.received.length).toBe(before + 1);
    },
  );

  it(
    'reminds a cheque order on hold with the cheque text and the shop’s cheque instructions, never the bank transfer’s IBAN',
    { timeout: 120_000 },
    async () => {
      // The sweep at start read the shop's gateways over REST (GET payment_gateways).
      await waitFor(
        async () => loadPaymentGateways(pool, shopId),
        (gateways) => gateways.some((g) => g.id === 'cheque'),
        30_000,
        'the shop’s payment gateways to be read',
      );
      // The recorded block-checkout cheque order (fixtures 036–038).
      const { text, html } = await remindRecordedOnHold([36, 37], 'cheque');
      expect(text).toContain('We have not yet received your cheque for order 20');
      expect(text).toContain('payable to Fixture Shop Ltd');
      expect(text).toContain('1 Test Street');
      expect(text).toContain('Post your cheque to 1 Test Street, 90001 Testville.\nWe ship as soon as it has cleared.');
      expect(html).toContain('Post your cheque to 1 Test Street, 90001 Testville.<br />We ship as soon as it has cleared.');
      for (const body of [text, html]) {
        expect(body).not.toContain('GB33BUKB20201555555555');
        expect(body).not.toMatch(/bank transfer|transfer title/i);
        expect(body).not.toMatch(/\/r\/[A-Za-z0-9_.-]+/); // a cheque has no payment link
      }
    },
  );

  it(
    'reminds a Polish order in Polish: the multilingual plugin’s language in the order, the Polish subject, text, link words and pages',
    { timeout: 120_000 },
    async () => {
      // What the plugin adds to the REST order (and so to the webhook) for an order placed in Polish
      // through WPML, Polylang or TranslatePress (class-comeback-languages.php).
      const polishId = orderId + 500;
      const placedAt = new Date(Date.now() - 2 * 60_000);
      const polish = {
        ...pending,
        id: polishId,
        number: String(polishId),
        order_key: 'wc_order_polish0001',
        billing: { ...(pending.billing as object), email: 'anna@example.pl', first_name: 'Anna' },
        date_created_gmt: wooTime(placedAt),
        date_modified_gmt: wooTime(placedAt),
        comeback_language: { locale: 'pl_PL', source: 'order' },
      };
      shop.orders.set(polishId, polish);
      const before = smtp.received.length;
      await deliver('order.created', polish);
      await waitFor(
        async () => smtp.received.length,
        (n) => n > before,
        45_000,
        'the Polish reminder to arrive by SMTP',
      );
      const raw = smtp.received[before]!;
      const mail = parseRaw(raw);
      expect(mail.headers.get('to')?.[0]).toContain('anna@example.pl');
      // The unpaid-order preset's Polish subject, filled in (MIME-encoded: decoded by mailparser).
      expect((await simpleParser(raw)).subject).toBe(`Twoje zamówienie ${polishId} czeka na płatność`);
      const { html, text } = await decodedBodies(raw);
      expect(html).toMatch(/<html[^>]*lang="pl-PL"/);
      expect(text).toContain('Anna');
      expect(text).not.toMatch(/\byour order\b/i);
      expect(await row('SELECT language, language_source, text_language FROM outbox WHERE recipient = ?', ['anna@example.pl'])).toEqual({
        language: 'pl_PL',
        language_source: 'order',
        text_language: 'pl_PL',
      });
      // The message's own pages speak Polish too: its one-click unsubscribe page.
      const unsubscribe = /<(http:\/\/[^>]+\/u\/[^>]+)>/.exec(mail.headers.get('list-unsubscribe')?.[0] ?? '')?.[1];
      const page = await request(unsubscribe!).get('').set('accept-language', 'en-US').expect(200);
      expect(page.text).toMatch(/<html lang="pl-PL" dir="ltr"/);
      expect(page.text).toContain('<title>Wypisz się');
      expect(page.text).toContain('Wypisz się z wiadomości o Twoich zamówieniach');
    },
  );
});
