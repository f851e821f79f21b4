import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { upsertOrder } from '../../sidecar/src/events/order-store.ts';
import { orderPayload } from '../../sidecar/src/woo/order-payload.ts';
import { reconcileShop } from '../../sidecar/src/woo/reconcile.ts';
import { createWooClient } from '../../sidecar/src/woo/rest-client.ts';
import { LOCAL_NET, startFakeShop } from '../fakes/fake-woo-shop.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { orderPipe } from '../../sidecar/src/app/order-pipe.ts';

describe('WooCommerce REST and reconciliation, against a fake shop serving the recorded orders', async () => {
  const { database } = await createTestDatabase('reconcile');
  const pool = database.pool;
  const shop = await startFakeShop();
  const client = createWooClient({ url: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret }, { net: LOCAL_NET });
  let shopId = 0;
  afterAll(() => shop.close());

  beforeEach(async () => {
    await pool.query('DELETE FROM orders');
    await pool.query('DELETE FROM shops');
    const [result] = await pool.query<import('mysql2/promise').ResultSetHeader>(
      'INSERT INTO shops (url, webhook_secret, consumer_key, consumer_secret) VALUES (?, ?, ?, ?)',
      [shop.url, 'x', shop.consumerKey, shop.consumerSecret],
    );
    shopId = result.insertId;
  });

  const row = async (id: number) => {
    const [rows] = await pool.query<RowDataPacket[]>('SELECT status, date_paid FROM orders WHERE order_id = ?', [id]);
    return rows[0];
  };

  it('reads an order over OAuth-signed http, and null for one that does not exist', async () => {
    const [id] = [...shop.orders.keys()];
    const order = await client.getOrder(id!);
    expect(order?.id).toBe(id);
    expect(order?.status).toBe(shop.orders.get(id!)!.status);
    expect(await client.getOrder(999_999)).toBeNull();
  });

  it('says what the shop answered when the credentials are wrong: its status and WooCommerce’s error code, never the body', async () => {
    const wrong = createWooClient({ url: shop.url, consumerKey: shop.consumerKey, consumerSecret: 'cs_wrong' }, { net: LOCAL_NET });
    const error = await wrong.getOrder(14).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/the shop answered HTTP 401 \(woocommerce_rest_cannot_view\)$/);
    expect((error as Error).message).not.toMatch(/Sorry/);
  });

  it('catches a payment whose webhook never arrived', async () => {
    const pending = [...shop.orders.values()].find((o) => o.status === 'pending')!;
    const id = pending.id as number;
    await upsertOrder(pool, shopId, orderPayload.parse(pending)); // what the webhooks had told us
    expect((await row(id))?.status).toBe('pending');
    await reconcileShop(pool, shopId, client, orderPipe(), new Date(Date.now() - 60 * 60_000)); // an earlier sweep

    await shop.update(id, { status: 'processing', date_paid_gmt: new Date().toISOString().slice(0, 19) }); // paid; delivery lost
    const seen = await reconcileShop(pool, shopId, client, orderPipe());
    expect(seen).toBeGreaterThanOrEqual(1);
    expect((await row(id))?.status).toBe('processing');
    expect((await row(id))?.date_paid).toBeInstanceOf(Date);
  });

  it('never lets an older REST copy overwrite a newer state from a webhook', async () => {
    const order = [...shop.orders.values()].find((o) => o.status === 'pending')!;
    const id = order.id as number;
    const newer = { ...order, status: 'cancelled', date_modified_gmt: '2099-01-01T00:00:00' };
    await upsertOrder(pool, shopId, orderPayload.parse(newer));
    await pool.query('UPDATE shops SET last_reconciled_at = NULL');
    await reconcileShop(pool, shopId, client, orderPipe());
    expect((await row(id))?.status).toBe('cancelled');
  });

  it('pages through every modified order on a first sweep and records when it swept', async () => {
    for (const o of [...shop.orders.values()]) await shop.update(o.id as number, {});
    const now = new Date();
    const seen = await reconcileShop(pool, shopId, client, orderPipe(), now);
    expect(seen).toBe(shop.orders.size);
    const [[count]] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM orders WHERE shop_id = ?', [shopId]);
    expect(Number(count!.n)).toBe(shop.orders.size);
    const [[s]] = await pool.query<RowDataPacket[]>('SELECT last_reconciled_at AS t FROM shops WHERE id = ?', [shopId]);
    expect((s!.t as Date).getTime()).toBe(now.getTime());
  });
});
