import type { MerchantNet } from './merchant-url.ts';
import type { Pool } from 'mysql2/promise';
import type { OrderChanges } from '../events/order-changes.ts';
import type { Logger } from '../logger.ts';
import { createWooClient, type WooClient } from './rest-client.ts';
import { checkShopWebhooks, webhookActions } from './shop-connection.ts';
import { refreshEmailFromRest } from './email-settings.ts';
import { refreshSellingCountries } from './selling-countries.ts';
import { refreshGatewaysFromRest } from './shop-profile.ts';
import { refreshSiteTitle } from './site-title.ts';
import { lastReconciledAt, recordConnectionError, setLastReconciledAt, shopsWithKeys, shopsWithPlugin } from './shop-store.ts';

/** Re-read this much before the last sweep: WooCommerce's clock and ours are not the same clock. */
const OVERLAP_MS = 5 * 60_000;
/** A shop's first sweep looks this far back. */
const FIRST_SWEEP_MS = 24 * 60 * 60_000;

/**
 * WooCommerce never retries a webhook, so a missed delivery would be a lost reminder. Every few
 * minutes the orders modified since the last sweep are read over REST and applied like
 * deliveries (the same projection, so a newer webhook state is never overwritten by an older one).
 */
export async function reconcileShop(
  pool: Pool,
  shopId: number,
  client: WooClient,
  orderChanges: OrderChanges,
  now = new Date(),
): Promise<number> {
  const last = await lastReconciledAt(pool, shopId);
  const after = new Date(last ? last.getTime() - OVERLAP_MS : now.getTime() - FIRST_SWEEP_MS);
  let seen = 0;
  for (let page = 1; ; page++) {
    const { orders, totalPages } = await client.ordersModifiedAfter(after, page);
    await orderChanges.record(pool, shopId, orders, new Date());
    seen += orders.length;
    if (page >= totalPages || orders.length === 0) break;
  }
  await setLastReconciledAt(pool, shopId, now);
  return seen;
}

/**
 * Sweeps every shop that has REST credentials: its order webhooks are checked (WooCommerce
 * disables one after five failed deliveries; we turn it back on), then the modified orders are
 * read, and the shop's name refreshed from its site title, its selling countries read again; a shop without the plugin has its email
 * sender and colours and its payment gateways read from WooCommerce's REST API too. One failing shop does not stop the others; its failure is kept for the admin to see.
 * A paused shop is only read (a payment made meanwhile still ends its reminders), its webhooks
 * left alone; a disconnected one has no key and is not swept at all.
 */
export async function reconcileAllShops(
  pool: Pool,
  logger: Logger,
  options: { deliveryUrl: () => string; orderChanges: OrderChanges; net: MerchantNet },
): Promise<void> {
  const withPlugin = new Set((await shopsWithPlugin(pool)).map((s) => s.id));
  for (const { id: shopId, credentials, state } of await shopsWithKeys(pool)) {
    const client = createWooClient(credentials, { net: options.net });
    // Before the orders: a reminder the sweep makes due at once shows the gateway's instructions.
    if (!withPlugin.has(shopId))
      await refreshGatewaysFromRest(pool, shopId, client).catch((error: unknown) =>
        logger.warn({ err: error, shopId }, 'the payment gateways could not be read from WooCommerce’s REST API; the stored ones stay'),
      );
    try {
      const webhooks = state === 'active' ? await checkShopWebhooks(pool, shopId, client, options.deliveryUrl()) : [];
      const repaired = webhooks.filter((w) => w.action !== 'unchanged');
      if (repaired.length) logger.warn({ shopId, webhooks: webhookActions(repaired) }, 'order webhooks were missing or disabled; repaired');
      const seen = await reconcileShop(pool, shopId, client, options.orderChanges);
      logger.info({ shopId, ordersSeen: seen, webhooksRepaired: repaired.length }, 'shop reconciled');
    } catch (error) {
      await recordConnectionError(pool, shopId, String((error as Error).message).slice(0, 1000));
      logger.warn({ err: error, shopId }, 'reconciliation failed; next sweep retries');
    }
    // The shop's name follows its site title; the plugin's profile, read after the sweep, says the same.
    await refreshSiteTitle(pool, shopId, credentials.url, options.net).catch((error: unknown) =>
      logger.warn({ err: error, shopId }, 'the site title could not be read from WordPress’s REST index; the stored name stays'),
    );
    // Where the shop sells: by default its texts go only to those countries (channels/send-limits.ts).
    await refreshSellingCountries(pool, shopId, client).catch((error: unknown) =>
      logger.warn({ err: error, shopId }, 'the selling countries could not be read from WooCommerce’s REST API; the stored ones stay'),
    );
    if (!withPlugin.has(shopId))
      await refreshEmailFromRest(pool, shopId, client).catch((error: unknown) =>
        logger.warn({ err: error, shopId }, 'the email settings could not be read from WooCommerce’s REST API; the stored ones stay'),
      );
  }
}
