// The shipped translations, built from each plugin/languages/comeback-<locale>.po (the catalogue
// translators edit; the sidecar reads the .po itself, sidecar/src/i18n/translations.ts):
// - comeback-<locale>.mo for the plugin's PHP: load_plugin_textdomain() in class-comeback-plugin.php
//   loads it from the plugin's languages/ folder;
// - comeback-<locale>-comeback-admin.json for the admin UI script, as `wp i18n make-json` writes it
//   (Jed 1.x locale_data under the "messages" domain, only the strings the scripts use): the plugin
//   calls wp_set_script_translations('comeback-admin', 'comeback', <plugin>/languages), and
//   load_script_textdomain() (wp-includes/l10n.php) tries "<domain>-<locale>-<handle>.json" in that
//   path first, before the md5 of the script's relative path.
// Run by scripts/build-plugin.mjs after the .pot; `node scripts/make-translations.mjs` alone
// rewrites them. They are build output (git-ignored), made from the .po at every build.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import gettextParser from 'gettext-parser';
import { POT_PATH, ROOT } from './make-pot.mjs';

export const LANGUAGES = join(ROOT, 'plugin', 'languages');
/** The admin UI's script handle (Comeback_Admin_UI::HANDLE). */
export const SCRIPT_HANDLE = 'comeback-admin';
const DOMAIN = 'comeback';

/** The locales with a catalogue: comeback-<locale>.po. */
export function catalogueLocales() {
  return readdirSync(LANGUAGES)
    .map((name) => /^comeback-([a-z]{2,3}(?:_[A-Z]{2})?(?:_[a-z0-9]+)?)\.po$/.exec(name)?.[1])
    .filter(Boolean)
    .sort();
}

/** The keys (context\u0004msgid) of the template whose references name a script (not only PHP). */
function scriptKeys() {
  const pot = gettextParser.po.parse(readFileSync(POT_PATH));
  const keys = new Set();
  for (const [context, entries] of Object.entries(pot.translations)) {
    for (const [msgid, entry] of Object.entries(entries)) {
      const references = (entry.comments?.reference ?? '').split(/\s+/).filter(Boolean);
      if (msgid && references.some((r) => /\.(tsx?|m?js)(:\d+)?$/.test(r))) keys.add(context ? `${context}\u0004${msgid}` : msgid);
    }
  }
  return keys;
}

/** The translated entries of a parsed .po: neither fuzzy nor empty (msgfmt's rule). */
function translatedOnly(po) {
  const translations = { '': { '': po.translations['']?.[''] ?? { msgid: '', msgstr: [''] } } };
  for (const [context, entries] of Object.entries(po.translations)) {
    for (const [msgid, entry] of Object.entries(entries)) {
      if (!msgid || entry.comments?.flag?.split(/,\s*/).includes('fuzzy') || entry.msgstr.every((s) => !s)) continue;
      (translations[context] ??= {})[msgid] = entry;
    }
  }
  return { ...po, translations };
}

/** One locale's JSON for the admin script, in `wp i18n make-json`'s shape. */
function scriptJson(po, locale, keys) {
  const messages = {
    '': { domain: 'messages', lang: locale, 'plural-forms': po.headers['Plural-Forms'] ?? 'nplurals=2; plural=(n != 1);' },
  };
  for (const [context, entries] of Object.entries(po.translations)) {
    for (const [msgid, entry] of Object.entries(entries)) {
      const key = context ? `${context}\u0004${msgid}` : msgid;
      if (msgid && keys.has(key)) messages[key] = entry.msgstr;
    }
  }
  return {
    'translation-revision-date': po.headers['PO-Revision-Date'] ?? '',
    generator: 'Comeback make-translations',
    source: `admin-ui/${SCRIPT_HANDLE}.js`,
    domain: 'messages',
    locale_data: { messages },
  };
}

/** Writes every locale's .mo and admin script JSON into plugin/languages; answers the files written. */
export function makeTranslations() {
  const keys = scriptKeys();
  const written = [];
  for (const locale of catalogueLocales()) {
    const po = translatedOnly(gettextParser.po.parse(readFileSync(join(LANGUAGES, `${DOMAIN}-${locale}.po`))));
    const mo = join(LANGUAGES, `${DOMAIN}-${locale}.mo`);
    writeFileSync(mo, gettextParser.mo.compile(po));
    const json = join(LANGUAGES, `${DOMAIN}-${locale}-${SCRIPT_HANDLE}.json`);
    writeFileSync(json, JSON.stringify(scriptJson(po, locale, keys)));
    written.push(mo, json);
  }
  return written;
}

if (process.argv[1] && relative(process.argv[1], import.meta.filename) === '') {
  for (const file of makeTranslations()) console.log(`wrote ${relative(ROOT, file)}`);
}
