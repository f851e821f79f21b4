import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../sidecar/src/config.ts';
import { DEFAULT_RECOVERY, saveRecoverySettings } from '../../sidecar/src/flows/definition/recovery-settings.ts';
import { createLogger } from '../../sidecar/src/logger.ts';
import { startSmtpServer } from '../channels/smtp-server.ts';
import { recordedOrders, startFakeShop, wooTime } from '../fakes/fake-woo-shop.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { waitFor } from '../helpers/processes.ts';
import { startTestSidecar, deliverWebhook } from '../helpers/sidecar.ts';

const TOKEN = 'merchant-logs-admin-token-0123456789';
type Line = Record<string, unknown> & { level: number; msg: string };

/**
 * What a merchant's admin reads at the default log level (info) while a reminder goes out: the
 * shop connected, the webhook deliveries processed, the message sent — with ids and counts only,
 * never the customer's email, phone, name, address or the message's text.
 */
describe('the log at info level, end to end: connect → webhook → reminder sent', async () => {
  const { database, url } = await createTestDatabase('e2e_merchant_logs');
  const pool = database.pool;
  const smtp = await startSmtpServer();
  const output: string[] = [];
  // The level a sidecar runs at when COMEBACK_LOG_LEVEL is not set.
  const level = loadConfig({}, { workerName: 'test' }).logLevel;
  const logger = createLogger(level, { write: (line: string) => void output.push(line) });

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
  const billing = pending.billing as Record<string, string>;
  // Two more unpaid orders whose reminders do not go: one paid in the shop before its step ran (no
  // webhook told us; the step's fresh read finds it), one with neither an email nor a phone. Other
  // customers: a payment of the first one's would end their reminder too.
  const paidMeanwhile: Record<string, unknown> = {
    ...pending,
    id: orderId + 1000,
    number: String(orderId + 1000),
    billing: { ...billing, email: 'paid-meanwhile@example.test' },
  };
  const unreachable: Record<string, unknown> = {
    ...pending,
    id: orderId + 2000,
    number: String(orderId + 2000),
    billing: { ...billing, email: '', phone: '' },
    shipping: { ...(pending.shipping as object), phone: '' },
  };
  const shop = await startFakeShop({ orders: new Map() });
  const sidecar = await startTestSidecar(url, { smtpPort: smtp.port, logger, env: { COMEBACK_ADMIN_TOKEN: TOKEN } });
  afterAll(async () => {
    await sidecar.stop();
    await smtp.close();
    await shop.close();
  });
  const lines = () => output.map((l) => JSON.parse(l) as Line);
  const line = (msg: string) => lines().find((l) => l.msg === msg);

  it('logs the connection, the deliveries, the send and the import, and nothing personal', { timeout: 120_000 }, async () => {
    const connected = await request(sidecar.url)
      .post('/api/shops')
      .set('authorization', `Bearer ${TOKEN}`)
      .send({ url: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret, name: 'Fixture Shop' })
      .expect(201);
    const shopId = connected.body.shop.id as number;
    const sharedSecret = connected.body.sharedSecret as string;
    const reminder = DEFAULT_RECOVERY.reminders[0]!;
    await saveRecoverySettings(pool, shopId, {
      ...DEFAULT_RECOVERY,
      enabled: true,
      reminders: [{ ...reminder, delay: { value: 1, unit: 'minutes' } }],
    });

    shop.orders.set(orderId, pending);
    shop.orders.set(paidMeanwhile.id as number, { ...paidMeanwhile, status: 'processing', date_paid_gmt: wooTime(new Date()) });
    shop.orders.set(unreachable.id as number, unreachable);
    for (const body of [pending, paidMeanwhile, unreachable])
      await deliverWebhook(sidecar.url, { shopUrl: shop.url, secret: sharedSecret, topic: 'order.created', body });
    await waitFor(
      async () => smtp.received.length,
      (n) => n >= 1,
      45_000,
      'the reminder to arrive by SMTP',
    );
    await waitFor(
      async () => line('message sent'),
      (l) => l !== undefined,
      10_000,
      'the send to be logged',
    );

    expect(level).toBe('info');
    const host = new URL(shop.url).host;
    expect(line('shop connected')).toMatchObject({ level: 30, shopId, host });
    expect(line('order webhooks registered')).toMatchObject({ level: 30, shopId });
    const deliveries = lines().filter((l) => l.msg === 'webhook deliveries processed');
    expect(deliveries.length).toBeGreaterThan(0);
    expect(deliveries[0]).toMatchObject({ level: 30, failed: 0 });
    // The three deliveries, in one batch or several as they arrived.
    const sum = (pick: (l: Line) => unknown) => deliveries.reduce((n, l) => n + Number(pick(l) ?? 0), 0);
    expect(sum((l) => l.processed)).toBe(3);
    expect(sum((l) => (l.byTopic as Record<string, number>)['order.created'])).toBe(3);
    const [outbox] = (
      await pool.query<import('mysql2/promise').RowDataPacket[]>('SELECT id, enrollment_id, provider_message_id FROM outbox')
    )[0];
    // The steps that did not send say why, with ids only.
    await waitFor(
      async () => lines().filter((l) => /^flow step/.test(l.msg)).length,
      (n) => n >= 1,
      10_000,
      'the steps not sent to be logged',
    );
    const enrollmentOf = async (id: number) =>
      (
        await pool.query<import('mysql2/promise').RowDataPacket[]>(
          "SELECT id FROM enrollments WHERE subject_type = 'order' AND subject_id = ?",
          [String(id)],
        )
      )[0][0]?.id as number;
    // The order paid in the shop meanwhile is never reminded: the step's fresh read ends it (a "flow
    // step not sent" line), or a sweep that stored it paid first ends it through the order pipe, or
    // enters it not at all — whichever comes first on a loaded machine. A step line, if any, says so.
    const paidEnrollment = await enrollmentOf(paidMeanwhile.id as number);
    await waitFor(
      async () =>
        paidEnrollment === undefined
          ? { status: 'never entered', exit_reason: 'paid' }
          : (
              await pool.query<import('mysql2/promise').RowDataPacket[]>('SELECT status, exit_reason FROM enrollments WHERE id = ?', [
                paidEnrollment,
              ])
            )[0][0],
      (r) => (r?.status === 'exited' || r?.status === 'never entered') && r?.exit_reason === 'paid',
      10_000,
      'the order paid meanwhile to end its reminders',
    );
    if (paidEnrollment !== undefined)
      expect(
        Number(
          (
            await pool.query<import('mysql2/promise').RowDataPacket[]>('SELECT COUNT(*) AS n FROM outbox WHERE enrollment_id = ?', [
              paidEnrollment,
            ])
          )[0][0]!.n,
        ),
      ).toBe(0);
    const exitLine = line('flow step not sent: enrollment exited');
    if (exitLine)
      expect(exitLine).toEqual(
        expect.objectContaining({ level: 30, shopId, enrollmentId: paidEnrollment, flow: 'unpaid-order', step: 0, reason: 'paid' }),
      );
    expect(line('flow step skipped')).toEqual(
      expect.objectContaining({
        level: 30,
        shopId,
        enrollmentId: await enrollmentOf(unreachable.id as number),
        flow: 'unpaid-order',
        step: 0,
        reason: 'not_sent',
        refused: { email: 'no_address' },
      }),
    );
    expect(line('message sent')).toMatchObject({
      level: 30,
      outboxId: outbox!.id,
      shopId,
      enrollmentId: outbox!.enrollment_id,
      step: 0,
      channel: 'email',
      providerMessageId: outbox!.provider_message_id,
    });

    // The merchant imports the shop's history: the import's pages and the rebuild are logged too.
    await request(sidecar.url)
      .post('/api/customers/import')
      .set('authorization', `Bearer ${TOKEN}`)
      .set('x-comeback-shop-id', String(shopId))
      .send({})
      .expect(202);
    await waitFor(
      async () => line('customers and segments rebuilt'),
      (l) => l !== undefined,
      30_000,
      'the import to be logged',
    );
    expect(line('order history imported')).toMatchObject({ level: 30, shopId, status: 'done', ordersImported: 3, totalPages: 1 });
    expect(line('customers and segments rebuilt')).toMatchObject({ level: 30, shopId });

    // Nothing personal, nothing secret, in any line.
    expect(billing.email).toContain('@');
    expect(billing.phone).toBeTruthy();
    const all = output.join('');
    const [sent] = (await pool.query<import('mysql2/promise').RowDataPacket[]>('SELECT subject, link_ref FROM outbox'))[0];
    for (const secret of [
      billing.email,
      'paid-meanwhile@example.test',
      billing.phone,
      billing.first_name,
      billing.last_name,
      billing.address_1,
      shop.consumerKey,
      shop.consumerSecret,
      sharedSecret,
      String(sent!.subject),
      String(sent!.link_ref),
    ]) {
      if (secret) expect(all, `the log holds ${secret}`).not.toContain(secret);
    }
    expect(all).not.toMatch(/\/r\/[A-Za-z0-9_-]+\./); // no signed payment link
  });
});
