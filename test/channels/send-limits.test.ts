import type { RowDataPacket } from 'mysql2/promise';
import request from 'supertest';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { checkAlerts } from '../../sidecar/src/alerts/alert-checks.ts';
import { channelSettingsRoutes } from '../../sidecar/src/channels/channel-settings-routes.ts';
import { saveSendLimits, sendLimitsSchema } from '../../sidecar/src/channels/send-limits.ts';
import { adminApi } from '../../sidecar/src/http/admin-api.ts';
import { saveSellingCountries, sellingCountriesFromGeneralSettings } from '../../sidecar/src/woo/selling-countries.ts';
import { connectShop } from '../../sidecar/src/woo/shop-connection.ts';
import { reconcileAllShops } from '../../sidecar/src/woo/reconcile.ts';
import { orderPipe } from '../../sidecar/src/app/order-pipe.ts';
import { createLogger } from '../../sidecar/src/logger.ts';
import { recordedGeneralSettings, startFakeShop, LOCAL_NET } from '../fakes/fake-woo-shop.ts';
import { startFakeTwilio } from '../fakes/fake-twilio.ts';
import { testApp } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { createShop, outboxRow, queue, runtimeFor, TWILIO } from './channel-runtime-setup.ts';

const TOKEN = 'admin-token-for-send-limits-0123456789';
const POLISH = '+48500000001';
const AMERICAN = '+12025550123';

/** The general settings as WooCommerce's REST client keeps them, with "Selling location(s)" changed. */
const generalWith = (changes: Record<string, string>) =>
  Object.fromEntries(
    recordedGeneralSettings().map((s) => [
      s.id,
      s.id in changes ? changes[s.id]! : typeof s.value === 'string' ? s.value : JSON.stringify(s.value),
    ]),
  );

/**
 * Abuse limits on texts: a shop's daily SMS and WhatsApp budget and the destination countries
 * (by default where it sells), kept where the messages are sent, through a fake Twilio over HTTP.
 */
