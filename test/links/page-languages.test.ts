import { rmSync, writeFileSync } from 'node:fs';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cartRoutes } from '../../sidecar/src/carts/cart-routes.ts';
import { consentRoutes } from '../../sidecar/src/consent/consent-routes.ts';
import { doubleOptInRoutes } from '../../sidecar/src/consent/double-opt-in.ts';
import { addTestRecipient } from '../../sidecar/src/flows/admin/test-recipient-store.ts';
import { testRecipientConfirmRoutes } from '../../sidecar/src/flows/admin/test-recipients.ts';
import { adminApi } from '../../sidecar/src/http/admin-api.ts';
import { signRequest } from '../../sidecar/src/http/admin-auth.ts';
import { forgetCatalogues, LANGUAGES_DIR } from '../../sidecar/src/i18n/translations.ts';
import { linkRoutes } from '../../sidecar/src/links/link-routes.ts';
import { newLinkRef, signLinkToken } from '../../sidecar/src/links/link-token.ts';
import { unsubscribeRoutes } from '../../sidecar/src/links/unsubscribe-routes.ts';
import { npsRoutes } from '../../sidecar/src/loyalty/nps-page.ts';
import { messageLinks } from '../../sidecar/src/messages/step-message.ts';
import { testApp } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { sentSurvey, NPS_SECRET } from '../loyalty/nps-fixtures.ts';

const SECRET = NPS_SECRET;
const SHOP_URL = 'https://sklep.example.test';
const SHOP_SECRET = 'plugin-shared-secret-for-page-languages';
const TOKEN = 'admin-token-for-page-languages-0123456789';
const HOUR = 3600;
// A right-to-left catalogue the test ships for its length (Arabic), removed afterwards.
const ARABIC_PO = `${LANGUAGES_DIR}comeback-ar.po`;

/**
 * The pages a customer opens from a message speak the message's language (outbox.language, chosen
 * when it was sent), with lang and dir set; a link whose message cannot be read speaks the
 * browser's; the double opt-in page the language the customer asked in.
 */
