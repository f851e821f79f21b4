import { __, _n, sprintf } from '@wordpress/i18n';
import { describe, expect, it } from 'vitest';
import { currentLocale, inLocale, isRightToLeft, languageTag, localeData, shippedLocales } from './translations.ts';

describe('the sidecar speaks the locale of the work in hand', () => {
  it('translates a marked string from the shipped Polish catalogue, and falls back to the English source elsewhere', () => {
    expect(inLocale('pl_PL', () => __('Leave without saving?', 'comeback'))).toBe('Wyjść bez zapisywania?');
    expect(inLocale('de_DE', () => __('Leave without saving?', 'comeback'))).toBe('Leave without saving?');
    // Outside any locale: the English source, as in en_US.
    expect(__('Leave without saving?', 'comeback')).toBe('Leave without saving?');
  });

  it('keeps each concurrent piece of work in its own locale', async () => {
    const later = (locale: string, ms: number) =>
      inLocale(locale, async () => {
        await new Promise((resolve) => setTimeout(resolve, ms));
        return [currentLocale(), __('Leave without saving?', 'comeback')];
      });
    expect(await Promise.all([later('pl_PL', 20), later('en_US', 5)])).toEqual([
      ['pl_PL', 'Wyjść bez zapisywania?'],
      ['en_US', 'Leave without saving?'],
    ]);
  });

  it('uses the catalogue’s plural rule (Polish has three forms) and leaves strings of other domains alone', () => {
    const data = localeData('pl_PL')!;
    expect((data[''] as { plural_forms?: string }).plural_forms).toContain('nplurals=3');
    // No translation of this pair: the English rule of the source picks the form.
    expect(inLocale('pl_PL', () => sprintf(_n('%d product', '%d products', 5, 'comeback'), 5))).toBe('5 products');
    expect(inLocale('pl_PL', () => __('Leave without saving?', 'other'))).toBe('Leave without saving?');
  });

  it('names shipped locales, language tags and the direction of a script', () => {
    expect(shippedLocales()).toContain('pl_PL');
    expect(languageTag('pl_PL')).toBe('pl-PL');
    expect(languageTag('de_DE_formal')).toBe('de-DE');
    expect(languageTag('fi')).toBe('fi');
    expect(isRightToLeft('ar')).toBe(true);
    expect(isRightToLeft('he_IL')).toBe(true);
    expect(isRightToLeft('pl_PL')).toBe(false);
    expect(localeData('../etc')).toBeNull();
  });
});
