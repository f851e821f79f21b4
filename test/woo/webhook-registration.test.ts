import { afterAll, describe, expect, it } from 'vitest';
import { checkShopWebhooks, connectShop } from '../../sidecar/src/woo/shop-connection.ts';
import { createWooClient } from '../../sidecar/src/woo/rest-client.ts';
import { LOCAL_NET, startFakeShop } from '../fakes/fake-woo-shop.ts';
import { createTestDatabase } from '../helpers/database.ts';

// Nothing listens there: the stand-in's creation ping fails, and WooCommerce keeps the webhook anyway.
const DELIVERY_URL = 'http://127.0.0.1:9/webhooks/woocommerce';

describe('registering the order webhooks when several checks meet (connect, sweeps, other sidecars)', async () => {
  const { database } = await createTestDatabase('webhook_registration');
  const pool = database.pool;
  const shop = await startFakeShop({ orders: new Map() });
  const client = createWooClient({ url: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret }, { net: LOCAL_NET });
  afterAll(() => shop.close());
  const topics = () => [...shop.webhooks.values()].map((h) => h.topic).sort();

  it('registers each topic once when a connect and two sweeps run at the same moment', async () => {
    const { connection } = await connectShop(
      pool,
      { url: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret },
      { deliveryUrl: DELIVERY_URL, client, net: LOCAL_NET },
    );
    for (const hook of [...shop.webhooks.keys()]) shop.webhooks.delete(hook);
    // The same three checks, started together, as a merchant connecting during two sidecars' sweeps.
    const [connected, sweepA, sweepB] = await Promise.all([
      connectShop(
        pool,
        { url: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret },
        { deliveryUrl: DELIVERY_URL, client, net: LOCAL_NET },
      ),
      checkShopWebhooks(pool, connection.shop.id, client, DELIVERY_URL),
      checkShopWebhooks(pool, connection.shop.id, client, DELIVERY_URL),
    ]);
    expect(topics()).toEqual(['order.created', 'order.deleted', 'order.restored', 'order.updated']);
    // Each answers what it did itself: every topic created by exactly one of the three, whichever came
    // first, and the connect's answer is its own even when a sweep recorded another check after it.
    const created = [connected.connection.webhooks, sweepA, sweepB]
      .flat()
      .filter((w) => w.action === 'created')
      .map((w) => w.topic)
      .sort();
    expect(created).toEqual(['order.created', 'order.deleted', 'order.restored', 'order.updated']);
  });

  it('deletes a twin of ours left by an older race, and repairs the one it keeps', async () => {
    const { connection } = await connectShop(
      pool,
      { url: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret },
      { deliveryUrl: DELIVERY_URL, client, net: LOCAL_NET },
    );
    const updated = [...shop.webhooks.values()].find((h) => h.topic === 'order.updated')!;
    // A second "Comeback: order.updated", still active, and ours disabled by WooCommerce.
    await client.createWebhook({
      name: 'Comeback: order.updated',
      status: 'active',
      topic: 'order.updated',
      delivery_url: DELIVERY_URL,
      secret: 's',
    });
    const foreign = await client.createWebhook({
      name: 'ERP sync',
      status: 'active',
      topic: 'order.updated',
      delivery_url: 'http://127.0.0.1:9/erp',
      secret: 's',
    });
    updated.status = 'disabled';
    const states = await checkShopWebhooks(pool, connection.shop.id, client, DELIVERY_URL);
    const ours = [...shop.webhooks.values()].filter((h) => h.topic === 'order.updated' && h.delivery_url === DELIVERY_URL);
    expect(ours).toHaveLength(1);
    expect(ours[0]!.status).toBe('active');
    expect(states.find((s) => s.topic === 'order.updated')).toMatchObject({ id: ours[0]!.id, status: 'active' });
    // Someone else's webhook on the same topic is theirs: left alone.
    expect(shop.webhooks.get(foreign.id)).toMatchObject({ status: 'active', delivery_url: 'http://127.0.0.1:9/erp' });
  });
});
