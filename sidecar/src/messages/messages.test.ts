import { beforeEach, describe, expect, it } from 'vitest';
import {
  clearTemplateCache,
  compileTemplate,
  mjmlRuns,
  render,
  RenderError,
  sampleCartContext,
  sampleContext,
  TemplateError,
  type TemplateInput,
} from './index.ts';
import { dateNamesFromIntl, defaultShopFormats } from './shop-formats.ts';

const online = (body: string, subject = 'Order #[order_number]', version: string | number = 1): TemplateInput => ({
  id: 'reminder-1',
  version,
  subject,
  body,
  context: 'online',
});

beforeEach(() => clearTemplateCache());

describe('compileTemplate validation', () => {
  it('reports shortcode errors with field, line and column, for subject and body together', async () => {
    const err = await compileTemplate({
      ...online('Hello [customer_first_name],\n  [bank_details]\n[order_numbr]', 'Your order [payment_link] [oops]'),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TemplateError);
    const errors = (err as TemplateError).errors.map(({ field, code, line, column }) => ({ field, code, line, column }));
    expect(errors).toEqual([
      { field: 'subject', code: 'unknown_shortcode', line: 1, column: 27 },
      { field: 'body', code: 'wrong_context', line: 2, column: 3 },
      { field: 'body', code: 'unknown_shortcode', line: 3, column: 1 },
    ]);
    expect((err as TemplateError).fields).toEqual(['subject', 'body']);
  });

  it('does not cache a failed compile', async () => {
    await expect(compileTemplate(online('[nope]'))).rejects.toBeInstanceOf(TemplateError);
    await expect(compileTemplate(online('[nope]'))).rejects.toBeInstanceOf(TemplateError);
  });
});

describe('render', () => {
  it('prints hostile customer and shop data literally in every part', async () => {
    const compiled = await compileTemplate(
      online('Hello [customer_first_name] [customer_name], from [shop_name]', 'Hi [customer_first_name]'),
    );
    const hostile = '<b>{{x}}</b>';
    const ctx = sampleContext({ customer: { firstName: hostile, lastName: '"&\'', email: 'a@b.c' } });
    ctx.shop.name = '<script>alert(1)</script>';
    const out = render(compiled, ctx);
    expect(out.html).toContain('Hello &lt;b&gt;{{x}}&lt;/b&gt; &lt;b&gt;{{x}}&lt;/b&gt; &quot;&amp;&#39;, from &lt;script&gt;');
    expect(out.html).not.toContain('<b>');
    expect(out.html).not.toContain('<script>');
    expect(out.text).toContain(`Hello ${hostile} ${hostile} "&'`);
    expect(out.subject).toBe(`Hi ${hostile}`);
  });

  it('renders payment_link as a real <a href> with the URL and text escaped; text part gets the bare URL', async () => {
    const compiled = await compileTemplate(online(`Pay: [payment_link text='Pay "now" & <i>fast</i>']`));
    const ctx = sampleContext({ links: { payment: 'https://shop.example/pay?a=1&b="x"<y>' } });
    const out = render(compiled, ctx);
    expect(out.html).toContain('<a href="https://shop.example/pay?a=1&amp;b=&quot;x&quot;&lt;y&gt;"');
    expect(out.html).toContain('>Pay &quot;now&quot; &amp; &lt;i&gt;fast&lt;/i&gt;</a>');
    expect(out.text).toContain('Pay: https://shop.example/pay?a=1&b="x"<y>');
  });

  it('applies the catalogue default link text', async () => {
    const out = render(await compileTemplate(online('[payment_link]')), sampleContext());
    expect(out.html).toMatch(/<a href="https:\/\/shop\.example\/pay\/1042\?t=abc&amp;u=1"[^>]*>Pay now<\/a>/);
  });

  it('refuses a missing or non-http payment link', async () => {
    const compiled = await compileTemplate(online('[payment_link]'));
    expect(() => render(compiled, sampleContext({ links: {} }))).toThrow(RenderError);
    expect(() => render(compiled, sampleContext({ links: { payment: 'javascript:alert(1)' } }))).toThrow(/non-http/);
  });

  it('keeps the text part free of HTML tags', async () => {
    const body =
      'Hi [customer_name]\n[order_items]\nTotal [order_total] on [order_date]\n[payment_link]\n[company_details]\n[unsubscribe_link]';
    const out = render(await compileTemplate(online(body)), sampleContext());
    expect(out.text).not.toMatch(/<[a-z/!]/i);
    expect(out.text).not.toContain('&amp;');
    expect(out.text).toContain('2 × Blue mug — €29.90');
    expect(out.text).toContain('Unsubscribe: https://shop.example/u/xyz');
    expect(out.html).toContain('<table');
  });

  it('keeps mustaches typed by the editor literal', async () => {
    const body = 'A {{customer.email}} B {{{shop.name}}} C {{#each order.items}}x{{/each}} D \\{{x}} E {{> p}}';
    const subject = '{{customer.email}} [order_number]';
    const out = render(await compileTemplate(online(body, subject)), sampleContext());
    expect(out.text.trim().split('\n')[0]).toBe(body);
    expect(out.html).toContain('A {{customer.email}} B {{{shop.name}}} C {{#each order.items}}x{{/each}} D \\{{x}} E {{&gt; p}}');
    expect(out.subject).toBe('{{customer.email}} 1042');
    expect(out.html).not.toContain('anna@example.com');
  });

  it('formats totals and dates as the shop does, in its time zone', async () => {
    const compiled = await compileTemplate(online('[order_total] | [order_date] | [order_date format="d.m.Y H:i l"]'));
    // 22:30 UTC on 5 March is already 6 March in Tokyo.
    const german = {
      ...defaultShopFormats,
      locale: 'de_DE',
      price: { decimals: 2, decimalSeparator: ',', thousandSeparator: '.', position: 'right_space' as const },
      dates: dateNamesFromIntl('de_DE', 'j. F Y'),
    };
    const out = render(compiled, sampleContext({ formats: german, timeZone: 'Asia/Tokyo' }));
    expect(out.text).toContain('49,90\u00a0€ | 6. März 2025 | 06.03.2025 07:30 Donnerstag');
    const berlin = render(compiled, sampleContext({ timeZone: 'Europe/Berlin' }));
    expect(berlin.text).toContain('€49.90 | March 5, 2025 | 05.03.2025 23:30 Wednesday');
  });

  it('renders bank accounts and the payment reference for offline orders', async () => {
    const compiled = await compileTemplate({ ...online('Please transfer to:\n[bank_details]'), context: 'offline' });
    const ctx = sampleContext();
    ctx.shop.bankAccounts.push({ accountName: 'Second <Ltd>', bankName: 'Other Bank', accountNumber: '999', sortCode: '12-34-56' });
    const out = render(compiled, ctx);
    expect(out.html).toContain(
      '<th align="left" style="padding:4px 12px 4px 0;vertical-align:top;">IBAN</th><td style="padding:4px 12px 4px 0;vertical-align:top;">DE89370400440532013000</td>',
    );
    expect(out.html).toContain('Second &lt;Ltd&gt;');
    expect(out.html).toContain('12-34-56');
    expect(out.text).toContain('IBAN: DE89370400440532013000\nBIC: COBADEFFXXX');
    expect(out.text).toContain('Account name: Second <Ltd>\nBank: Other Bank\nAccount number: 999\nSort code: 12-34-56');
    expect(out.text).toContain('Payment reference: 1042');
    expect(() => render(compiled, { ...ctx, shop: { ...ctx.shop, bankAccounts: [] } })).toThrow(RenderError);
  });

  it('adds the footer unsubscribe link only when there is one', async () => {
    const compiled = await compileTemplate(online('Hi'));
    const withLink = render(compiled, sampleContext());
    expect(withLink.html).toMatch(/<a href="https:\/\/shop\.example\/u\/xyz"[^>]*>Unsubscribe<\/a>/);
    const without = render(compiled, sampleContext({ links: { payment: 'https://shop.example/p' } }));
    expect(without.html).not.toContain('Unsubscribe');
    expect(without.text).toBe('Hi\n');
  });
});

describe('cart and shipment messages', () => {
  const cart = (body: string, subject = 'Your cart at [shop_name]'): TemplateInput => ({
    id: 'cart-1',
    version: 1,
    subject,
    body,
    context: 'cart',
  });

  it('renders a cart message: the restore link, the items and the total, no order anywhere', async () => {
    const compiled = await compileTemplate(cart('Hi [customer_first_name], you left:\n[cart_items]\nTotal [cart_total]\n[cart_link]'));
    const out = render(compiled, sampleCartContext());
    expect(out.subject).toBe('Your cart at Mugs & More');
    expect(out.html).toMatch(/<a href="https:\/\/shop\.example\/\?comeback=cart-sample"[^>]*>Back to your cart<\/a>/);
    expect(out.html).toContain('>Teapot, stoneware</td><td align="right" style="padding:4px 12px 4px 0;vertical-align:top;">€34.50</td>');
    expect(out.text).toContain(
      'Hi Anna, you left:\n2 × Blue mug — €29.90\n1 × Teapot, stoneware — €34.50\nTotal €64.40\nhttps://shop.example/?comeback=cart-sample\n',
    );
  });

  it('refuses order shortcodes in a cart text, with the line, column and what to use instead', async () => {
    const err = await compileTemplate(cart('Hi\n[order_total] [payment_link]')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TemplateError);
    expect((err as TemplateError).errors.map(({ code, line, column }) => ({ code, line, column }))).toEqual([
      { code: 'wrong_context', line: 2, column: 1 },
      { code: 'wrong_context', line: 2, column: 15 },
    ]);
    expect((err as TemplateError).errors[0]?.message).toContain('use [cart_total]');
  });

  it('shows the tracking number and the carrier link of a shipped order', async () => {
    const compiled = await compileTemplate({ ...online('Parcel [tracking_number]: [tracking_link]'), context: 'any' });
    const out = render(compiled, sampleContext());
    expect(out.html).toMatch(
      /Parcel 00340434161094042557: <a href="https:\/\/tracking\.example\/parcel\?number=00340434161094042557"[^>]*>Track your parcel<\/a>/,
    );
    expect(out.text).toContain('Parcel 00340434161094042557: https://tracking.example/parcel?number=00340434161094042557\n');
  });

  it('prints nothing for a part the context lacks instead of failing', async () => {
    const orderText =
      '[order_number]|[order_date]|[order_total]|[order_items]|[payment_method]|[tracking_number]|[tracking_link]|[customer_name]';
    const anyOrder = await compileTemplate({ ...online(orderText, '[order_number] [tracking_number]'), context: 'any' });
    // An order without tracking, and (as a context built wrongly would be) a cart where an order was expected.
    const unshipped = sampleContext();
    delete unshipped.order.tracking;
    expect(render(anyOrder, unshipped).text).toContain('|Credit card|||Anna Schmidt');
    expect(render(anyOrder, sampleCartContext()).text.split('\n')[0]).toBe('|||||||Anna Schmidt');
    const cartText = await compileTemplate(cart('[cart_items]|[cart_total]|[cart_link]|[unsubscribe_link]'));
    expect(render(cartText, sampleCartContext({ cart: undefined, links: {} })).text).toBe('|||\n');
    expect(render(cartText, sampleContext()).text.split('\n')[0]).toBe('|||https://shop.example/u/xyz');
    // Bank details without an order: the accounts, no payment reference.
    const offline = await compileTemplate({ ...online('[bank_details]'), context: 'offline' });
    const details = render(offline, sampleCartContext()).text;
    expect(details).toContain('IBAN: DE89370400440532013000');
    expect(details).not.toContain('Payment reference');
  });

  it('leaves out a tracking address that is not http(s)', async () => {
    const compiled = await compileTemplate({ ...online('<[tracking_link]>'), context: 'any' });
    const ctx = sampleContext();
    ctx.order.tracking = { number: '1', url: 'javascript:alert(1)' };
    expect(render(compiled, ctx).html).toContain('&lt;&gt;');
    expect(render(compiled, ctx).text.split('\n')[0]).toBe('<>');
  });
});

describe('MJML and the cache', () => {
  it('Handlebars mustaches survive MJML byte for byte, hostile attribute values included', async () => {
    // "\\\\" here is "\\" in the template, one backslash after WordPress's stripcslashes.
    const compiled = await compileTemplate(online(`[payment_link text='Pay </mj-text> "now" }} {{x}} &amp; <br/> \\\\x'] {a} }{`));
    expect(compiled.sources.html).toContain(`{{{sc_payment_link text="Pay </mj-text> \\"now\\" }} {{x}} &amp; <br/> \\x"}}}`);
    expect(compiled.sources.html).toContain('{{lookup "{" 0}}a{{lookup "}" 0}} {{lookup "}" 0}}{{lookup "{" 0}}');
    const out = render(compiled, sampleContext());
    expect(out.html).toContain('>Pay &lt;/mj-text&gt; &quot;now&quot; }} {{x}} &amp;amp; &lt;br/&gt; \\x</a> {a} }{');
  });

  it('runs MJML once per template version, however often it is compiled or rendered', async () => {
    const first = await Promise.all([
      compileTemplate(online('Hi [customer_first_name]')),
      compileTemplate(online('Hi [customer_first_name]')),
    ]);
    expect(first[0]).toBe(first[1]);
    for (let i = 0; i < 5; i++) render(await compileTemplate(online('Hi [customer_first_name]')), sampleContext());
    expect(mjmlRuns()).toBe(1);
    await compileTemplate(online('Hi again [customer_first_name]', undefined, 2));
    expect(mjmlRuns()).toBe(2);
    await compileTemplate({ ...online('Hi again [customer_first_name]', undefined, 2), context: 'offline' });
    expect(mjmlRuns()).toBe(3);
    // Same key but changed text (version not bumped): recompiled rather than served stale.
    const changed = await compileTemplate(online('Hello [customer_first_name]'));
    expect(render(changed, sampleContext()).text).toBe('Hello Anna\n\n-- \nUnsubscribe: https://shop.example/u/xyz\n');
    expect(mjmlRuns()).toBe(4);
  });
});
