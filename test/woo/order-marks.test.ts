import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { upsertOrder } from '../../sidecar/src/events/order-store.ts';
import { DEFAULT_RECOVERY, loadRecoverySettings, saveRecoverySettings } from '../../sidecar/src/flows/definition/recovery-settings.ts';
import { cancelByMerchant } from '../../sidecar/src/flows/admin/queue-store.ts';
import { runDueSteps } from '../../sidecar/src/flows/steps/step-runner.ts';
import { applyMoves, type Claimed } from '../../sidecar/src/flows/steps/step-store.ts';
import { flagActiveMarks } from '../../sidecar/src/woo/order-mark-store.ts';
import { exitSubject } from '../../sidecar/src/flows/entry/enrollment.ts';
import { orderPipe } from '../../sidecar/src/app/order-pipe.ts';
import { createLogger } from '../../sidecar/src/logger.ts';
import { orderPayload } from '../../sidecar/src/woo/order-payload.ts';
import { pushOrderMarks, RECOVERY_MARK } from '../../sidecar/src/woo/order-marks.ts';
import { createWooClient } from '../../sidecar/src/woo/rest-client.ts';
import { LOCAL_NET, startFakeShop, wooTime } from '../fakes/fake-woo-shop.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { plainStepRunner } from '../helpers/plain-outbox.ts';

const orderChanges = orderPipe();

