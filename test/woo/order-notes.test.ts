import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { orderPipe } from '../../sidecar/src/app/order-pipe.ts';
import { upsertOrder } from '../../sidecar/src/events/order-store.ts';
import { DEFAULT_RECOVERY, saveRecoverySettings } from '../../sidecar/src/flows/definition/recovery-settings.ts';
import { runDueSteps } from '../../sidecar/src/flows/steps/step-runner.ts';
import { dispatchDue } from '../../sidecar/src/channels/dispatch.ts';
import { createSmtpProvider } from '../../sidecar/src/channels/smtp/smtp-provider.ts';
import { insertClick } from '../../sidecar/src/links/link-store.ts';
import { createLogger } from '../../sidecar/src/logger.ts';
import { pushOrderNotes } from '../../sidecar/src/woo/order-notes.ts';
import { orderPayload } from '../../sidecar/src/woo/order-payload.ts';
import { createWooClient } from '../../sidecar/src/woo/rest-client.ts';
import { startSmtpServer } from '../channels/smtp-server.ts';
import { LOCAL_NET, startFakeShop, wooTime } from '../fakes/fake-woo-shop.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { plainStepRunner } from '../helpers/plain-outbox.ts';

const orderChanges = orderPipe();
const HOUR = 3_600_000;

