import { isRTL, setLocaleData, type LocaleData } from '@wordpress/i18n';

/**
 * The admin's language, set before any screen's module runs (main.tsx imports the screens only
 * after it: many build their labels at import). The build bundles its own copy of
 * @wordpress/i18n, so in wp-admin the translations WordPress handed to its global `wp.i18n`
 * (wp_set_script_translations in class-comeback-admin-ui.php: the user's language) are copied
 * into it; served by the sidecar, the merchant's choice (kept in this browser) or else the
 * browser's languages pick one of the shipped translations (GET /admin/i18n/), fetched from
 * /admin/i18n/<locale>.json; else English, the source.
 */
declare global {
  interface Window {
    wp?: { i18n?: { getLocaleData: (domain?: string) => LocaleData | undefined; isRTL: () => boolean } };
  }
}

const LANGUAGE_KEY = 'comeback.language';
export const ENGLISH = 'en_US';

/** A shipped translation, as GET /admin/i18n/ lists it. */
export type Language = { locale: string; tag: string; rtl: boolean };

function setDirection(locale: string, tag: string, rtl: boolean): void {
  document.documentElement.lang = tag;
  document.documentElement.dir = rtl ? 'rtl' : 'ltr';
  document.documentElement.dataset.comebackLocale = locale;
}

/** In wp-admin: the translations WordPress gave wp.i18n, ours and the default domain (@wordpress/components' own strings). */
function takeWordPressTranslations(): void {
  const wp = window.wp?.i18n;
  if (!wp) return;
  for (const domain of ['comeback', 'default']) {
    const data = wp.getLocaleData(domain);
    if (data) setLocaleData(data, domain);
  }
  // WordPress sets the page's lang and dir itself; the app's own root follows isRTL().
  document.getElementById('comeback-admin')?.setAttribute('dir', wp.isRTL() || isRTL() ? 'rtl' : 'ltr');
}

/**
 * The shipped locale for a choice and the browser's languages: the merchant's choice when it is
 * shipped (or English), else the first browser language with a translation — the same locale
 * (pl-PL → pl_PL), else the same language (pl → pl_PL) — else English.
 */
export function pickLanguage(choice: string | null, browser: readonly string[], shipped: readonly string[]): string {
  if (choice === ENGLISH || (choice && shipped.includes(choice))) return choice;
  for (const wanted of browser) {
    const [language, region] = wanted.split('-');
    if (!language) continue;
    if (language.toLowerCase() === 'en') return ENGLISH;
    const exact = shipped.find((l) => region && l === `${language.toLowerCase()}_${region.toUpperCase()}`);
    const same = exact ?? shipped.find((l) => l.split('_')[0] === language.toLowerCase());
    if (same) return same;
  }
  return ENGLISH;
}

let chosen: { languages: Language[]; locale: string } = { languages: [], locale: ENGLISH };

/** The page's language, before anything else of the app is imported: WordPress's in wp-admin, else the sidecar's pick. */
export async function startLanguage(wordpress: boolean): Promise<void> {
  if (wordpress) takeWordPressTranslations();
  else chosen = await chooseSidecarLanguage();
}

/** Served by the sidecar: the shipped translations and the locale in use (for the language select). */
export function sidecarLanguages(): { languages: Language[]; locale: string } {
  return chosen;
}

/** Served by the sidecar: the shipped translations, the one chosen loaded; answers the list and the locale in use. */
async function chooseSidecarLanguage(): Promise<{ languages: Language[]; locale: string }> {
  let languages: Language[] = [];
  try {
    const answer = await fetch('i18n/', { headers: { accept: 'application/json' } });
    if (answer.ok) languages = ((await answer.json()) as { languages: Language[] }).languages;
  } catch {
    // A sidecar without the list: English.
  }
  let locale = pickLanguage(
    localStorage.getItem(LANGUAGE_KEY),
    navigator.languages,
    languages.map((l) => l.locale),
  );
  const language = languages.find((l) => l.locale === locale);
  if (language) {
    try {
      const answer = await fetch(`i18n/${encodeURIComponent(locale)}.json`, { headers: { accept: 'application/json' } });
      if (!answer.ok) throw new Error(String(answer.status));
      setLocaleData((await answer.json()) as LocaleData, 'comeback');
    } catch {
      locale = ENGLISH;
    }
  }
  const shown = locale === ENGLISH ? undefined : language;
  setDirection(locale, shown?.tag ?? 'en', shown?.rtl ?? false);
  return { languages, locale };
}

/** The merchant's choice, kept in this browser; the page starts again in it (labels are built at start). */
export function chooseLanguage(locale: string): void {
  localStorage.setItem(LANGUAGE_KEY, locale);
  window.location.reload();
}

/** A language's name in itself ("Polski", "English"), for the language select. */
export function languageName(tag: string): string {
  try {
    const language = tag.split('-')[0]!;
    const name = new Intl.DisplayNames([tag], { type: 'language' }).of(language) ?? tag;
    return name.charAt(0).toLocaleUpperCase(tag) + name.slice(1);
  } catch {
    return tag;
  }
}
