import type { ResultSetHeader } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import type { MessageLanguage, MessageTemplates } from '../../sidecar/src/messages/message-templates.ts';
import { shopMessage } from '../../sidecar/src/messages/outbox-store.ts';
import { dateNamesFromIntl, defaultShopFormats } from '../../sidecar/src/messages/shop-formats.ts';
import { createStepQueuer, type StepMessage } from '../../sidecar/src/messages/step-message.ts';
import { orderNumber } from '../../sidecar/src/messages/step-render.ts';
import { orderPayload } from '../../sidecar/src/woo/order-payload.ts';
import { saveFormats } from '../../sidecar/src/woo/shop-profile.ts';
import { recordedOrders } from '../fakes/fake-woo-shop.ts';
import { createTestDatabase } from '../helpers/database.ts';

/**
 * A step's texts in the customer's language, through the real queuer into the real outbox: the
 * translation for the message's locale when the step has one (and the row names it), else the
 * default text; dates in the text's language, the email's HTML in its language and direction, and
 * a WhatsApp customer whose language has no approved template gets the default one, recorded.
 */
describe("a message in the customer's language", async () => {
  const { database } = await createTestDatabase('message_language');
  const pool = database.pool;
  const [shop] = await pool.query<ResultSetHeader>('INSERT INTO shops (url, webhook_secret, timezone) VALUES (?, ?, ?)', [
    'https://shop.example.test',
    'secret',
    'Europe/Warsaw',
  ]);
  const shopId = shop.insertId;
  const queue = createStepQueuer({
    pool,
    publicUrl: () => 'http://127.0.0.1:9',
    linkSecret: 'link-secret-0123456789',
    linkTtlDays: 30,
    from: 'shop@example.test',
  });
  const recorded = [...recordedOrders().values()][0]!;
  const order = orderPayload.parse({
    ...recorded,
    date_created_gmt: '2026-03-05T10:00:00',
    billing: { ...(recorded.billing as object), first_name: 'Ola' },
  });

  const definition: MessageTemplates = {
    email: { subject: 'Your order [order_number]', body: 'Hello [customer_first_name], your order of [order_date] is ready.' },
    sms: { body: 'Order [order_number] is ready.' },
    whatsapp: {
      template: { name: 'order_ready', language: 'en_US', parameters: ['[customer_first_name]', '[order_date]'] },
      text: { body: 'Hello [customer_first_name], order [order_number] is ready.' },
    },
    translations: {
      pl_PL: {
        email: {
          subject: 'Twoje zamówienie [order_number]',
          body: 'Dzień dobry [customer_first_name], Twoje zamówienie z [order_date] czeka.',
        },
        sms: { body: 'Zamówienie [order_number] czeka na Ciebie: ąęśćż.' },
        whatsapp: { text: { body: 'Dzień dobry [customer_first_name], zamówienie [order_number] czeka.' } },
      },
      cs_CZ: {
        whatsapp: { template: { name: 'objednavka_pripravena', language: 'cs', parameters: ['[customer_first_name]', '[order_date]'] } },
      },
      ar: { email: { subject: 'طلبك [order_number]', body: 'مرحبا [customer_first_name]، طلبك جاهز.' } },
    },
  };

  let step = 0;
  const send = async (
    channel: StepMessage['channel'],
    language: MessageLanguage | null,
    to = 'ola@example.test',
    texts: MessageTemplates = definition,
    gateway: 'online' | null = null,
    shop = shopId,
  ) => {
    step++;
    const { id } = await queue({
      shopId: shop,
      enrollmentId: 1,
      step,
      templateKey: 'unpaid@1:0',
      channel,
      idempotencyKey: `language-test:${step}`,
      to,
      customerKey: to,
      definition: texts,
      subject: { kind: 'order', order, gateway },
      language,
    });
    const [rows] = await pool.query(
      'SELECT subject, body_html, body_text, payload, language, language_source, text_language FROM outbox WHERE id = ?',
      [id],
    );
    const row = (rows as Array<Record<string, unknown>>)[0]!;
    return { ...row, id, payload: typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload } as {
      id: number;
      subject: string;
      body_html: string;
      body_text: string;
      payload: Record<string, unknown> | null;
      language: string | null;
      language_source: string | null;
      text_language: string | null;
    };
  };

  it('writes a Polish order its Polish subject and body, dates in Polish, and records the translation used', async () => {
    const row = await send('email', { locale: 'pl_PL', source: 'order' });
    expect(row.subject).toBe(`Twoje zamówienie ${orderNumber(order)}`);
    expect(row.body_text).toContain('Dzień dobry Ola, Twoje zamówienie z 5 marca 2026 czeka.');
    expect(row.body_html).toContain('lang="pl-PL"');
    expect(row.body_html).toMatch(/<html[^>]* dir="ltr"/);
    expect(row).toMatchObject({ language: 'pl_PL', language_source: 'order', text_language: 'pl_PL' });
  });

  it('gives a German customer without a German text the default, recording the language asked and no translation', async () => {
    const row = await send('email', { locale: 'de_DE', source: 'user' });
    expect(row.subject).toBe(`Your order ${orderNumber(order)}`);
    // The default text's dates stay the shop's (English, no plugin profile), not German names in an English sentence.
    expect(row.body_text).toContain('your order of March 5, 2026 is ready.');
    expect(row).toMatchObject({ language: 'de_DE', language_source: 'user', text_language: null });
  });

  it('leaves the language columns empty when no language was chosen, and the default text goes', async () => {
    const row = await send('email', null);
    expect(row.subject).toBe(`Your order ${orderNumber(order)}`);
    expect(row).toMatchObject({ language: null, language_source: null, text_language: null });
  });

  it('writes an Arabic text right to left', async () => {
    const row = await send('email', { locale: 'ar', source: 'profile' });
    expect(row.subject).toContain('طلبك');
    expect(row.body_html).toMatch(/<html[^>]* lang="ar" dir="rtl"/);
    // The body's article (what webmail keeps of the document) carries it too.
    expect(row.body_html).toMatch(/<div[^>]*role="article"[^>]*lang="ar"[^>]*dir="rtl"/);
    expect(row.text_language).toBe('ar');
  });

  it('texts a Polish SMS from its translation', async () => {
    const row = await send('sms', { locale: 'pl_PL', source: 'order' }, '+48500000001');
    expect(row.body_text).toContain('czeka na Ciebie: ąęśćż.');
    expect(row.text_language).toBe('pl_PL');
  });

  it('gives a WhatsApp customer whose language has no approved template the default template, recorded on the row', async () => {
    const row = await send('whatsapp', { locale: 'pl_PL', source: 'order' }, '+48500000001');
    expect(row.body_text).toContain('Dzień dobry Ola');
    expect(row.payload).toMatchObject({
      template: { name: 'order_ready', language: 'en_US', parameters: ['Ola', 'March 5, 2026'] },
      templateFallback: true,
      languageAsked: 'pl_PL',
    });
    expect(row.text_language).toBe('pl_PL');
    // As the merchant's outbox shows the message.
    expect((await shopMessage(pool, shopId, String(row.id)))?.language).toEqual({
      locale: 'pl_PL',
      source: 'order',
      text: 'pl_PL',
      templateFallback: 'pl_PL',
    });
  });

  it('sends a Czech customer the template approved in Czech, filled in Czech, with the default free text', async () => {
    const row = await send('whatsapp', { locale: 'cs_CZ', source: 'order' }, '+420600000001');
    expect(row.payload).toMatchObject({
      template: { name: 'objednavka_pripravena', language: 'cs', parameters: ['Ola', '5. března 2026'] },
    });
    expect(row.payload).not.toHaveProperty('templateFallback');
    expect(row.body_text).toContain('Hello Ola');
    expect(row.text_language).toBe('cs_CZ');
  });

  it('prints the words around the text in its language: a Polish reminder\'s payment link says "Zapłać teraz"', async () => {
    const reminder: MessageTemplates = {
      email: { subject: 'Your order [order_number]', body: 'Pay here: [payment_link]' },
      translations: { pl_PL: { email: { subject: 'Zamówienie [order_number]', body: 'Zapłać tutaj: [payment_link]' } } },
    };
    const polish = await send('email', { locale: 'pl_PL', source: 'order' }, 'ola@example.test', reminder, 'online');
    expect(polish.body_html).toMatch(/<a [^>]*>Zapłać teraz<\/a>/);
    const english = await send('email', { locale: 'de_DE', source: 'order' }, 'ola@example.test', reminder, 'online');
    expect(english.body_html).toMatch(/<a [^>]*>Pay now<\/a>/);
  });

  it("takes a Polish shop's default text as English when the step has a Polish translation, else as Polish", async () => {
    const [polishShop] = await pool.query<ResultSetHeader>('INSERT INTO shops (url, webhook_secret, timezone) VALUES (?, ?, ?)', [
      'https://sklep.example.test',
      'secret',
      'Europe/Warsaw',
    ]);
    const polishFormats = { ...defaultShopFormats, locale: 'pl_PL', dates: dateNamesFromIntl('pl_PL', 'j F Y') };
    await saveFormats(pool, polishShop.insertId, polishFormats);
    const withPolish: MessageTemplates = {
      email: { subject: 'Your order', body: 'Ordered [order_date]: [payment_link]' },
      translations: { pl_PL: { email: { subject: 'Twoje zamówienie', body: 'Zamówione [order_date]: [payment_link]' } } },
    };
    const german = await send(
      'email',
      { locale: 'de_DE', source: 'order' },
      'hans@example.test',
      withPolish,
      'online',
      polishShop.insertId,
    );
    expect(german.body_text).toContain('Ordered March 5, 2026:');
    expect(german.body_html).toMatch(/<a [^>]*>Pay now<\/a>/);
    expect(german.body_html).toContain('lang="en-US"');
    const polish = await send('email', { locale: 'pl_PL', source: 'shop' }, 'ola@example.test', withPolish, 'online', polishShop.insertId);
    expect(polish.body_text).toContain('Zamówione 5 marca 2026:');
    // The merchant's own default, written in the shop's language: the shop's names and language.
    const ownDefault: MessageTemplates = { email: { subject: 'Zamówienie', body: 'Zamówione [order_date]: [payment_link]' } };
    const own = await send('email', { locale: 'de_DE', source: 'order' }, 'hans@example.test', ownDefault, 'online', polishShop.insertId);
    expect(own.body_text).toContain('Zamówione 5 marca 2026:');
    expect(own.body_html).toMatch(/<a [^>]*>Zapłać teraz<\/a>/);
    expect(own.body_html).toContain('lang="pl-PL"');
  });

  it('is no fallback when the default template is in the customer language', async () => {
    const row = await send('whatsapp', { locale: 'en_GB', source: 'order' }, '+447700900001');
    expect(row.payload).not.toHaveProperty('templateFallback');
    expect(row.text_language).toBeNull();
  });
});
