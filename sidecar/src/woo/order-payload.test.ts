import { describe, expect, it } from 'vitest';
import { orderLanguageOf, orderPayload } from './order-payload.ts';

const order = (fields: Record<string, unknown>) => orderPayload.parse({ id: 15, status: 'pending', ...fields });

describe('the language an order payload carries', () => {
  it('takes the plugin’s comeback_language first, then TranslatePress’s and WPML’s order meta', () => {
    const meta = [
      { id: 1, key: 'wpml_language', value: 'pl' },
      { id: 2, key: 'trp_language', value: 'de_DE' },
    ];
    expect(orderLanguageOf(order({ comeback_language: { locale: 'pl_PL', source: 'order' }, meta_data: meta })).language).toBe('pl_PL');
    expect(orderLanguageOf(order({ meta_data: meta })).language).toBe('de_DE');
    expect(orderLanguageOf(order({ meta_data: [meta[0]] })).language).toBe('pl');
  });

  it('reads the customer’s own locale, and nothing from what is malformed', () => {
    expect(orderLanguageOf(order({ customer_locale: 'de_DE' }))).toEqual({ language: null, customerLocale: 'de_DE' });
    expect(orderLanguageOf(order({ comeback_language: 'pl', meta_data: 'none', customer_locale: 42 }))).toEqual({
      language: null,
      customerLocale: null,
    });
    expect(orderLanguageOf(order({ comeback_language: null, meta_data: [{ key: 'wpml_language', value: ['pl'] }] })).language).toBeNull();
  });
});