describe('customer pages in the message’s language', async () => {
  const { database } = await createTestDatabase('page_languages');
  const pool = database.pool;
  const deps = { pool, linkSecret: SECRET, publicUrl: () => 'http://sidecar.example.test', from: 'shop@example.test' };
  const { app } = testApp(database, {
    routers: [
      linkRoutes({ pool, secret: SECRET }),
      unsubscribeRoutes({ pool, secret: SECRET }),
      npsRoutes({ pool, secret: SECRET }),
      doubleOptInRoutes(deps),
      testRecipientConfirmRoutes(deps),
      adminApi({ pool, adminToken: TOKEN, shopRoutes: [consentRoutes(deps), cartRoutes({ pool })] }),
    ],
  });
  let shopId = 0;
  beforeAll(async () => {
    const [r] = await pool.query<ResultSetHeader>('INSERT INTO shops (url, name, webhook_secret) VALUES (?, ?, ?)', [
      SHOP_URL,
      'Kubki Oli',
      SHOP_SECRET,
    ]);
    shopId = r.insertId;
    writeFileSync(
      ARABIC_PO,
      [
        'msgid ""',
        'msgstr ""',
        '"Language: ar\\n"',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        '"Plural-Forms: nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);\\n"',
        '',
        'msgid "Unsubscribe"',
        'msgstr "إلغاء الاشتراك"',
        '',
      ].join('\n'),
    );
    forgetCatalogues();
  });
  afterAll(() => {
    rmSync(ARABIC_PO, { force: true });
    forgetCatalogues();
  });

  const until = (seconds: number) => Math.floor(Date.now() / 1000) + seconds;
  /** A message the shop sent to `to` in `language` (outbox.language, as the send path records it). */
  const sent = async (to: string, language: string | null) => {
    const ref = newLinkRef();
    await pool.query(
      "INSERT INTO outbox (idempotency_key, shop_id, step, channel, recipient, customer_key, status, link_ref, language, language_source) VALUES (?, ?, 0, 'email', ?, ?, 'sent', ?, ?, ?)",
      [`page-${ref}`, shopId, to, to, ref, language, language ? 'order' : null],
    );
    return ref;
  };
  const htmlTag = (html: string) => /<html[^>]*>/.exec(html)?.[0];
  const setShopLocale = (locale: string | null) =>
    locale
      ? pool.query("REPLACE INTO settings (shop_id, `key`, value) VALUES (?, 'formats', ?)", [shopId, JSON.stringify({ locale })])
      : pool.query("DELETE FROM settings WHERE shop_id = ? AND `key` = 'formats'", [shopId]);

  it('shows the unsubscribe page of a Polish message in Polish, with lang="pl-PL", and confirms in Polish', async () => {
    const ref = await sent('jan@example.test', 'pl_PL');
    const token = signLinkToken({ kind: 'unsubscribe', ref, expiresAt: until(HOUR) }, SECRET);
    const page = await request(app).get(`/u/${token}`).expect(200).expect('content-language', 'pl-PL');
    expect(htmlTag(page.text)).toBe('<html lang="pl-PL" dir="ltr">');
    expect(page.text).toContain('<title>Wypisz się</title>');
    expect(page.text).toContain(
      'Czy chcesz, aby sklep Kubki Oli przestał wysyłać na adres jan@example.test przypomnienia o zamówieniach i koszykach, oferty i nowości?',
    );
    expect(page.text).not.toMatch(/>[^<]*Unsubscribe/); // no English words (the form field keeps RFC 8058's name)
    const done = await request(app).post(`/u/${token}`).type('form').send('List-Unsubscribe=One-Click').expect(200);
    expect(done.text).toContain('Wypisaliśmy Cię');
    expect(done.text).toContain(
      'Sklep Kubki Oli nie wyśle już na adres jan@example.test przypomnień o zamówieniach i koszykach, ofert ani nowości.',
    );
  });

  it('shows the NPS survey of a Polish message in Polish, its refusals too', async () => {
    const survey = await sentSurvey(pool, shopId, { customerKey: 'ola@example.test' });
    await pool.query("UPDATE outbox SET language = 'pl_PL' WHERE id = ?", [survey.outboxId]);
    const page = await request(app).get(survey.path).expect(200);
    expect(htmlTag(page.text)).toBe('<html lang="pl-PL" dir="ltr">');
    expect(page.text).toContain('Jak bardzo prawdopodobne jest, że polecisz sklep Kubki Oli znajomym?');
    expect(page.text).toContain('Wyślij odpowiedź');
    const refused = await request(app).post(survey.path).type('form').send('score=11').expect(400);
    expect(refused.text).toContain('Wybierz ocenę od 0 do 10.');
    const thanks = await request(app).post(survey.path).type('form').send('score=9').expect(200);
    expect(thanks.text).toContain('Dziękujemy!');
  });

  it('speaks the shop’s language for a message of no chosen language, and English for a language the product does not speak', async () => {
    const ref = await sent('anna@example.test', null);
    const token = signLinkToken({ kind: 'unsubscribe', ref, expiresAt: until(HOUR) }, SECRET);
    await setShopLocale('pl_PL');
    try {
      expect((await request(app).get(`/u/${token}`).expect(200)).text).toContain('<title>Wypisz się</title>');
    } finally {
      await setShopLocale(null);
    }
    const german = await sent('hans@example.test', 'de_DE');
    const page = await request(app)
      .get(`/u/${signLinkToken({ kind: 'unsubscribe', ref: german, expiresAt: until(HOUR) }, SECRET)}`)
      .expect(200);
    // No German catalogue: the page is English, and says so.
    expect(htmlTag(page.text)).toBe('<html lang="en-US" dir="ltr">');
    expect(page.text).toContain('<title>Unsubscribe</title>');
  });

  it('answers an expired or tampered link, whose message cannot be read, in the browser’s language', async () => {
    const ref = await sent('jan@example.test', 'de_DE');
    const expired = signLinkToken({ kind: 'pay', ref, expiresAt: until(-60) }, SECRET);
    const polish = await request(app).get(`/r/${expired}`).set('accept-language', 'pl,en-US;q=0.7,en;q=0.3').expect(410);
    expect(htmlTag(polish.text)).toBe('<html lang="pl-PL" dir="ltr">');
    expect(polish.text).toContain('Ten link do płatności wygasł');
    const english = await request(app).get(`/r/${expired}`).set('accept-language', 'fr-FR,fr;q=0.9').expect(410);
    expect(english.text).toContain('This payment link has expired');
    expect((await request(app).get(`/r/${expired}`).expect(410)).text).toContain('This payment link has expired');
    const tampered = await request(app)
      .get(`/u/${expired.slice(0, -2)}xx`)
      .set('accept-language', 'pl-PL')
      .expect(400);
    expect(tampered.text).toContain('Ten link jest nieprawidłowy');
    const closed = signLinkToken({ kind: 'nps', ref, expiresAt: until(-60) }, SECRET);
    expect((await request(app).get(`/nps/${closed}`).set('accept-language', 'pl').expect(410)).text).toContain(
      'Ta ankieta jest już zamknięta',
    );
  });

  it('lays out the page of a message in a right-to-left language right to left', async () => {
    const ref = await sent('amal@example.test', 'ar');
    const page = await request(app)
      .get(`/u/${signLinkToken({ kind: 'unsubscribe', ref, expiresAt: until(HOUR) }, SECRET)}`)
      .expect(200);
    expect(htmlTag(page.text)).toBe('<html lang="ar" dir="rtl">');
    expect(page.text).toContain('<title>إلغاء الاشتراك</title>');
  });

  it('sends the double opt-in email and shows its page in the language the customer asked in', async () => {
    const raw = JSON.stringify({
      changes: [
        { purpose: 'marketing', channel: 'email', address: 'ewa@example.test', granted: true, source: 'checkout', locale: 'pl_PL' },
      ],
    });
    await request(app)
      .post('/api/consents')
      .set('x-comeback-shop', SHOP_URL)
      .set(
        'x-comeback-signature',
        signRequest(SHOP_SECRET, { direction: 'plugin-to-sidecar', method: 'post', path: '/api/consents', body: raw }),
      )
      .set('content-type', 'application/json')
      .send(raw)
      .expect(200);
    const [[mail]] = await pool.query<RowDataPacket[]>(
      "SELECT subject, body_html, body_text FROM outbox WHERE idempotency_key LIKE 'consent-confirm:%' AND recipient = 'ewa@example.test'",
    );
    expect(mail!.subject).toBe('Potwierdź zapis: oferty i nowości od sklepu Kubki Oli');
    expect(String(mail!.body_html)).toContain('<html lang="pl-PL" dir="ltr">');
    expect(String(mail!.body_text)).toContain('Link działa przez 7 dni.');
    const path = /http:\/\/sidecar\.example\.test(\/c\/[A-Za-z0-9_.-]+)/.exec(String(mail!.body_text))![1]!;
    // The customer's browser says English; the page speaks the language they asked in.
    const page = await request(app).get(path).set('accept-language', 'en-US').expect(200);
    expect(htmlTag(page.text)).toBe('<html lang="pl-PL" dir="ltr">');
    expect(page.text).toContain('Czy chcesz otrzymywać od sklepu Kubki Oli oferty i nowości e-mailem na adres ewa@example.test?');
    expect(page.text).toContain('Tak, potwierdzam');
    const done = await request(app).post(path).type('form').send('confirm=1').expect(200);
    expect(done.text).toContain('Sklep Kubki Oli będzie wysyłać na adres ewa@example.test oferty i nowości.');
  });

  it('shows the test-recipient confirmation page in the browser’s language', async () => {
    const row = await addTestRecipient(pool, shopId, 'email', 'owner@example.test');
    const token = signLinkToken({ kind: 'confirm', ref: `t${shopId}-${row.id}-${newLinkRef()}`, expiresAt: until(HOUR) }, SECRET);
    const page = await request(app).get(`/t/${token}`).set('accept-language', 'pl-PL,pl;q=0.9').expect(200);
    expect(htmlTag(page.text)).toBe('<html lang="pl-PL" dir="ltr">');
    expect(page.text).toContain('Czy sklep Kubki Oli może wysyłać wiadomości testowe na adres owner@example.test?');
    expect((await request(app).post(`/t/${token}`).set('accept-language', 'pl').type('form').send('confirm=1').expect(200)).text).toContain(
      'Sklep Kubki Oli może teraz wysyłać wiadomości testowe na adres owner@example.test.',
    );
  });

  it('answers the plugin’s cart restore with the message’s language, else the cart’s', async () => {
    const ref = await sent('jan@example.test', 'pl_PL');
    const [c] = await pool.query<ResultSetHeader>(
      "INSERT INTO carts (shop_id, session_key, ref, email, customer_key, locale, contents, total, currency, status, source, last_activity_at) VALUES (?, 's1', ?, 'jan@example.test', 'jan@example.test', 'en_US', '[]', '10.00', 'PLN', 'abandoned', 'classic', NOW(3))",
      [shopId, newLinkRef()],
    );
    const [e] = await pool.query<ResultSetHeader>(
      "INSERT INTO enrollments (shop_id, flow, subject_type, subject_id, customer_key) VALUES (?, 'abandoned-cart', 'cart', ?, 'jan@example.test')",
      [shopId, String(c.insertId)],
    );
    await pool.query('UPDATE outbox SET enrollment_id = ? WHERE link_ref = ?', [e.insertId, ref]);
    const cart = () =>
      request(app)
        .get(`/api/carts/${ref}`)
        .set('x-comeback-shop', SHOP_URL)
        .set(
          'x-comeback-signature',
          signRequest(SHOP_SECRET, { direction: 'plugin-to-sidecar', method: 'get', path: `/api/carts/${ref}`, body: '' }),
        );
    expect((await cart().expect(200)).body.locale).toBe('pl_PL');
    await pool.query('UPDATE outbox SET language = NULL WHERE link_ref = ?', [ref]);
    expect((await cart().expect(200)).body.locale).toBe('en_US');
  });

  it('puts the message’s language beside the token of links to the shop, for the plugin’s pages', () => {
    const deps = { publicUrl: () => 'http://sidecar.example.test', linkSecret: SECRET, linkTtlDays: 7 };
    const links = messageLinks(deps, newLinkRef(), { linkBase: `${SHOP_URL}/`, secret: SHOP_SECRET, locale: 'pl_PL' });
    expect(new URL(links.cart!).searchParams.get('comeback_locale')).toBe('pl_PL');
    expect(new URL(links.payment).searchParams.get('comeback_locale')).toBe('pl_PL');
    expect(new URL(messageLinks(deps, newLinkRef(), { linkBase: `${SHOP_URL}/`, secret: SHOP_SECRET }).payment).search).not.toContain(
      'comeback_locale',
    );
  });
});
