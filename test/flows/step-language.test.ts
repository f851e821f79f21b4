import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { orderPipe } from '../../sidecar/src/app/order-pipe.ts';
import { upsertOrder } from '../../sidecar/src/events/order-store.ts';
import { saveFlow } from '../../sidecar/src/flows/definition/flow-store.ts';
import { PRESETS } from '../../sidecar/src/flows/definition/presets.ts';
import { enterLoyaltyFlows } from '../../sidecar/src/flows/entry/customer-entry.ts';
import { runDueSteps, type StepRunnerDeps } from '../../sidecar/src/flows/steps/step-runner.ts';
import { recordLoyaltyEvent } from '../../sidecar/src/loyalty/loyalty-events.ts';
import { rebuildCustomerStats } from '../../sidecar/src/segments/customer-stats.ts';
import { defaultShopFormats } from '../../sidecar/src/messages/shop-formats.ts';
import type { StepMessage } from '../../sidecar/src/messages/step-message.ts';
import { orderPayload } from '../../sidecar/src/woo/order-payload.ts';
import { createWooClient } from '../../sidecar/src/woo/rest-client.ts';
import { refreshProfileFromPlugin } from '../../sidecar/src/woo/plugin-profile.ts';
import { loadShopLanguages, saveFormats, saveShopLanguages } from '../../sidecar/src/woo/shop-profile.ts';
import { LOCAL_NET, startFakeShop } from '../fakes/fake-woo-shop.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { plainStepRunner } from '../helpers/plain-outbox.ts';
import { shopWithTwoReminders } from '../helpers/recovery-shop.ts';
import { FIXTURES } from '../helpers/woo-fixtures.ts';
import { customerFlowShop } from './customer-flow-setup.ts';

const HOUR = 3_600_000;
const variant = (name: string) => JSON.parse(readFileSync(`${FIXTURES}variants/${name}.body`, 'utf8')) as Record<string, unknown>;

/**
 * Which language a reminder goes in: the recorded order.created of a przelewy24 order, as a
 * multilingual shop delivers it (test/fixtures/woocommerce/variants), stored as a webhook stores
 * it and read fresh over REST by the real step runner when its first reminder is due.
 */
describe('the language of a reminder about an order', async () => {
  const { database } = await createTestDatabase('step_language_orders');
  const pool = database.pool;
  const shop = await startFakeShop();
  afterAll(() => shop.close());
  const orderChanges = orderPipe();
  let shopId = 0;
  let now = new Date();
  const queued: StepMessage[] = [];
  const client = createWooClient({ url: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret }, { net: LOCAL_NET });
  const plain = plainStepRunner(pool, client, () => now, orderChanges);
  const deps: StepRunnerDeps = { ...plain, queueMessage: (m) => (queued.push(m), plain.queueMessage(m)) };

  beforeEach(async () => {
    const tables = ['orders', 'enrollments', 'settings', 'flows', 'flow_versions', 'step_log', 'customer_profiles', 'shops', 'outbox'];
    for (const t of tables) await pool.query(`DELETE FROM ${t}`);
    shopId = await shopWithTwoReminders(pool, shop.url);
    queued.length = 0;
  });

  /** The order placed, stored as its webhook delivery, entered, and its first reminder run an hour later. */
  const firstReminder = async (order: Record<string, unknown>) => {
    const placed = new Date(`${order.date_created_gmt as string}Z`);
    shop.orders.set(order.id as number, { ...order });
    await upsertOrder(pool, shopId, orderPayload.parse(order));
    expect(await orderChanges.changed(pool, shopId, order.id as number, new Date(placed.getTime() + 60_000))).toBe('entered');
    now = new Date(placed.getTime() + HOUR + 1_000);
    expect(await runDueSteps(deps)).toMatchObject({ queued: 1 });
    return queued[0]!;
  };
  const stored = async (orderId: number) =>
    (await pool.query<RowDataPacket[]>('SELECT language, customer_locale FROM orders WHERE order_id = ?', [orderId]))[0][0]!;

  it('goes in Polish for an order the shop’s plugin says was placed in Polish', async () => {
    const order = variant('016-order.created-comeback-pl');
    const message = await firstReminder(order);
    expect(message.language).toEqual({ locale: 'pl_PL', source: 'order' });
    expect(await stored(order.id as number)).toEqual({ language: 'pl_PL', customer_locale: null });
  });

  it('goes in the shop’s Polish for an order WPML placed in "pl", on a shop without the plugin', async () => {
    await saveShopLanguages(pool, shopId, ['en_US', 'pl_PL']);
    const order = variant('016-order.created-wpml-pl');
    expect(await firstReminder(order)).toMatchObject({ language: { locale: 'pl_PL', source: 'order' } });
    expect(await stored(order.id as number)).toEqual({ language: 'pl', customer_locale: null });
  });

  it('goes in a registered customer’s own WordPress language when the order names none', async () => {
    const order = variant('016-order.created-user-de');
    expect(await firstReminder(order)).toMatchObject({ language: { locale: 'de_DE', source: 'user' } });
    expect(await stored(order.id as number)).toEqual({ language: null, customer_locale: 'de_DE' });
  });

  it('goes in the language a loyalty program gave the customer, when neither the order nor the user names one', async () => {
    const order = JSON.parse(readFileSync(`${FIXTURES}016-order.created.body`, 'utf8')) as Record<string, unknown>;
    await pool.query('INSERT INTO customer_profiles (shop_id, customer_key, language, updated_at) VALUES (?, ?, ?, NOW(3))', [
      shopId,
      'przelewy24@example.test',
      'pl',
    ]);
    expect(await firstReminder(order)).toMatchObject({ language: { locale: 'pl_PL', source: 'profile' } });
  });

  it('goes in the shop’s language otherwise', async () => {
    await saveFormats(pool, shopId, { ...defaultShopFormats, locale: 'pl_PL' });
    const order = JSON.parse(readFileSync(`${FIXTURES}016-order.created.body`, 'utf8')) as Record<string, unknown>;
    expect(await firstReminder(order)).toMatchObject({ language: { locale: 'pl_PL', source: 'shop' } });
  });

  it('keeps the order’s language when a later delivery names none (the plugin off for a while)', async () => {
    const order = variant('016-order.created-comeback-pl');
    await upsertOrder(pool, shopId, orderPayload.parse(order));
    const { comeback_language: _gone, ...without } = order;
    await upsertOrder(pool, shopId, orderPayload.parse({ ...without, meta_data: [], date_modified_gmt: '2026-11-22T23:00:00' }));
    expect(await stored(order.id as number)).toEqual({ language: 'pl_PL', customer_locale: null });
  });
});

