import { setLocaleData } from '@wordpress/i18n';
import { afterEach, describe, expect, it } from 'vitest';
import { uiLanguage } from '../../admin-ui/src/ui-language.ts';

/**
 * The admin UI tells the sidecar its language on every API call (Accept-Language), from the
 * locale its translations were loaded for, so a refusal comes back in the words around it; the
 * sidecar's negotiation (test/http/editor-refusals.test.ts) takes this very header.
 */
describe('the admin UI’s Accept-Language', () => {
  afterEach(() => setLocaleData({ '': { domain: 'comeback', lang: '' } }, 'comeback'));

  it('names the locale of its loaded translations, then its language alone; English without any', () => {
    expect(uiLanguage()).toBe('en-US');
    setLocaleData({ '': { domain: 'comeback', lang: 'pl_PL' } }, 'comeback');
    expect(uiLanguage()).toBe('pl-PL, pl;q=0.9');
    setLocaleData({ '': { domain: 'comeback', lang: 'de_DE_formal' } }, 'comeback');
    expect(uiLanguage()).toBe('de-DE, de;q=0.9');
    setLocaleData({ '': { domain: 'comeback', lang: 'fi' } }, 'comeback');
    expect(uiLanguage()).toBe('fi');
  });
});
