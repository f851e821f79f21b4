import express from 'express';
import type { ResultSetHeader } from 'mysql2/promise';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createChannelRuntime } from '../../sidecar/src/channels/channel-runtime.ts';
import { loadConfig } from '../../sidecar/src/config.ts';
import { createLogger } from '../../sidecar/src/logger.ts';
import { createStepQueuer, type StepMessage } from '../../sidecar/src/messages/step-message.ts';
import { refreshProfileFromPlugin } from '../../sidecar/src/woo/plugin-profile.ts';
import { refreshEmailFromRest } from '../../sidecar/src/woo/email-settings.ts';
import { createWooClient } from '../../sidecar/src/woo/rest-client.ts';
import { connectShop } from '../../sidecar/src/woo/shop-connection.ts';
import { loadShopProfile, saveShopEmail } from '../../sidecar/src/woo/shop-profile.ts';
import { LOCAL_NET, startFakeShop } from '../fakes/fake-woo-shop.ts';
import { decodedBodies, parseRaw, startSmtpServer } from '../channels/smtp-server.ts';
import { createTestDatabase } from '../helpers/database.ts';

/**
 * Issue H.12: a shop's reminders come From its own WooCommerce sender (name and address), reply to
 * the shop, and wear its email colours; the global COMEBACK_MAIL_FROM stays the envelope sender.
 * Real MariaDB, the real renderer and outbox, nodemailer to a real SMTP server.
 */