describe('marking orders in recovery in WooCommerce (for the plugin’s auto-cancel reprieve)', async () => {
  const { database } = await createTestDatabase('order_marks');
  const pool = database.pool;
  const shop = await startFakeShop();
  afterAll(() => shop.close());
  const client = createWooClient({ url: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret }, { net: LOCAL_NET });
  const logger = createLogger('silent');
  const pending = [...shop.orders.values()].find((o) => o.status === 'pending' && o.payment_method === 'payustandard')!;
  const orderId = pending.id as number;
  const placed = new Date(`${pending.date_created_gmt as string}Z`);
  const mark = () =>
    ((shop.orders.get(orderId)!.meta_data ?? []) as Array<{ key: string; value: unknown }>).find((m) => m.key === RECOVERY_MARK)?.value;
  const dirty = async () => Number((await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM enrollments WHERE mark_dirty'))[0][0]!.n);

  const [inserted] = await pool.query<ResultSetHeader>(
    'INSERT INTO shops (url, webhook_secret, consumer_key, consumer_secret) VALUES (?, ?, ?, ?)',
    [shop.url, 's', shop.consumerKey, shop.consumerSecret],
  );
  const shopId = inserted.insertId;
  const reminders = [DEFAULT_RECOVERY.reminders[0]!, { ...DEFAULT_RECOVERY.reminders[0]!, delay: { value: 2, unit: 'days' as const } }];
  await saveRecoverySettings(pool, shopId, { ...DEFAULT_RECOVERY, enabled: true, reminders });
  await upsertOrder(pool, shopId, orderPayload.parse(pending));

  it('clears flags without a REST call while the shop has no plugin', async () => {
    expect(await orderChanges.changed(pool, shopId, orderId, new Date(placed.getTime() + 60_000))).toBe('entered');
    expect(await dirty()).toBe(1);
    expect(await pushOrderMarks(pool, async () => client, logger)).toBe(0);
    expect(await dirty()).toBe(0);
    expect(mark()).toBeUndefined();
  });

  it('marks the order until its last reminder plus the grace (48 h), then clears the mark when recovery ends', async () => {
    await pool.query('UPDATE shops SET link_base = ? WHERE id = ?', [`${shop.url}/`, shopId]);
    await pool.query('UPDATE enrollments SET mark_dirty = TRUE');
    expect(await pushOrderMarks(pool, async () => client, logger)).toBe(1);
    expect(Number(mark())).toBe(Math.floor((placed.getTime() + 2 * 86_400_000 + 2 * 86_400_000) / 1000));
    expect(await dirty()).toBe(0);

    await exitSubject(pool, shopId, { type: 'order', id: String(orderId) }, 'paid', new Date());
    expect(await dirty()).toBe(1);
    expect(await pushOrderMarks(pool, async () => client, logger)).toBe(1);
    expect(mark()).toBe('');
    expect(await dirty()).toBe(0);
  });

  it('keeps the flag when the shop cannot be told, for the next sweep', async () => {
    await pool.query('UPDATE enrollments SET mark_dirty = TRUE');
    const unreachable = createWooClient(
      { url: 'http://127.0.0.1:9', consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret },
      { timeoutMs: 2_000, net: LOCAL_NET },
    );
    expect(await pushOrderMarks(pool, async () => unreachable, logger)).toBe(0);
    expect(await dirty()).toBe(1);
  });
});

describe('the mark lasts while the last reminder’s link may still be used (last send + the merchant’s grace)', async () => {
  const { database } = await createTestDatabase('order_marks_grace');
  const pool = database.pool;
  const shop = await startFakeShop();
  afterAll(() => shop.close());
  const client = createWooClient({ url: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret }, { net: LOCAL_NET });
  const logger = createLogger('silent');
  const pending = [...shop.orders.values()].find((o) => o.status === 'pending' && o.payment_method === 'payustandard')!;
  const orderId = pending.id as number;
  const placed = new Date(`${pending.date_created_gmt as string}Z`);
  const HOUR = 3_600_000;
  const mark = () =>
    ((shop.orders.get(orderId)!.meta_data ?? []) as Array<{ key: string; value: unknown }>).find((m) => m.key === RECOVERY_MARK)?.value;
  const push = () => pushOrderMarks(pool, async () => client, logger);
  const enrollment = async () =>
    (await pool.query<RowDataPacket[]>('SELECT id, status FROM enrollments WHERE subject_id = ?', [String(orderId)]))[0][0]!;
  let now = new Date();
  let shopId = 0;
  const steps = plainStepRunner(pool, client, () => now, orderChanges);
  const paidOrCancelled = async (status: 'processing' | 'cancelled', at: Date) => {
    // Modified after the shop's own stamp of the marks pushed (the stand-in stamps them with the real clock).
    const modified = wooTime(new Date(Math.max(at.getTime(), Date.now()) + 60_000));
    const order = { ...pending, status, date_modified_gmt: modified, ...(status === 'processing' ? { date_paid_gmt: wooTime(at) } : {}) };
    shop.orders.set(orderId, { ...shop.orders.get(orderId)!, ...order });
    await upsertOrder(pool, shopId, orderPayload.parse(order));
    await orderChanges.changed(pool, shopId, orderId, at);
  };

  /** The order entered with reminders 1 h and 1 day after it was placed; the shop has the plugin. */
  const enter = async (linkGraceHours?: number) => {
    for (const t of ['orders', 'enrollments', 'settings', 'flows', 'flow_versions', 'step_log', 'shops', 'outbox', 'attributions'])
      await pool.query(`DELETE FROM ${t}`);
    const [inserted] = await pool.query<ResultSetHeader>(
      'INSERT INTO shops (url, webhook_secret, consumer_key, consumer_secret, link_base) VALUES (?, ?, ?, ?, ?)',
      [shop.url, 's', shop.consumerKey, shop.consumerSecret, `${shop.url}/`],
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
      ...(linkGraceHours ? { linkGraceHours } : {}),
    });
    shop.orders.set(orderId, { ...pending, meta_data: [] });
    await upsertOrder(pool, shopId, orderPayload.parse(pending));
    now = new Date(placed.getTime() + 5 * 60_000);
    expect(await orderChanges.changed(pool, shopId, orderId, now)).toBe('entered');
  };
  /** Both reminders sent; answers when the last one left. */
  const sendBoth = async () => {
    now = new Date(placed.getTime() + HOUR + 1_000);
    expect((await runDueSteps(steps)).queued).toBe(1);
    await push();
    now = new Date(placed.getTime() + 24 * HOUR + 7_000);
    expect((await runDueSteps(steps)).queued).toBe(1);
    expect(await enrollment()).toMatchObject({ status: 'completed' });
    await push();
    return now;
  };

  it('marks the order at entry until its last reminder plus the grace (48 h by default)', async () => {
    await enter();
    expect(await push()).toBe(1);
    expect(Number(mark())).toBe(Math.floor((placed.getTime() + 24 * HOUR + 48 * HOUR) / 1000));
  });

  it('keeps the mark after the last reminder is sent, until that send plus the grace', async () => {
    await enter();
    const lastSend = await sendBoth();
    expect(Number(mark())).toBe(Math.floor((lastSend.getTime() + 48 * HOUR) / 1000));
    expect(Number(mark())).toBeGreaterThan(Math.floor(lastSend.getTime() / 1000));
  });

  it('uses the grace the merchant set', async () => {
    await enter(6);
    expect((await loadRecoverySettings(pool, shopId)).linkGraceHours).toBe(6);
    const lastSend = await sendBoth();
    expect(Number(mark())).toBe(Math.floor((lastSend.getTime() + 6 * HOUR) / 1000));
  });

  it('clears the mark when the order is paid after its last reminder', async () => {
    await enter();
    const lastSend = await sendBoth();
    await paidOrCancelled('processing', new Date(lastSend.getTime() + HOUR));
    expect(await push()).toBe(1);
    expect(mark()).toBe('');
  });

  it('clears the mark when the order is cancelled after its last reminder', async () => {
    await enter();
    const lastSend = await sendBoth();
    await paidOrCancelled('cancelled', new Date(lastSend.getTime() + HOUR));
    expect(await push()).toBe(1);
    expect(mark()).toBe('');
  });

  it('clears the mark when the merchant stops the recovery in the queue', async () => {
    await enter();
    now = new Date(placed.getTime() + HOUR + 1_000);
    await runDueSteps(steps);
    await push();
    expect(Number(mark())).toBeGreaterThan(0);
    expect(await cancelByMerchant(pool, shopId, Number((await enrollment()).id), now)).toBe(true);
    expect(await push()).toBe(1);
    expect(mark()).toBe('');
  });

  it('moves the mark on when a reminder is put off past its plan (send hours), never back', async () => {
    await enter();
    await push();
    const { id } = await enrollment();
    const row = { id: Number(id), step: 0 } as Claimed;
    const putOff = async (nextStepAt: Date) =>
      applyMoves(pool, [{ row, status: 'active', nextStepAt, advance: false, at: now, graceS: 48 * 3600 }]);
    await putOff(new Date(placed.getTime() + 100 * HOUR));
    expect(await push()).toBe(1);
    expect(Number(mark())).toBe(Math.floor((placed.getTime() + 148 * HOUR) / 1000));
    await putOff(new Date(placed.getTime() + 2 * HOUR));
    expect(await push()).toBe(0);
    expect(Number(mark())).toBe(Math.floor((placed.getTime() + 148 * HOUR) / 1000));
  });

  it('pushes a mark again when the plugin starts reading marks, for an order in its last reminder’s grace', async () => {
    await enter();
    const lastSend = await sendBoth();
    shop.orders.set(orderId, { ...shop.orders.get(orderId)!, meta_data: [] });
    await flagActiveMarks(pool, shopId);
    expect(await push()).toBe(1);
    expect(Number(mark())).toBe(Math.floor((lastSend.getTime() + 48 * HOUR) / 1000));
  });
});
