import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Pool } from 'mysql2/promise';
import { DEFAULT_RECOVERY, saveRecoverySettings, UNPAID_FLOW } from '../flows/definition/recovery-settings.ts';
import type { Logger } from '../logger.ts';
import { companyFromGeneralSettings, connectShop } from '../woo/shop-connection.ts';
import { saveCompany } from '../woo/shop-profile.ts';
import { connectedRealShopCount, hasSavedFlow, highestDemoOrderId, moveDemoShop } from './demo-store.ts';
import { startStandInShop, type StandInShop } from './stand-in-shop.ts';

/**
 * The first-run demo: with no real shop connected, `npm run up` starts a stand-in shop on
 * 127.0.0.1 holding copies of orders a real WooCommerce 9.9.5 recorded (a PayU order waiting for
 * payment, a bank transfer on hold), connects it exactly as a real shop is connected (key tried,
 * webhooks registered) and places those orders an hour in the past. Their order.created webhooks
 * reach the sidecar, the first reminders are due at once, and within a minute they are in the dev
 * outbox with working links: the PayU one leads to the stand-in's pay page, where "Pay now" pays
 * the order and the reminder is credited. Everything it shows says it is a demo.
 */
export type Demo = { shop: StandInShop; shopId: number; close(): Promise<void> };

const DATA = new URL('./data/', import.meta.url);
const readData = <T>(name: string): T => JSON.parse(readFileSync(new URL(name, DATA), 'utf8')) as T;
const BANNER = 'Demo shop: a stand-in started by `npm run up`, not a real store. Nothing is charged.';
const PLACED_AGO_MS = 65 * 60_000; // past the default first reminder's delay (1 hour)
const wooTime = (d: Date) => d.toISOString().slice(0, 19);

export async function startDemo(deps: { pool: Pool; deliveryUrl: string; logger: Logger }): Promise<Demo> {
  const templates = readData<Array<Record<string, unknown>>>('orders.json');
  const generalSettings = readData<Array<{ id: string; value: string }>>('general-settings.json');
  const bacsAccounts = readData<Array<Record<string, string>>>('bacs-accounts.json');
  // bacs, cheque (with instructions the merchant typed) and cod, as WooCommerce's REST API lists them.
  const paymentGateways = readData<Array<Record<string, unknown>>>('payment-gateways.json');

  // Every run places new orders: an order id the demo shop used before has had its reminder.
  let nextId = Math.max(1000, ((await highestDemoOrderId(deps.pool)) ?? 0) + 1);
  let nextTemplate = 0;
  const newOrder = (shopUrl: string, placed = new Date(Date.now() - PLACED_AGO_MS)) => {
    const template = templates[nextTemplate++ % templates.length]!;
    const id = nextId++;
    const key = `wc_order_demo${randomBytes(6).toString('hex')}`;
    return {
      ...template,
      id,
      number: String(id),
      order_key: key,
      date_created_gmt: wooTime(placed),
      date_created: wooTime(placed),
      date_modified_gmt: wooTime(placed),
      date_modified: wooTime(placed),
      payment_url: `${shopUrl}/checkout/order-pay/${id}/?pay_for_order=true&key=${key}`,
    };
  };

  const shop = await startStandInShop({
    generalSettings,
    paymentGateways,
    siteTitle: 'Comeback demo shop',
    banner: BANNER,
    placeOrder: (url) => newOrder(url, new Date()),
  });
  try {
    // One demo shop row across runs: the stand-in's port changes, its row follows it.
    await moveDemoShop(deps.pool, shop.url);
    const { connection } = await connectShop(
      deps.pool,
      { url: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret, name: 'Comeback demo shop' },
      // The stand-in shop is ours, on this machine: not a merchant-given address.
      { deliveryUrl: deps.deliveryUrl, demo: true, net: { allowPrivate: true } },
    );
    const shopId = connection.shop.id;
    const general = Object.fromEntries(generalSettings.map((s) => [s.id, s.value]));
    await saveCompany(deps.pool, shopId, {
      ...companyFromGeneralSettings(general, 'Comeback Demo Shop Ltd'),
      bankAccounts: bacsAccounts.map((a) => ({
        accountName: a.account_name ?? '',
        bankName: a.bank_name ?? '',
        accountNumber: a.account_number ?? '',
        iban: a.iban || undefined,
        bic: a.bic || undefined,
        sortCode: a.sort_code || undefined,
      })),
    });
    if (!(await hasSavedFlow(deps.pool, shopId, UNPAID_FLOW)))
      await saveRecoverySettings(deps.pool, shopId, { ...DEFAULT_RECOVERY, enabled: true });
    for (let i = 0; i < templates.length; i++) await shop.create(newOrder(shop.url));
    deps.logger.info({ shop: shop.url, shopId }, 'demo shop started (a stand-in, not a real store)');
    return { shop, shopId, close: () => shop.close() };
  } catch (error) {
    await shop.close();
    throw error;
  }
}

/** `auto` runs the demo only while no real shop is connected. */
export async function demoWanted(pool: Pool, mode: 'auto' | 'on' | 'off'): Promise<boolean> {
  if (mode !== 'auto') return mode === 'on';
  return (await connectedRealShopCount(pool)) === 0;
}
