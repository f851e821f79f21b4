import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { upsertOrder } from '../../sidecar/src/events/order-store.ts';
import { DEFAULT_RECOVERY, saveRecoverySettings } from '../../sidecar/src/flows/definition/recovery-settings.ts';
import { exitSubject } from '../../sidecar/src/flows/entry/enrollment.ts';
import { orderPipe } from '../../sidecar/src/app/order-pipe.ts';
import { createLogger } from '../../sidecar/src/logger.ts';
import { orderPayload } from '../../sidecar/src/woo/order-payload.ts';
import { pushOrderMarks, RECOVERY_MARK } from '../../sidecar/src/woo/order-marks.ts';
import { createWooClient } from '../../sidecar/src/woo/rest-client.ts';
import { startFakeShop } from '../fakes/fake-woo-shop.ts';
import { createTestDatabase } from '../helpers/database.ts';

const orderChanges = orderPipe();

describe('marking orders in recovery in WooCommerce (for the plugin’s auto-cancel reprieve)', async () => {
  const { database } = await createTestDatabase('order_marks');
  const pool = database.pool;
  const shop = await startFakeShop();
  afterAll(() => shop.close());
  const client = createWooClient({ url: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret });
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

  it('marks the order until a day after its last reminder, then clears the mark when recovery ends', async () => {
    await pool.query('UPDATE shops SET link_base = ? WHERE id = ?', [`${shop.url}/`, shopId]);
    await pool.query('UPDATE enrollments SET mark_dirty = TRUE');
    expect(await pushOrderMarks(pool, async () => client, logger)).toBe(1);
    expect(Number(mark())).toBe(Math.floor((placed.getTime() + 2 * 86_400_000 + 86_400_000) / 1000));
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
      { timeoutMs: 2_000 },
    );
    expect(await pushOrderMarks(pool, async () => unreachable, logger)).toBe(0);
    expect(await dirty()).toBe(1);
  });
});