describe('mail that looks like the shop’s own', async () => {
  const { database, url } = await createTestDatabase('shop_sender');
  const pool = database.pool;
  const smtp = await startSmtpServer();
  const config = loadConfig(
    {
      COMEBACK_DATABASE_URL: url,
      COMEBACK_SMTP_URL: `smtp://u:p@127.0.0.1:${smtp.port}`,
      COMEBACK_MAIL_FROM: 'Comeback <reminders@relay.example.test>',
    },
    { workerName: 'shop-sender' },
  );
  const queue = createStepQueuer({
    pool,
    publicUrl: () => 'https://comeback.example.test',
    linkSecret: 'link-secret',
    linkTtlDays: 30,
    from: config.mail.from,
  });
  const runtime = createChannelRuntime({
    pool,
    config,
    logger: createLogger('silent'),
    publicUrl: () => 'https://comeback.example.test',
    onUndeliverable: async () => {},
  });
  // WooCommerce's `GET settings/email` (WC_REST_Setting_Options_Controller over the "email" group of
  // WC_Settings_Emails): one entry per setting, as register_setting() shapes it, with its value.
  const setting = (id: string, type: string, value: string) => ({ id, label: id, description: '', type, default: '', tip: '', value });
  const shop = await startFakeShop({
    emailSettings: [
      setting('woocommerce_email_from_name', 'text', 'Herbata &amp; Co'),
      setting('woocommerce_email_from_address', 'email', 'sklep@herbata.example.test'),
      setting('woocommerce_email_base_color', 'color', '#0b6e4f'),
      setting('woocommerce_email_background_color', 'color', '#f0f0e8'),
      setting('woocommerce_email_body_background_color', 'color', '#ffffff'),
      setting('woocommerce_email_text_color', 'color', 'not-a-colour'),
    ],
  });
  // The shop's plugin answering GET ?rest_route=/comeback/v1/shop-profile as Comeback_Rest::shop_profile() does (its PHPUnit test holds that).
  const plugin = express();
  plugin.get('/', (req, res) => {
    expect(req.query.rest_route).toBe('/comeback/v1/shop-profile');
    expect(req.get('x-comeback-signature')).toMatch(/^t=\d+,v1=/);
    res.json({
      name: 'Tea & Co',
      company: { name: 'Tea & Co', address: ['1 Leaf Lane'], bankAccounts: [] },
      formats: { locale: 'en_US', timeZone: 'UTC' },
      email: {
        fromName: 'Tea & Co',
        fromAddress: 'hello@tea.example.test',
        baseColor: '#aa3300',
        headerImage: 'https://tea.example.test/logo.png',
      },
    });
  });
  const pluginServer = plugin.listen(0, '127.0.0.1');
  await new Promise((resolve) => pluginServer.once('listening', resolve));
  const pluginBase = `http://127.0.0.1:${(pluginServer.address() as AddressInfo).port}/`;
  afterAll(async () => {
    await runtime.close();
    pluginServer.close();
    await Promise.all([smtp.close(), shop.close()]);
  });

  let shopId = 0;
  let n = 0;
  beforeEach(async () => {
    for (const t of ['outbox', 'settings', 'shops']) await pool.query(`DELETE FROM ${t}`);
    const [r] = await pool.query<ResultSetHeader>(
      'INSERT INTO shops (url, name, webhook_secret, consumer_key, consumer_secret) VALUES (?, ?, ?, ?, ?)',
      [`https://shop${++n}.example.test`, 'Tea & Co', 'shop-secret', 'ck', 'cs'],
    );
    shopId = r.insertId;
    smtp.received.length = 0;
    smtp.envelopes.length = 0;
  });

  const send = async (via = queue) => {
    const message: StepMessage = {
      shopId,
      enrollmentId: 1,
      step: 0,
      templateKey: `win-back@1:0:${n}`,
      channel: 'email',
      idempotencyKey: `shop-sender-${n}`,
      to: 'ada@example.test',
      customerKey: 'ada',
      definition: { email: { subject: 'We miss you at [shop_name]', body: 'Hello [customer_first_name]. [unsubscribe_link]' } },
      subject: {
        kind: 'customer',
        event: null,
        customer: {
          key: 'ada',
          email: 'ada@example.test',
          phone: null,
          country: 'PL',
          firstName: 'Ada',
          lastName: 'L',
          timeZone: null,
          language: null,
          lastPurchaseAt: null,
          avgGapDays: null,
          ordersCount: 1,
          currency: 'EUR',
        } as never,
      },
    };
    await via(message);
    await runtime.dispatch(10);
    expect(smtp.received).toHaveLength(1);
    const { headers } = parseRaw(smtp.received[0]!);
    return { headers, html: (await decodedBodies(smtp.received[0]!)).html, envelopeFrom: smtp.envelopes[0] };
  };

  it('sends From the shop’s WooCommerce sender, Reply-To the shop, with the global sender as envelope and Sender', async () => {
    await saveShopEmail(pool, shopId, {
      fromName: 'Tea & Co',
      fromAddress: 'hello@tea.example.test',
      baseColor: '#1e73be',
      backgroundColor: '#fdf6e3',
      bodyBackgroundColor: '#fffef8',
      textColor: '#222222',
      headerImage: 'https://tea.example.test/logo.png?a=1&b="2"',
    });
    const { headers, html, envelopeFrom } = await send();
    expect(headers.get('from')).toEqual(['"Tea & Co" <hello@tea.example.test>']);
    expect(headers.get('reply-to')).toEqual(['hello@tea.example.test']);
    expect(headers.get('sender')).toEqual(['Comeback <reminders@relay.example.test>']);
    expect(envelopeFrom).toBe('reminders@relay.example.test');
    expect(html).toContain('background-color:#1e73be');
    expect(html).toContain('#fdf6e3');
    expect(html).toContain('#fffef8');
    expect(html).toContain('color:#222222');
    // Links: the base colour, which stands out on the light body (WooCommerce's email-styles.php).
    expect(html).toContain('style="color:#1e73be;font-weight:bold;"');
    expect(html).toContain('src="https://tea.example.test/logo.png?a=1&amp;b=&quot;2&quot;"');
    expect(html).not.toContain('#7f54b3');
  });

  it('keeps the global sender and today’s look without the shop’s settings, and drops values that do not validate', async () => {
    await saveShopEmail(pool, shopId, {
      fromAddress: 'not an address',
      baseColor: 'red;background:url(x)',
      headerImage: 'javascript:alert(1)',
    });
    const { headers, html, envelopeFrom } = await send();
    expect(headers.get('from')).toEqual(['Comeback <reminders@relay.example.test>']);
    expect(headers.get('reply-to')).toBeUndefined();
    expect(headers.get('sender')).toBeUndefined();
    expect(envelopeFrom).toBe('reminders@relay.example.test');
    expect(html).toContain('background-color:#7f54b3');
    expect(html).toContain('#f7f7f7');
    expect(html).not.toContain('javascript');
    expect(html).not.toContain('<img');
  });

  it('reads the sender and colours from WooCommerce’s REST settings for a shop without the plugin', async () => {
    await refreshEmailFromRest(
      pool,
      shopId,
      createWooClient({ url: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret }, { net: LOCAL_NET }),
    );
    const { headers, html, envelopeFrom } = await send();
    expect(headers.get('from')).toEqual(['"Herbata & Co" <sklep@herbata.example.test>']);
    expect(headers.get('reply-to')).toEqual(['sklep@herbata.example.test']);
    expect(envelopeFrom).toBe('reminders@relay.example.test');
    expect(html).toContain('background-color:#0b6e4f');
    expect(html).toContain('#f0f0e8');
    // A text colour that is no #hex is dropped: today's.
    expect(html).toContain('color:#3c3c3c');
    expect(html).not.toContain('not-a-colour');
  });

  it('stores the sender, colours and header image the shop’s plugin reports in its profile', async () => {
    await refreshProfileFromPlugin(pool, shopId, pluginBase, 'shop-secret', LOCAL_NET);
    const { headers, html } = await send();
    expect(headers.get('from')).toEqual(['"Tea & Co" <hello@tea.example.test>']);
    expect(headers.get('reply-to')).toEqual(['hello@tea.example.test']);
    expect(html).toContain('background-color:#aa3300');
    expect(html).toContain('src="https://tea.example.test/logo.png"');
  });

  it('sends From the global sender with COMEBACK_MAIL_SHOP_FROM=off, in the shop’s look', async () => {
    const off = loadConfig({ COMEBACK_DATABASE_URL: url, COMEBACK_MAIL_SHOP_FROM: 'off' }, { workerName: 'shop-sender' });
    expect(off.mail.shopFrom).toBe(false);
    await saveShopEmail(pool, shopId, { fromName: 'Tea & Co', fromAddress: 'hello@tea.example.test', baseColor: '#1e73be' });
    const globalFrom = createStepQueuer({
      pool,
      publicUrl: () => 'https://comeback.example.test',
      linkSecret: 'link-secret',
      linkTtlDays: 30,
      from: config.mail.from,
      shopFrom: off.mail.shopFrom,
    });
    const { headers, html } = await send(globalFrom);
    expect(headers.get('from')).toEqual(['Comeback <reminders@relay.example.test>']);
    expect(headers.get('reply-to')).toBeUndefined();
    expect(headers.get('sender')).toBeUndefined();
    expect(html).toContain('background-color:#1e73be');
  });

  it('reads the shop’s sender and colours when the shop is connected, before any sweep', async () => {
    const { connection } = await connectShop(
      pool,
      { url: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret },
      { deliveryUrl: 'http://127.0.0.1:9/webhooks/woocommerce', net: LOCAL_NET },
    );
    const profile = await loadShopProfile(pool, connection.shop.id);
    expect(profile.sender).toEqual({ from: '"Herbata & Co" <sklep@herbata.example.test>', replyTo: 'sklep@herbata.example.test' });
    // The admin's sender panel says where it came from.
    expect(profile.senderSource).toBe('rest');
    expect(profile.look.baseColor).toBe('#0b6e4f');
  });
});
