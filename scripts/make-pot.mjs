// plugin/languages/comeback.pot: every translatable string of the product in one template — the
// plugin's PHP (wp-pot, WordPress's make-pot rules for PHP) and the TypeScript of the admin UI, the
// sidecar's customer pages and merchant texts and the shortcodes (WordPress's own
// @wordpress/babel-plugin-makepot, the extractor `wp i18n make-pot` follows for JavaScript: __,
// _x, _n, _nx and their translator comments). Run by scripts/build-plugin.mjs; `node
// scripts/make-pot.mjs` alone rewrites the template.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { transformFileSync } from '@babel/core';
import gettextParser from 'gettext-parser';
import { globSync } from 'tinyglobby';
import wpPot from 'wp-pot';

export const ROOT = join(import.meta.dirname, '..');
export const POT_PATH = join(ROOT, 'plugin', 'languages', 'comeback.pot');

/** The TypeScript whose strings reach people: the admin UI, the sidecar (not its tests) and the shortcodes. */
export function scriptSources() {
  const patterns = ['admin-ui/src/**/*.{ts,tsx}', 'sidecar/src/**/*.ts', 'shortcodes/src/**/*.ts'];
  return patterns
    .flatMap((pattern) => globSync(pattern, { cwd: ROOT }))
    .filter((file) => !/\.test\.tsx?$/.test(file))
    .sort();
}

/** The strings of the TypeScript sources, as a parsed .pot (references relative to the repository). */
function scriptStrings(work) {
  const output = join(work, 'scripts.pot');
  const plugin = [join(ROOT, 'node_modules/@wordpress/babel-plugin-makepot'), { output, headers: {} }];
  const cwd = process.cwd();
  process.chdir(join(ROOT, 'plugin')); // references relative to the plugin, as the PHP's are
  try {
    for (const file of scriptSources()) {
      transformFileSync(join(ROOT, file), {
        configFile: false,
        babelrc: false,
        code: false,
        presets: [[join(ROOT, 'node_modules/@babel/preset-typescript'), { isTSX: file.endsWith('.tsx'), allExtensions: true }]],
        plugins: [plugin],
      });
    }
  } finally {
    process.chdir(cwd);
  }
  try {
    // The extractor writes UTF-8 without a charset header, which gettext-parser would read as ISO-8859-1 ("â¦" for "…").
    return gettextParser.po.parse(readFileSync(output), { defaultCharset: 'utf-8' });
  } catch {
    return { translations: { '': {} } }; // no source has a string yet
  }
}

/** The PHP strings (wp-pot), with the plugin header's name and description. */
function phpStrings(work) {
  const output = join(work, 'php.pot');
  const plugin = join(ROOT, 'plugin');
  new wpPot.WP_Pot({
    pathsRelativeTo: plugin,
    php: { textdomain: 'comeback', metadataFile: 'comeback.php' },
    pot: { package: 'Comeback', defaultHeaders: true },
  })
    .parse(join(plugin, '**/*.php').replaceAll('\\', '/'))
    .writePot(output);
  return gettextParser.po.parse(readFileSync(output));
}

/**
 * The shortcode catalogue's words a merchant reads in a refusal (shortcodes/catalog.json: why a
 * shortcode would print nothing, what to use instead in a text it does not fit), looked up by
 * shortcodes/src/validate.ts with `__( hint )`: data, so no extractor finds them.
 */
function catalogStrings() {
  const catalog = JSON.parse(readFileSync(join(ROOT, 'shortcodes', 'catalog.json'), 'utf8'));
  const hints = new Set();
  for (const spec of catalog) {
    if (spec.needs?.why) hints.add(spec.needs.why);
    for (const hint of Object.values(spec.wrongContextHint ?? {})) hints.add(hint);
  }
  const comments = { reference: '../shortcodes/catalog.json', extracted: 'A shortcode catalogue hint, shown after "Line 1, column 5: …".' };
  return [...hints].map((msgid) => ({ msgid, msgstr: [''], comments }));
}

/** One template: the PHP's headers and strings, then each script string (a string in both keeps both references), then the catalogue's. */
export function buildPot() {
  const work = mkdtempSync(join(tmpdir(), 'comeback-pot-'));
  try {
    const pot = phpStrings(work);
    for (const [context, entries] of Object.entries(scriptStrings(work).translations)) {
      pot.translations[context] ??= {};
      for (const [msgid, entry] of Object.entries(entries)) {
        if (msgid === '') continue;
        const existing = pot.translations[context][msgid];
        if (!existing) {
          pot.translations[context][msgid] = entry;
          continue;
        }
        const references = [existing.comments?.reference, entry.comments?.reference].filter(Boolean).join('\n');
        existing.comments = { ...existing.comments, reference: references };
        if (entry.msgid_plural && !existing.msgid_plural) Object.assign(existing, { msgid_plural: entry.msgid_plural, msgstr: ['', ''] });
      }
    }
    for (const entry of catalogStrings()) pot.translations[''][entry.msgid] ??= entry;
    return gettextParser.po.compile(pot, { foldLength: 0 }).toString('utf8');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && relative(process.argv[1], import.meta.filename) === '') {
  writeFileSync(POT_PATH, buildPot());
  console.log(`wrote ${relative(ROOT, POT_PATH)}`);
}