describe('SMS and WhatsApp limits per shop', async () => {
  const { database } = await createTestDatabase('send_limits');
  const pool = database.pool;
  const twilio = await startFakeTwilio({ accountSid: TWILIO.accountSid, authToken: TWILIO.authToken });
  const { runtime, undeliverable } = runtimeFor(database, { twilioUrl: twilio.url });
  // A second sidecar on the same database.
  const other = runtimeFor(database, { twilioUrl: twilio.url });
  afterAll(async () => {
    await runtime.close();
    await other.runtime.close();
    await twilio.close();
  });
  beforeEach(async () => {
    await pool.query('DELETE FROM outbox');
    await pool.query('DELETE FROM send_budgets');
    undeliverable.length = 0;
  });
  const sentTo = () => twilio.requests.map((r) => r.form.get('To'));

  it('reads the selling countries as WooCommerce decides them (WC_Countries::get_allowed_countries)', () => {
    expect(sellingCountriesFromGeneralSettings(generalWith({}))).toEqual({ mode: 'all', countries: [] });
    expect(
      sellingCountriesFromGeneralSettings(
        generalWith({ woocommerce_allowed_countries: 'specific', woocommerce_specific_allowed_countries: '["PL","DE"]' }),
      ),
    ).toEqual({ mode: 'specific', countries: ['PL', 'DE'] });
    expect(
      sellingCountriesFromGeneralSettings(
        generalWith({ woocommerce_allowed_countries: 'all_except', woocommerce_all_except_countries: '["US"]' }),
      ),
    ).toEqual({ mode: 'all_except', countries: ['US'] });
  });

  it('keeps where the shop sells when it connects, and reads it again at each sweep', async () => {
    const generalSettings = recordedGeneralSettings().map((s) =>
      s.id === 'woocommerce_allowed_countries'
        ? { ...s, value: 'specific' }
        : s.id === 'woocommerce_specific_allowed_countries'
          ? { ...s, value: ['PL', 'CZ'] }
          : s,
    );
    const shop = await startFakeShop({ generalSettings });
    try {
      const { connection } = await connectShop(
        pool,
        { url: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret },
        { deliveryUrl: 'https://reminders.example.test/webhooks/woocommerce', net: LOCAL_NET },
      );
      const stored = async () => {
        const [[row]] = await pool.query<RowDataPacket[]>("SELECT value FROM settings WHERE shop_id = ? AND `key` = 'selling-countries'", [
          connection.shop.id,
        ]);
        return typeof row!.value === 'string' ? JSON.parse(row!.value) : row!.value;
      };
      expect(await stored()).toEqual({ mode: 'specific', countries: ['PL', 'CZ'] });
      // The merchant sells everywhere but the US now (WooCommerce → Settings → General): the sweep reads it.
      for (const s of generalSettings) {
        if (s.id === 'woocommerce_allowed_countries') s.value = 'all_except';
        if (s.id === 'woocommerce_all_except_countries') s.value = ['US'];
      }
      await reconcileAllShops(pool, createLogger('silent'), {
        deliveryUrl: () => 'https://reminders.example.test/webhooks/woocommerce',
        orderChanges: orderPipe(),
        net: LOCAL_NET,
      });
      expect(await stored()).toEqual({ mode: 'all_except', countries: ['US'] });
    } finally {
      await shop.close();
    }
  });

  it('holds SMS over the daily budget until the next UTC day, never dropping them, counted across sidecars, and raises an alert', async () => {
    const shopId = await createShop(pool);
    await saveSendLimits(pool, shopId, sendLimitsSchema.parse({ smsPerDay: 2 }));
    const before = twilio.requests.length;
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await queue(pool, { shopId, channel: 'sms', to: POLISH, text: `Reminder ${i}` })).id);
    expect(await runtime.dispatch(10)).toMatchObject({ claimed: 3, sent: 2, retried: 1, failed: 0 });
    expect(twilio.requests.length - before).toBe(2);
    const held = (await Promise.all(ids.map((id) => outboxRow(pool, id)))).find((r) => r.status !== 'sent')!;
    expect(held.status).toBe('pending');
    expect(held.last_error).toMatch(/daily SMS budget \(2\) is used up/);
    const tomorrow = new Date();
    tomorrow.setUTCHours(24, 0, 0, 0);
    expect(new Date(held.next_attempt_at).getTime()).toBe(tomorrow.getTime());

    // Another sidecar finds no slot either: the count is in MySQL.
    const late = await queue(pool, { shopId, channel: 'sms', to: POLISH });
    expect(await other.runtime.dispatch(10)).toMatchObject({ claimed: 1, sent: 0, retried: 1 });
    expect((await outboxRow(pool, late.id)).status).toBe('pending');
    expect(twilio.requests.length - before).toBe(2);

    await checkAlerts(pool, new Date());
    const [alerts] = await pool.query<RowDataPacket[]>(
      'SELECT kind, subject, message FROM alerts WHERE shop_id = ? AND resolved_at IS NULL',
      [shopId],
    );
    expect(alerts).toEqual([
      expect.objectContaining({
        kind: 'send_budget_reached',
        subject: 'sms',
        message: expect.stringMatching(/2 messages wait for tomorrow/),
      }),
    ]);
  });

  it('skips a number outside the shop’s selling countries, with the reason, to the flow’s next channel, and raises an alert', async () => {
    const shopId = await createShop(pool);
    await saveSellingCountries(pool, shopId, { mode: 'specific', countries: ['PL'] });
    const before = twilio.requests.length;
    const far = await queue(pool, { shopId, channel: 'sms', to: AMERICAN, enrollmentId: 9, step: 1 });
    const near = await queue(pool, { shopId, channel: 'sms', to: POLISH, enrollmentId: 10, step: 1 });
    expect(await runtime.dispatch(10)).toMatchObject({ claimed: 2, sent: 1, failed: 1 });
    expect(sentTo().slice(before)).toEqual([POLISH]);
    expect(await outboxRow(pool, far.id)).toMatchObject({
      status: 'failed',
      last_error: expect.stringMatching(/^permanent country_not_allowed: SMS to US numbers is off for this shop/),
    });
    expect((await outboxRow(pool, near.id)).status).toBe('sent');
    expect(undeliverable).toEqual([
      expect.objectContaining({ outboxId: far.id, enrollmentId: 9, reason: expect.stringContaining('country_not_allowed') }),
    ]);

    await checkAlerts(pool, new Date());
    const [alerts] = await pool.query<RowDataPacket[]>('SELECT kind, subject FROM alerts WHERE shop_id = ? AND resolved_at IS NULL', [
      shopId,
    ]);
    expect(alerts.map((a) => `${a.kind}:${a.subject}`)).toEqual(['country_not_allowed:sms']);

    // The merchant's own list wins over the selling countries.
    await saveSendLimits(pool, shopId, sendLimitsSchema.parse({ countries: ['US'] }));
    const allowed = await queue(pool, { shopId, channel: 'sms', to: AMERICAN });
    // The settings are cached for a few seconds per sidecar: a fresh one reads them now.
    const fresh = runtimeFor(database, { twilioUrl: twilio.url });
    try {
      expect(await fresh.runtime.dispatch(10)).toMatchObject({ sent: 1 });
    } finally {
      await fresh.runtime.close();
    }
    expect((await outboxRow(pool, allowed.id)).status).toBe('sent');
  });

  it('shows and saves the limits over the channel settings API, refusing a bad country at its field', async () => {
    const shopId = await createShop(pool);
    await saveSellingCountries(pool, shopId, { mode: 'specific', countries: ['PL'] });
    const { app } = testApp(database, { routers: [adminApi({ pool, adminToken: TOKEN, shopRoutes: [channelSettingsRoutes({ pool })] })] });
    const admin = (method: 'get' | 'put') =>
      request(app)[method]('/api/settings/channels').set('authorization', `Bearer ${TOKEN}`).set('x-comeback-shop-id', String(shopId));
    const shown = (await admin('get').expect(200)).body;
    expect(shown).toMatchObject({
      smsPerDay: 500,
      whatsappPerDay: 500,
      countries: null,
      sellingCountries: { mode: 'specific', countries: ['PL'] },
      today: { sms: { used: 0, held: 0 }, whatsapp: { used: 0, held: 0 } },
    });
    const refused = await admin('put')
      .send({ smsPerDay: 50, whatsappPerDay: 20, countries: ['Poland'] })
      .expect(400);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ field: 'countries.0' })]);
    const saved = (
      await admin('put')
        .send({ smsPerDay: 50, whatsappPerDay: 20, countries: ['PL', 'DE'] })
        .expect(200)
    ).body;
    expect(saved).toMatchObject({ smsPerDay: 50, whatsappPerDay: 20, countries: ['PL', 'DE'] });
  });
});