describe('the language of a message to a customer (loyalty, win-back)', async () => {
  const NOW = new Date('2030-06-03T15:30:00Z');
  const { pool, shopId, clock, deps, consent, paid } = await customerFlowShop('step_language_customers', NOW);
  const seen: StepMessage[] = [];
  const run = () => runDueSteps({ ...deps, queueMessage: (m) => (seen.push(m), deps.queueMessage(m)) });
  await saveFlow(pool, shopId, 'voucher-issued', { ...PRESETS['voucher-issued'], sendWindow: null }, true);
  await saveShopLanguages(pool, shopId, ['en_GB', 'pl_PL']);
  await saveFormats(pool, shopId, { ...defaultShopFormats, locale: 'en_GB' });
  const voucher = async (email: string, language?: string) => {
    await consent(email);
    const event = { id: `v-${email}`, type: 'voucher.issued', email, ...(language ? { language } : {}) };
    const stored = await recordLoyaltyEvent(
      pool,
      shopId,
      {
        occurredAt: clock.now.toISOString(),
        ...event,
        voucher: { code: 'LOYAL-20', value: 20, currency: 'EUR', expiresAt: '2030-07-01T00:00:00Z' },
      } as never,
      clock.now,
    );
    await enterLoyaltyFlows(pool, shopId, stored.event, clock.now);
    seen.length = 0;
    expect(await run()).toMatchObject({ queued: 1 });
    return seen[0]!;
  };

  it('follows the profile’s language: "pl" is the shop’s pl_PL', async () => {
    expect((await voucher('ola@example.test', 'pl')).language).toEqual({ locale: 'pl_PL', source: 'profile' });
  });

  it('goes in a buyer’s own WordPress language, as their latest order reported it, when their profile names none', async () => {
    const orderId = await paid('hans@example.test', new Date(NOW.getTime() - 10 * 86_400_000));
    // As a delivery carrying the plugin's customer_locale stores it.
    await pool.query("UPDATE orders SET customer_locale = 'de_DE' WHERE shop_id = ? AND order_id = ?", [shopId, orderId]);
    await rebuildCustomerStats(pool, shopId, { now: NOW, defaultIntervalDays: 60 });
    expect((await voucher('hans@example.test')).language).toEqual({ locale: 'de_DE', source: 'user' });
  });

  it('goes in the shop’s language for a customer whose profile names none', async () => {
    expect((await voucher('kim@example.test')).language).toEqual({ locale: 'en_GB', source: 'shop' });
  });
});

describe('the shop’s languages, as its plugin reports them', async () => {
  const { database } = await createTestDatabase('step_language_profile');
  const pool = database.pool;
  const [shop] = await pool.query<ResultSetHeader>('INSERT INTO shops (url, webhook_secret) VALUES (?, ?)', [
    'https://sklep.example.test',
    'x',
  ]);
  let languages: unknown = ['pl_PL', 'en_US', 'de_DE_formal'];
  // The plugin answering GET ?rest_route=/comeback/v1/shop-profile as Comeback_Shop_Profile::profile() does (ShopLanguagesTest holds that).
  const plugin = express();
  plugin.get('/', (_req, res) => {
    res.json({ company: { name: 'Sklep', address: [], bankAccounts: [] }, formats: { locale: 'pl_PL' }, languages });
  });
  const server = plugin.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  afterAll(() => server.close());
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  it('keeps the locales the plugin lists, and ignores a malformed list rather than the profile', async () => {
    await refreshProfileFromPlugin(pool, shop.insertId, base, 'secret', LOCAL_NET);
    expect(await loadShopLanguages(pool, shop.insertId)).toEqual(['pl_PL', 'en_US', 'de_DE_formal']);
    languages = ['pl_PL', '<script>', 'fr_FR'];
    await refreshProfileFromPlugin(pool, shop.insertId, base, 'secret', LOCAL_NET);
    expect(await loadShopLanguages(pool, shop.insertId)).toEqual(['pl_PL', 'fr_FR']);
    languages = 'everything';
    await refreshProfileFromPlugin(pool, shop.insertId, base, 'secret', LOCAL_NET);
    expect(await loadShopLanguages(pool, shop.insertId)).toEqual(['pl_PL', 'fr_FR']);
  });
});
