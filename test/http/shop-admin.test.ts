import type { RowDataPacket } from 'mysql2/promise';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_RECOVERY } from '../../sidecar/src/flows/definition/recovery-settings.ts';
import { addTestRecipient, verifyTestRecipient } from '../../sidecar/src/flows/admin/test-recipient-store.ts';
import { signRequest } from '../../sidecar/src/http/admin-auth.ts';
import { startTestSidecar } from '../helpers/sidecar.ts';
import { recordedGeneralSettings, startFakeShop, unpaidOrdersFromAnHourAgo } from '../fakes/fake-woo-shop.ts';
import { loadFormats } from '../../sidecar/src/woo/shop-profile.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { waitFor } from '../helpers/processes.ts';

const TOKEN = 'admin-token-for-shop-tests-0123456789';

describe('connecting a shop and the admin API around it (a real sidecar, the stand-in shop over HTTP)', async () => {
  const { database, url } = await createTestDatabase('shop_admin');
  const pool = database.pool;
  const { payu, bacs, orders } = unpaidOrdersFromAnHourAgo();
  // The recorded settings, with this shop writing prices the European way.
  const europeanPrices: Record<string, string> = {
    woocommerce_currency_pos: 'right_space',
    woocommerce_price_decimal_sep: ',',
    woocommerce_price_thousand_sep: '.',
  };
  const generalSettings = recordedGeneralSettings().map((s) => (s.id in europeanPrices ? { ...s, value: europeanPrices[s.id] } : s));
  // The site title with an ampersand, an apostrophe and a non-ASCII letter: WordPress's REST index
  // answers it HTML-escaped, as blogname is stored; the shop's name is the title as typed.
  const SITE_TITLE = "Tom & Jerry's Kraków";
  const shop = await startFakeShop({ orders, generalSettings, siteTitle: SITE_TITLE });
  const readOnly = await startFakeShop({ permissions: 'read' });
  const sidecar = await startTestSidecar(url, { env: { COMEBACK_ADMIN_TOKEN: TOKEN } });
  afterAll(async () => {
    await sidecar.stop();
    await shop.close();
    await readOnly.close();
  });
  let shopId = 0;
  let sharedSecret = '';
  const admin = (method: 'get' | 'put' | 'post', path: string) => {
    const r = request(sidecar.url)[method](path).set('authorization', `Bearer ${TOKEN}`);
    return shopId ? r.set('x-comeback-shop-id', String(shopId)) : r;
  };
  const row = async (sql: string, params: unknown[] = []) => (await pool.query<RowDataPacket[]>(sql, params))[0][0];

  it('refuses a wrong key, and a read-only key, saying what to fix, and stores nothing', async () => {
    const wrong = await admin('post', '/api/shops')
      .send({ url: shop.url, consumerKey: `ck_${'0'.repeat(40)}`, consumerSecret: `cs_${'0'.repeat(40)}` })
      .expect(400);
    expect(wrong.body.error.code).toBe('woocommerce_key_refused');
    expect(wrong.body.error.message).toMatch(/refused the key/);
    const ro = await admin('post', '/api/shops')
      .send({ url: readOnly.url, consumerKey: readOnly.consumerKey, consumerSecret: readOnly.consumerSecret })
      .expect(400);
    expect(ro.body.error.message).toMatch(/Read\/Write/);
    expect(readOnly.webhooks.size).toBe(0);
    const bad = await admin('post', '/api/shops').send({ url: 'ftp://shop', consumerKey: 'nope' }).expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(
      expect.arrayContaining(['url', 'consumerKey', 'consumerSecret']),
    );
    expect(Number((await row('SELECT COUNT(*) AS n FROM shops WHERE url = ?', [shop.url]))!.n)).toBe(0);
  });

  it('connects: key tried, shop stored under its site title, four order webhooks registered to us, company seeded from WooCommerce', async () => {
    const res = await admin('post', '/api/shops')
      .send({ url: `${shop.url}/`, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret, name: 'Fixture Shop' })
      .expect(201);
    shopId = res.body.shop.id;
    sharedSecret = res.body.sharedSecret;
    expect(sharedSecret.length).toBeGreaterThanOrEqual(40);
    expect(res.body).toMatchObject({
      connected: true,
      // The site title, not the name typed when connecting: the shop's pages and emails say the title.
      shop: { url: shop.url, name: SITE_TITLE, currency: 'USD', demo: false },
      connectionError: null,
    });
    expect(res.body.webhooks.map((w: { topic: string; action: string }) => `${w.topic}:${w.action}`).sort()).toEqual([
      'order.created:created',
      'order.deleted:created',
      'order.restored:created',
      'order.updated:created',
    ]);
    const hooks = [...shop.webhooks.values()];
    expect(
      hooks.every((h) => h.delivery_url === `${sidecar.url}/webhooks/woocommerce` && h.status === 'active' && h.secret === sharedSecret),
    ).toBe(true);
    const company = await admin('get', '/api/settings/company').expect(200);
    expect(company.body).toEqual({
      name: SITE_TITLE,
      address: ['1 Test Street', 'Testville, CA 90001', 'United States'],
      bankAccounts: [],
    });
    // Prices in reminders as the shop writes them (no plugin: dates and labels stay Intl's and English).
    expect((await loadFormats(pool, shopId))?.price).toEqual({
      decimals: 2,
      decimalSeparator: ',',
      thousandSeparator: '.',
      position: 'right_space',
    });
    // A US store: WooCommerce's word for the sort-code field there.
    expect((await loadFormats(pool, shopId))?.labels.sortCode).toBe('Routing number');
    // The admin screens get the same formats, the shop's symbol and its gateways' titles with the connection.
    const connected = (await admin('get', '/api/shop/connection').expect(200)).body.shop;
    expect(connected.formats).toMatchObject({
      currencySymbol: '$',
      price: { decimals: 2, decimalSeparator: ',', thousandSeparator: '.', position: 'right_space' },
      dates: { format: 'F j, Y', months: expect.arrayContaining(['March']) },
    });
    expect(connected.gateways).toEqual(expect.arrayContaining([{ id: 'bacs', title: 'Direct bank transfer' }]));
    // Connecting again repairs nothing that is fine and keeps the secret.
    const again = await admin('post', '/api/shops')
      .send({ url: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret })
      .expect(201);
    expect(again.body.sharedSecret).toBe(sharedSecret);
    expect(again.body.webhooks.every((w: { action: string }) => w.action === 'unchanged')).toBe(true);
    expect(shop.webhooks.size).toBe(4);
  });

  it('receives the shop’s own signed deliveries through the registered webhooks', async () => {
    await shop.update(payu.id as number, {});
    await waitFor(
      async () => row('SELECT COUNT(*) AS n FROM events WHERE shop_id = ?', [shopId]),
      (r) => Number(r?.n) >= 1,
      10_000,
      'the delivery to be stored',
    );
    expect([...shop.webhooks.values()].every((h) => h.failure_count === 0)).toBe(true);
  });

  it('turns back on a webhook WooCommerce disabled, at the next sweep, and shows it in the connection status', async () => {
    const hook = [...shop.webhooks.values()].find((h) => h.topic === 'order.updated')!;
    hook.status = 'disabled';
    hook.failure_count = 6;
    const before = await admin('get', '/api/shop/connection').expect(200);
    expect(before.body.connected).toBe(true); // what we last saw; the sweep finds out
    // A sweep still running when now() is called saves its own next run (in five minutes) over it,
    // as agenda does; so the sweep is asked for again until one has run since the hook was disabled.
    let asked = 0;
    const after = await waitFor(
      async () => {
        if (Date.now() - asked > 1_000) {
          asked = Date.now();
          await sidecar.scheduler.agenda.now('woo.reconcile');
        }
        return (await admin('get', '/api/shop/connection').expect(200)).body;
        // The webhooks are repaired first, then the orders are read: wait for the sweep to finish both.
      },
      (b) => b.webhooks.some((w: { repairedAt?: string }) => w.repairedAt) && b.lastReconciledAt !== null,
      15_000,
      'the sweep to re-enable the webhook and read the orders',
    );
    // What the sweep did stays visible to the merchant after later sweeps find all well.
    expect(after.webhooks.find((w: { topic: string }) => w.topic === 'order.updated')).toMatchObject({
      id: hook.id,
      status: 'active',
      lastRepair: 'reactivated',
    });
    expect(hook.status).toBe('active');
    expect(after.lastReconciledAt).not.toBeNull();
  });

  it('follows the site title at each sweep', async () => {
    shop.siteTitle = 'Tom & Jerry’s Kraków Shop';
    let asked = 0;
    await waitFor(
      async () => {
        if (Date.now() - asked > 1_000) {
          asked = Date.now();
          await sidecar.scheduler.agenda.now('woo.reconcile');
        }
        return (await admin('get', '/api/shop/connection').expect(200)).body.shop.name;
      },
      (name) => name === 'Tom & Jerry’s Kraków Shop',
      15_000,
      'the sweep to read the new site title',
    );
    shop.siteTitle = SITE_TITLE;
    await waitFor(
      async () => {
        if (Date.now() - asked > 1_000) {
          asked = Date.now();
          await sidecar.scheduler.agenda.now('woo.reconcile');
        }
        return (await admin('get', '/api/shop/connection').expect(200)).body.shop.name;
      },
      (name) => name === SITE_TITLE,
      15_000,
      'the sweep to read the site title back',
    );
  });

  it('the plugin signs with the shared secret; connecting another shop needs the admin token', async () => {
    const body = '';
    const signed = await request(sidecar.url)
      .get('/api/shop/connection')
      .set('x-comeback-shop', shop.url)
      .set(
        'x-comeback-signature',
        signRequest(sharedSecret, { direction: 'plugin-to-sidecar', method: 'GET', path: '/api/shop/connection', body }),
      )
      .expect(200);
    expect(signed.body.shop.id).toBe(shopId);
    const json = JSON.stringify({ url: 'https://other.example', consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret });
    await request(sidecar.url)
      .post('/api/shops')
      .set('x-comeback-shop', shop.url)
      .set(
        'x-comeback-signature',
        signRequest(sharedSecret, { direction: 'plugin-to-sidecar', method: 'POST', path: '/api/shops', body: json }),
      )
      .set('content-type', 'application/json')
      .send(json)
      .expect(403);
  });

  it('keeps company details and bank accounts, validated', async () => {
    const company = {
      name: 'Fixture Shop Ltd',
      address: ['1 Test Street', '90001 Testville'],
      taxId: 'US-123',
      bankAccounts: [
        {
          accountName: 'Fixture Shop Ltd',
          bankName: 'First Test Bank',
          accountNumber: '12345678',
          iban: 'GB33BUKB20201555555555',
          bic: 'BUKBGB22',
          sortCode: '12-34-56',
        },
      ],
    };
    expect((await admin('put', '/api/settings/company').send(company).expect(200)).body).toEqual(company);
    const version = async () =>
      Number((await row("SELECT version FROM settings WHERE shop_id = ? AND `key` = 'company'", [shopId]))!.version);
    const saved = await version();
    await admin('put', '/api/settings/company').send(company).expect(200); // the same again, as the plugin reports it every sweep
    expect(await version()).toBe(saved);
    const bad = await admin('put', '/api/settings/company').send({ name: '', bankAccounts: 'none' }).expect(400);
    expect(bad.body.error.code).toBe('invalid_company');
    expect((await admin('get', '/api/settings/company').expect(200)).body).toEqual(company);
  });

  it('previews a reminder against a real stored order: payment link for online, bank details for a transfer', async () => {
    await waitFor(
      async () => row('SELECT COUNT(*) AS n FROM orders WHERE shop_id = ?', [shopId]),
      (r) => Number(r?.n) >= 2,
      15_000,
      'the sweep to store the orders',
    );
    const online = await admin('post', '/api/recovery/preview').send({ gateway: 'online' }).expect(200);
    expect(online.body).toMatchObject({ sample: false, gateway: 'online', order: { id: payu.id, paymentMethod: 'payustandard' } });
    expect(online.body.subject).toContain(String(payu.number));
    expect(online.body.html).toContain(String((payu.billing as { first_name: string }).first_name));
    expect(online.body.html).toMatch(new RegExp(`>Pay for your order<`));
    expect(online.body.text).toMatch(new RegExp(`${sidecar.url}/r/[A-Za-z0-9_.-]+`));

    const offline = await admin('post', '/api/recovery/preview').send({ gateway: 'offline' }).expect(200);
    expect(offline.body.order).toMatchObject({ id: bacs.id, paymentMethod: 'bacs' });
    expect(offline.body.text).toContain('GB33BUKB20201555555555');
    // The total with the order's currency symbol, in the shop's price format (set above).
    const [whole, cents] = Number(bacs.total).toFixed(2).split('.');
    expect(offline.body.text).toContain(`(${whole},${cents}\u00a0${String(bacs.currency_symbol)})`);
    expect(offline.body.html).not.toContain('/r/');

    // The texts being edited, before they are saved; an error points at its line and column.
    const edited = await admin('post', '/api/recovery/preview')
      .send({
        gateway: 'online',
        reminder: { subject: 'Hi [customer_first_name]', onlineBody: 'Line one\n[paymnt_link]', offlineBody: 'x' },
      })
      .expect(400);
    expect(edited.body.error.details[0]).toMatchObject({ field: 'onlineBody', line: 2, column: 1, code: 'unknown_shortcode' });
  });

  it('sends a test to the editor through the outbox, marked [Test], whose link belongs to no order', async () => {
    // Confirmed under Test recipients (test/flows/test-recipients.test.ts): the admin token sends tests nowhere else.
    await verifyTestRecipient(pool, shopId, (await addTestRecipient(pool, shopId, 'email', 'editor@example.test')).id, new Date());
    const sent = await admin('post', '/api/recovery/test').send({ gateway: 'online', to: 'editor@example.test' }).expect(202);
    const message = (await admin('get', `/api/outbox/${sent.body.outboxId}`).expect(200)).body;
    expect(message).toMatchObject({ to: 'editor@example.test', enrollmentId: null });
    expect(message.subject).toMatch(/^\[Test\] /);
    // [shop_name] is the site title, escaped in the HTML part.
    expect(message.text).toContain(`at ${SITE_TITLE} is not paid yet`);
    expect(message.html).toContain('at Tom &amp; Jerry&#39;s Kraków is not paid yet');
    // Its unsubscribe link says what it does in a real message, and withdraws no one's consent (the editor's neither).
    const unsubscribe = /http:\/\/[^\s"<>]+\/u\/[A-Za-z0-9_.-]+/.exec(message.text)![0];
    expect((await request(unsubscribe).get('').expect(200)).text).toContain('This link is from a test message');
    expect((await request(unsubscribe).post('').expect(200)).text).toContain('Nothing was changed');
    expect(await row("SELECT * FROM consents WHERE address = 'editor@example.test'")).toBeUndefined();
    const link = /http:\/\/[^\s"<>]+\/r\/[A-Za-z0-9_.-]+/.exec(message.text)![0];
    const page = await request(link).get('').redirects(0).expect(200);
    expect(page.text).toContain('test message');
    await admin('post', '/api/recovery/test').send({ gateway: 'online', to: 'not an address' }).expect(400);
  });

  it('lists the queue with the order behind each enrollment, and one enrollment’s timeline', async () => {
    await admin('put', '/api/settings/recovery')
      .send({ ...DEFAULT_RECOVERY, enabled: true })
      .expect(200);
    const queue = await waitFor(
      async () => (await admin('get', '/api/queue').expect(200)).body,
      (b) => b.total >= 2,
      15_000,
      'both orders to enter recovery',
    );
    const entry = queue.items.find((i: { order: { id: number } }) => i.order.id === payu.id);
    expect(entry).toMatchObject({
      flow: 'unpaid-order',
      // The words the merchant knows: the flow's name, the title the checkout showed, the buyer's name.
      flowName: 'Unpaid order reminder',
      order: {
        number: String(payu.number),
        email: (payu.billing as { email: string }).email,
        paymentMethod: 'payustandard',
        paymentMethodTitle: payu.payment_method_title,
        name: `${(payu.billing as { first_name: string }).first_name} ${(payu.billing as { last_name: string }).last_name}`,
      },
    });
    const timeline = await waitFor(
      async () => (await admin('get', `/api/queue/${entry.id}`).expect(200)).body,
      (b) => b.timeline.some((t: { event: string }) => t.event === 'message.sent'),
      30_000,
      'the reminder to be sent',
    );
    expect(timeline.timeline.map((t: { event: string }) => t.event)).toEqual(
      expect.arrayContaining(['entered', 'message.queued', 'message.sent']),
    );
    expect((await admin('get', '/api/queue?status=exited').expect(200)).body.items).toEqual([]);
    await admin('get', '/api/queue?status=bogus').expect(400);
    await admin('get', '/api/queue/999999').expect(404);

    const outbox = (await admin('get', '/api/outbox?status=sent').expect(200)).body;
    expect(outbox.total).toBeGreaterThanOrEqual(2);
    expect(outbox.items[0]).toMatchObject({ status: 'sent', channel: 'email' });
    // The reminder names the shop by its site title, escaped once in the HTML part.
    const sentId = outbox.items.find((m: { enrollmentId: number | null }) => m.enrollmentId === entry.id).id;
    const reminder = (await admin('get', `/api/outbox/${sentId}`).expect(200)).body;
    expect(reminder.text).toContain(`at ${SITE_TITLE} is not paid yet`);
    expect(reminder.html).toContain('at Tom &amp; Jerry&#39;s Kraków is not paid yet');
  });

  it('lets the merchant retry a failing step now and cancel an enrollment (its unsent message stays unsent)', async () => {
    const queue = (await admin('get', '/api/queue').expect(200)).body;
    const entry = queue.items.find((i: { order: { id: number } }) => i.order.id === bacs.id);
    expect(entry).toBeDefined();
    // A step still to come that failed, as the runner leaves it (a second reminder), and a failed message.
    await pool.query(
      "UPDATE enrollments SET status = 'active', step = 1, exited_at = NULL, last_error = 'SMTP refused', next_step_at = ? WHERE id = ?",
      [new Date(Date.now() + 3_600_000), entry.id],
    );
    const [failed] = await pool.query<import('mysql2/promise').ResultSetHeader>(
      "INSERT INTO outbox (idempotency_key, shop_id, enrollment_id, step, channel, recipient, subject, status, attempts, last_error) VALUES ('retry-test', ?, ?, 1, 'email', 'x@example.test', 'x', 'failed', 5, 'refused')",
      [shopId, entry.id],
    );
    expect((await admin('get', '/api/queue?status=failing').expect(200)).body.items.map((i: { id: number }) => i.id)).toContain(entry.id);
    await admin('post', `/api/queue/${entry.id}/retry`).expect(200);
    const retried = await row('SELECT last_error, next_step_at FROM enrollments WHERE id = ?', [entry.id]);
    expect(retried!.last_error).toBeNull();
    expect(new Date(retried!.next_step_at).getTime()).toBeLessThanOrEqual(Date.now());
    expect(await row('SELECT status, attempts FROM outbox WHERE id = ?', [failed.insertId])).toMatchObject({
      status: 'retry',
      attempts: 0,
    });

    // Still waiting for a step at the cancel below. The retry woke the step loop: its batch is let
    // finish first (drain waits for the run in flight), or its move would land after this reset.
    await sidecar.loops.steps.drain();
    await pool.query(
      "UPDATE enrollments SET status = 'active', exited_at = NULL, exit_reason = NULL, locked_at = NULL, next_step_at = ? WHERE id = ?",
      [new Date(Date.now() + 3_600_000), entry.id],
    );
    await pool.query("UPDATE outbox SET status = 'pending' WHERE id = ?", [failed.insertId]);
    await admin('post', `/api/queue/${entry.id}/cancel`).expect(200);
    const detail = (await admin('get', `/api/queue/${entry.id}`).expect(200)).body;
    expect(detail).toMatchObject({ status: 'exited', exitReason: 'cancelled by the merchant' });
    expect(detail.timeline.at(-1)).toMatchObject({ event: 'exited', reason: 'cancelled by the merchant' });
    expect(await row('SELECT status FROM outbox WHERE id = ?', [failed.insertId])).toMatchObject({ status: 'cancelled' });
    // Nothing left to cancel or retry: a clear 409, and unknown ids 404.
    expect((await admin('post', `/api/queue/${entry.id}/retry`).expect(409)).body.error.code).toBe('not_active');
    await admin('post', '/api/queue/999999/cancel').expect(409);
    await admin('post', '/api/queue/abc/cancel').expect(404);
  });

  it('refuses to retry a scheduled enrollment (nothing sent early), and sends its next reminder now when asked to', async () => {
    // A second reminder a day after the order; the PayU order's enrollment, its first reminder
    // sent, waits for it on that version of the flow.
    const first = DEFAULT_RECOVERY.reminders[0]!;
    await admin('put', '/api/settings/recovery')
      .send({
        ...DEFAULT_RECOVERY,
        enabled: true,
        reminders: [first, { ...first, delay: { value: 1, unit: 'days' }, subject: 'Second reminder' }],
      })
      .expect(200);
    const { version } = (await row("SELECT version FROM flows WHERE shop_id = ? AND flow_key = 'unpaid-order'", [shopId]))!;
    const id = (await row("SELECT id FROM enrollments WHERE shop_id = ? AND subject_type = 'order' AND subject_id = ?", [
      shopId,
      String(payu.id),
    ]))!.id as number;
    await pool.query(
      "UPDATE enrollments SET status = 'active', flow_version = ?, step = 1, exited_at = NULL, exit_reason = NULL, last_error = NULL, next_step_at = ? WHERE id = ?",
      [version, new Date(Date.now() + 23 * 3_600_000), id],
    );
    const entry = (await admin('get', `/api/queue/${id}`).expect(200)).body;
    expect(entry).toMatchObject({ status: 'scheduled', step: 1 });
    const before = await row('SELECT next_step_at FROM enrollments WHERE id = ?', [entry.id]);
    expect(new Date(before!.next_step_at).getTime()).toBeGreaterThan(Date.now() + 3_600_000);
    const messages = async () => (await row('SELECT COUNT(*) AS n FROM outbox WHERE enrollment_id = ?', [entry.id]))!.n as number;
    const sentBefore = await messages();

    const refused = (await admin('post', `/api/queue/${entry.id}/retry`).expect(409)).body.error;
    expect(refused.code).toBe('not_failing');
    expect(refused.message).toContain('not failing');
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // the step loop polls every 200 ms
    expect(await row('SELECT next_step_at FROM enrollments WHERE id = ?', [entry.id])).toEqual(before);
    expect(await messages()).toBe(sentBefore);

    await admin('post', `/api/queue/${entry.id}/send-now`).expect(200);
    const detail = await waitFor(
      async () => (await admin('get', `/api/queue/${entry.id}`).expect(200)).body,
      (b) => b.timeline.some((t: { event: string; step?: number }) => t.event === 'message.sent' && t.step === 1),
      30_000,
      'the second reminder to be sent',
    );
    expect(detail.status).toBe('completed'); // it was the last reminder
    await admin('post', '/api/queue/999999/send-now').expect(409);
    await admin('post', '/api/queue/abc/send-now').expect(404);
  });

  it('lists the shops this sidecar serves, for the admin token only', async () => {
    const shops = (await request(sidecar.url).get('/api/shops').set('authorization', `Bearer ${TOKEN}`).expect(200)).body.items;
    expect(shops.map((s: { url: string }) => s.url)).toEqual(expect.arrayContaining([shop.url]));
    await request(sidecar.url).get('/api/shops').expect(401);
  });
});
