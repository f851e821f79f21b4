import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inLocale } from '../i18n/translations.ts';
import { countWords } from './helpers.ts';
import { renderShortcodes, type RenderContext } from './index.ts';
import { sampleCart, sampleContext } from './sample-context.ts';

type Vector = { locale: string; noun: 'item' | 'point'; count: number; expected: string };

// The same file the plugin's PHPUnit suite reads (test/php/tests/ShortcodePluralsTest.php): both
// take the noun's forms from plugin/languages/comeback-<locale>.po by its Plural-Forms rule.
const file = JSON.parse(readFileSync(new URL('../../../shortcodes/vectors/plurals.json', import.meta.url), 'utf8')) as {
  forms: Record<string, [string, string]>;
  vectors: Vector[];
};

describe('counts with their noun in the message’s language (shortcodes/vectors/plurals.json)', () => {
  it('covers English and Polish, both nouns, and the counts where Polish changes form', () => {
    for (const locale of ['en_US', 'pl_PL'])
      for (const noun of ['item', 'point'])
        expect(file.vectors.filter((v) => v.locale === locale && v.noun === noun).map((v) => v.count)).toEqual([
          0, 1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 102, 112, 122, 1000,
        ]);
  });

  it.each(file.vectors.map((v) => [`${v.locale} ${v.count} ${v.noun}`, v] as const))('%s', (_name, v) => {
    expect(inLocale(v.locale, () => countWords(v.noun, v.count, String(v.count)))).toBe(v.expected);
  });

  it('prints [item_count] and [points_balance] in the locale the message is rendered in', () => {
    const { shop, formats, timeZone } = sampleContext();
    const base: RenderContext = {
      shop,
      formats,
      timeZone,
      customer: { firstName: 'Anna', lastName: 'Nowak', email: 'anna@example.pl' },
      links: {},
    };
    const cart = sampleCart(new Date('2026-03-02T09:00:00Z'));
    const withCart: RenderContext = { ...base, cart: { items: cart.items, total: cart.total, currency: 'EUR', currencySymbol: '€' } };
    const loyal = (points: string): RenderContext => ({ ...base, loyalty: { points, currencySymbol: '€' } });
    const render = (locale: string, template: string, context: 'cart' | 'customer', ctx: RenderContext) =>
      inLocale(locale, () => renderShortcodes(template, context, ctx, 'text'));

    expect(render('en_US', '[item_count]', 'cart', withCart)).toBe('3 items');
    expect(render('pl_PL', '[item_count]', 'cart', withCart)).toBe('3 produkty');
    expect(render('pl_PL', '[item_count]', 'cart', { ...withCart, cart: { ...withCart.cart!, items: [withCart.cart!.items[0]!] } })).toBe(
      '2 produkty',
    );
    expect(render('en_US', '[points_balance]', 'customer', loyal('1250'))).toBe('1,250 points');
    expect(render('pl_PL', '[points_balance]', 'customer', loyal('1250'))).toBe('1,250 punktów');
    expect(render('pl_PL', '[points_balance]', 'customer', loyal('1'))).toBe('1 punkt');
    expect(render('pl_PL', '[points_balance]', 'customer', loyal('22'))).toBe('22 punkty');
    expect(render('pl_PL', '[points_balance]', 'customer', loyal('12'))).toBe('12 punktów');
    // gettext's rules are for whole numbers: a fraction takes the plural.
    expect(render('en_US', '[points_balance]', 'customer', loyal('1.5'))).toBe('1.5 points');
    expect(render('pl_PL', '[points_balance]', 'customer', loyal('2.5'))).toBe('2.5 punktów');
  });
});