describe('private order notes in WooCommerce: reminder sent, link clicked, order recovered', async () => {
  const { database } = await createTestDatabase('order_notes');
  const pool = database.pool;
  const shop = await startFakeShop();
  const smtp = await startSmtpServer();
  const email = createSmtpProvider({ host: '127.0.0.1', port: smtp.port, secure: false, timeoutMs: 5_000 });
  afterAll(async () => {
    await email.close();
    await smtp.close();
    await shop.close();
  });
  const client = createWooClient({ url: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret }, { net: LOCAL_NET });
  const logger = createLogger('silent');
  const pending = [...shop.orders.values()].find((o) => o.status === 'pending' && o.payment_method === 'payustandard')!;
  const orderId = pending.id as number;
  const placed = new Date(`${pending.date_created_gmt as string}Z`);
  let now = new Date();
  let shopId = 0;
  const push = () => pushOrderNotes(pool, async () => client, logger);
  const notesOn = (id: number) => (shop.notes.get(id) ?? []).map((n) => ({ note: n.note, customer_note: n.customer_note }));
  const steps = plainStepRunner(pool, client, () => now, orderChanges);

  /** The order entered "Unpaid order reminder" with two reminders (1 h, 1 day); the shop is connected with a REST key. */
  const enter = async () => {
    for (const t of [
      'orders',
      'enrollments',
      'settings',
      'flows',
      'flow_versions',
      'step_log',
      'shops',
      'outbox',
      'clicks',
      'attributions',
    ])
      await pool.query(`DELETE FROM ${t}`);
    shop.notes.clear();
    const [inserted] = await pool.query<ResultSetHeader>(
      'INSERT INTO shops (url, webhook_secret, consumer_key, consumer_secret) VALUES (?, ?, ?, ?)',
      [shop.url, 's', shop.consumerKey, shop.consumerSecret],
    );
    shopId = inserted.insertId;
    const first = DEFAULT_RECOVERY.reminders[0]!;
    await saveRecoverySettings(pool, shopId, {
      ...DEFAULT_RECOVERY,
      enabled: true,
      reminders: [
        { ...first, delay: { value: 1, unit: 'hours' } },
        { ...first, delay: { value: 1, unit: 'days' } },
      ],
    });
    shop.orders.set(orderId, { ...pending });
    await upsertOrder(pool, shopId, orderPayload.parse(pending));
    now = new Date(placed.getTime() + 5 * 60_000);
    expect(await orderChanges.changed(pool, shopId, orderId, now)).toBe('entered');
  };
  /** The step's reminder queued and sent over SMTP; answers its outbox id. */
  const sendReminder = async (at: Date) => {
    now = at;
    expect((await runDueSteps(steps)).queued).toBe(1);
    expect((await dispatchDue(pool, { email })).sent).toBe(1);
    const [rows] = await pool.query<RowDataPacket[]>("SELECT id FROM outbox WHERE status = 'sent' ORDER BY id DESC LIMIT 1");
    return Number(rows[0]!.id);
  };
  const flowName = async () =>
    String(
      (await pool.query<RowDataPacket[]>("SELECT JSON_UNQUOTE(JSON_EXTRACT(definition, '$.name')) AS n FROM flow_versions LIMIT 1"))[0][0]!
        .n,
    );

  it('notes each reminder sent, the first click only, and the recovery with the reminder credited — private notes, no address, no content', async () => {
    await enter();
    const name = await flowName();
    const outboxId = await sendReminder(new Date(placed.getTime() + HOUR + 1_000));
    expect(await push()).toBe(1);
    expect(notesOn(orderId)).toEqual([{ note: `Comeback: reminder 1 of “${name}” sent by email.`, customer_note: false }]);

    const enrollmentId = Number((await pool.query<RowDataPacket[]>('SELECT id FROM enrollments'))[0][0]!.id);
    const click = (at: Date) => insertClick(pool, { outboxId, enrollmentId, kind: 'pay', userAgent: 'test', at });
    // The send happened at the real clock (the SMTP dispatch): the click and the payment follow it.
    const sentAt = Date.now();
    await click(new Date(sentAt + 60_000));
    await click(new Date(sentAt + 120_000));
    expect(await push()).toBe(1);
    expect(await push()).toBe(0);

    await sendReminder(new Date(placed.getTime() + 24 * HOUR + 7_000));
    expect(await push()).toBe(1);
    const paidAt = new Date(Date.now() + HOUR);
    const paid = { ...pending, status: 'processing', date_paid_gmt: wooTime(paidAt), date_modified_gmt: wooTime(paidAt) };
    shop.orders.set(orderId, paid);
    await upsertOrder(pool, shopId, orderPayload.parse(paid));
    await orderChanges.changed(pool, shopId, orderId, paidAt);
    expect(await push()).toBe(1);
    expect(await push()).toBe(0);

    expect(notesOn(orderId)).toEqual([
      { note: `Comeback: reminder 1 of “${name}” sent by email.`, customer_note: false },
      { note: `Comeback: the payment link in reminder 1 of “${name}” (email) was clicked.`, customer_note: false },
      { note: `Comeback: reminder 2 of “${name}” sent by email.`, customer_note: false },
      { note: `Comeback: order recovered — paid after reminder 2 of “${name}” (email), which is credited.`, customer_note: false },
    ]);
    const all = JSON.stringify([...shop.notes.values()]);
    const [sent] = await pool.query<RowDataPacket[]>('SELECT recipient, subject FROM outbox');
    expect(smtp.received).toHaveLength(2);
    expect(all).not.toContain(String(sent[0]!.recipient));
    expect(all).not.toContain(String(sent[0]!.subject));
  });

  it('retries a note the shop failed to add, once, on the next round', async () => {
    await enter();
    await sendReminder(new Date(placed.getTime() + HOUR + 1_000));
    shop.failNotes = 500;
    try {
      expect(await push()).toBe(0);
    } finally {
      shop.failNotes = null;
    }
    expect(notesOn(orderId)).toEqual([]);
    expect(await push()).toBe(1);
    expect(await push()).toBe(0);
    expect(notesOn(orderId)).toHaveLength(1);
  });

  it('drops the note of an order the shop no longer has (404), instead of trying forever', async () => {
    await enter();
    await sendReminder(new Date(placed.getTime() + HOUR + 1_000));
    shop.orders.delete(orderId);
    try {
      expect(await push()).toBe(1);
      expect(await push()).toBe(0);
    } finally {
      shop.orders.set(orderId, { ...pending });
    }
    expect(shop.notes.size).toBe(0);
    expect((await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM outbox WHERE noted = FALSE'))[0][0]!.n).toBe(0);
  });

  it('adds nothing for a cart or customer subject, nor for a shop without a REST key', async () => {
    await enter();
    const outboxId = await sendReminder(new Date(placed.getTime() + HOUR + 1_000));
    await pool.query("UPDATE enrollments SET subject_type = 'cart'");
    await insertClick(pool, { outboxId, enrollmentId: null, kind: 'pay', userAgent: 'test', at: new Date() });
    expect(await push()).toBe(0);
    await pool.query("UPDATE enrollments SET subject_type = 'customer'");
    expect(await push()).toBe(0);
    expect(shop.notes.size).toBe(0);
    expect((await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM outbox WHERE noted = FALSE'))[0][0]!.n).toBe(0);

    await enter();
    await pool.query('UPDATE shops SET consumer_key = NULL, consumer_secret = NULL');
    await sendReminder(new Date(placed.getTime() + HOUR + 1_000));
    expect(await push()).toBe(0);
    expect(shop.notes.size).toBe(0);
  });
});
