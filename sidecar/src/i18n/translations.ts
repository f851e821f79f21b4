import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Request } from 'express';
import { defaultHooks } from '@wordpress/hooks';
import { createI18n, type I18n, type LocaleData } from '@wordpress/i18n';
import { po as poFile } from 'gettext-parser';

/**
 * The sidecar speaks the language of whoever reads it: a customer's page in their message's
 * language, a merchant's refusal in their admin's. Strings are marked as everywhere in the product,
 * with `__`, `_n`, `_x` and `sprintf` from `@wordpress/i18n` (so the one template, comeback.pot,
 * holds them and the admin UI can share a module), and translated from the same
 * `plugin/languages/comeback-<locale>.po` the plugin ships. The default instance of
 * `@wordpress/i18n` is global, so the locale of the work in hand rides in an AsyncLocalStorage and
 * the instance's own gettext filters answer from that locale's catalogue: `inLocale('pl_PL', fn)`.
 */
export const LANGUAGES_DIR = fileURLToPath(new URL('../../../plugin/languages/', import.meta.url));
const DOMAIN = 'comeback';

const current = new AsyncLocalStorage<string>();
const catalogues = new Map<string, I18n | null>();

/** A WordPress locale (`pl_PL`) as a BCP 47 tag (`pl-PL`), for `lang` attributes and Intl. */
export function languageTag(locale: string): string {
  const [language, region] = locale.split('_');
  return region && /^[A-Z]{2}$/.test(region) ? `${language}-${region}` : language!;
}

/** Whether the locale's script runs right to left (Arabic, Hebrew, Persian, Urdu…), as Intl knows it. */
export function isRightToLeft(locale: string): boolean {
  try {
    const tag = new Intl.Locale(languageTag(locale)) as Intl.Locale & {
      textInfo?: { direction?: string };
      getTextInfo?: () => { direction?: string };
    };
    return (tag.getTextInfo?.() ?? tag.textInfo)?.direction === 'rtl';
  } catch {
    return false;
  }
}

/** The locales a translation ships for (`comeback-<locale>.po` in plugin/languages), read once (forgetCatalogues reads again). */
export function shippedLocales(): string[] {
  shipped ??= existsSync(LANGUAGES_DIR)
    ? readdirSync(LANGUAGES_DIR)
        .map((name) => /^comeback-([a-z]{2,3}(?:_[A-Z]{2})?(?:_[a-z0-9]+)?)\.po$/.exec(name)?.[1])
        .filter((locale): locale is string => Boolean(locale))
        .sort()
    : [];
  return shipped;
}
let shipped: string[] | undefined;

/**
 * The request's Accept-Language matched against the languages the product speaks (English, the
 * source, then each shipped translation): null when it says nothing we speak. Matching is
 * express's (negotiator): "pl" takes pl_PL, "pl-PL" takes pl_PL, a region we do not ship takes its
 * language's locale, `*` the first — English.
 */
export function browserLocale(req: Request): string | null {
  if (!req.get('accept-language')) return null;
  const locales = ['en_US', ...shippedLocales()];
  const tags = locales.map(languageTag);
  const best = req.acceptsLanguages(...tags);
  return best ? (locales[tags.indexOf(best)] ?? null) : null;
}

/** A locale's translations in Jed format (what `setLocaleData` and `wp_set_script_translations` carry), or null without a .po. */
export function localeData(locale: string): LocaleData | null {
  const file = `${LANGUAGES_DIR}comeback-${locale}.po`;
  if (!/^[a-z]{2,3}(_[A-Z]{2})?(_[a-z0-9]+)?$/.test(locale) || !existsSync(file)) return null;
  const po = poFile.parse(readFileSync(file));
  const data: LocaleData = {
    '': { domain: DOMAIN, lang: locale, plural_forms: po.headers['Plural-Forms'] ?? 'nplurals=2; plural=(n != 1);' },
  };
  for (const [context, entries] of Object.entries(po.translations)) {
    for (const [msgid, entry] of Object.entries(entries)) {
      if (!msgid || entry.msgstr.every((s) => !s) || entry.comments?.flag?.includes('fuzzy')) continue;
      data[context ? `${context}\u0004${msgid}` : msgid] = entry.msgstr;
    }
  }
  return data;
}

function catalogue(locale: string): I18n | null {
  if (!catalogues.has(locale)) {
    const data = localeData(locale);
    catalogues.set(locale, data ? createI18n(data, DOMAIN) : null);
  }
  return catalogues.get(locale)!;
}

/** Runs fn with `__` and friends answering in the locale (a locale without a translation: the English source). */
export function inLocale<T>(locale: string | null | undefined, fn: () => T): T {
  installTranslations();
  return current.run(locale ?? 'en_US', fn);
}

/** The locale of the work in hand (en_US outside inLocale). */
export function currentLocale(): string {
  return current.getStore() ?? 'en_US';
}

/** Forgets loaded catalogues and the shipped list (tests that write a .po). */
export function forgetCatalogues(): void {
  catalogues.clear();
  shipped = undefined;
}

let installed = false;
/** Hooks the default `@wordpress/i18n` instance's gettext filters to the locale in hand (once; the first inLocale does it). */
function installTranslations(): void {
  if (installed) return;
  installed = true;
  const of = () => catalogue(currentLocale());
  defaultHooks.addFilter(
    `i18n.gettext_${DOMAIN}`,
    'comeback/locale',
    (translation: string, text: string) => of()?.__(text, DOMAIN) ?? translation,
  );
  defaultHooks.addFilter(
    `i18n.gettext_with_context_${DOMAIN}`,
    'comeback/locale',
    (translation: string, text: string, context: string) => of()?._x(text, context, DOMAIN) ?? translation,
  );
  defaultHooks.addFilter(
    `i18n.ngettext_${DOMAIN}`,
    'comeback/locale',
    (translation: string, single: string, plural: string, number: number) => of()?._n(single, plural, number, DOMAIN) ?? translation,
  );
  defaultHooks.addFilter(
    `i18n.ngettext_with_context_${DOMAIN}`,
    'comeback/locale',
    (translation: string, single: string, plural: string, number: number, context: string) =>
      of()?._nx(single, plural, number, context, DOMAIN) ?? translation,
  );
}
