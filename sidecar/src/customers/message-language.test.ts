import { describe, expect, it } from 'vitest';
import { chooseMessageLanguage, wordpressLocale } from './message-language.ts';

describe('the language a message goes in', () => {
  const shop = 'en_US';

  it('takes the order’s language first, before the user’s locale, the profile’s and the cart’s', () => {
    expect(chooseMessageLanguage({ subject: 'order', order: 'pl_PL', user: 'de_DE', profile: 'fr', cart: 'it_IT', shop })).toEqual({
      locale: 'pl_PL',
      source: 'order',
    });
  });

  it('takes the customer’s WordPress locale when the order names no language', () => {
    expect(chooseMessageLanguage({ subject: 'order', order: null, user: 'de_DE', profile: 'fr', shop })).toEqual({
      locale: 'de_DE',
      source: 'user',
    });
  });

  it('then the profile’s language, a BCP 47 tag made the shop’s locale of that language', () => {
    expect(chooseMessageLanguage({ subject: 'order', profile: 'pl', shop: 'en_GB', shopLanguages: ['en_GB', 'pl_PL'] })).toEqual({
      locale: 'pl_PL',
      source: 'profile',
    });
    expect(chooseMessageLanguage({ subject: 'order', profile: 'de-AT', shop })).toEqual({ locale: 'de_AT', source: 'profile' });
  });

  it('then the cart’s locale, then the shop’s', () => {
    expect(chooseMessageLanguage({ subject: 'cart', cart: 'cs_CZ', shop })).toEqual({ locale: 'cs_CZ', source: 'cart' });
    expect(chooseMessageLanguage({ subject: 'cart', cart: null, shop: 'pl_PL' })).toEqual({ locale: 'pl_PL', source: 'shop' });
    expect(chooseMessageLanguage({ subject: 'order', order: '', user: ' ', shop: 'de_DE_formal' })).toEqual({
      locale: 'de_DE_formal',
      source: 'shop',
    });
  });

  it('speaks to a customer (win-back, loyalty, campaigns) in their profile’s language first, then their own locale', () => {
    expect(chooseMessageLanguage({ subject: 'customer', order: 'it_IT', user: 'de_DE', profile: 'pl', shop })).toEqual({
      locale: 'pl_PL',
      source: 'profile',
    });
    expect(chooseMessageLanguage({ subject: 'customer', user: 'de_DE', shop })).toEqual({ locale: 'de_DE', source: 'user' });
    expect(chooseMessageLanguage({ subject: 'customer', shop: 'pl_PL' })).toEqual({ locale: 'pl_PL', source: 'shop' });
  });

  it('skips what is no language at all', () => {
    expect(chooseMessageLanguage({ subject: 'order', order: 'Polish!', user: '12', profile: 'x-klingon-0', shop })).toEqual({
      locale: 'en_US',
      source: 'shop',
    });
  });
});

describe('a language as a WordPress locale', () => {
  it('keeps a locale and mends its spelling', () => {
    expect(wordpressLocale('pl_PL')).toBe('pl_PL');
    expect(wordpressLocale('pl-PL')).toBe('pl_PL');
    expect(wordpressLocale('pt_br')).toBe('pt_BR');
    expect(wordpressLocale('de_DE_formal')).toBe('de_DE_formal');
  });

  it('makes a bare language (WPML’s code, a profile’s tag) the shop’s locale of it, else WordPress’s usual one', () => {
    expect(wordpressLocale('pl', ['en_US', 'pl_PL'])).toBe('pl_PL');
    expect(wordpressLocale('de', ['de_CH', 'en_US'])).toBe('de_CH');
    expect(wordpressLocale('pl')).toBe('pl_PL');
    expect(wordpressLocale('en')).toBe('en_US');
    expect(wordpressLocale('cs')).toBe('cs_CZ');
    expect(wordpressLocale('ja')).toBe('ja');
    expect(wordpressLocale('zh-hans')).toBe('zh_CN');
    expect(wordpressLocale('pt-br')).toBe('pt_BR');
  });

  it('is null for nothing and for what no locale is', () => {
    expect(wordpressLocale(null)).toBeNull();
    expect(wordpressLocale('')).toBeNull();
    expect(wordpressLocale('polski')).toBeNull();
    expect(wordpressLocale('pl_PL; DROP')).toBeNull();
  });
});
