import { randomBytes } from 'node:crypto';

/**
 * One Handlebars mustache as the shortcodes compiler and our layouts write them: {{…}} or {{{…}}},
 * where string literals ("…" with \" escapes, as Handlebars' lexer reads them) may contain braces,
 * quotes, "<" or "</mj-text>" typed by the editor in an attribute value.
 */
const MUSTACHE = /\{\{\{?(?:"(?:\\"|[^"])*"|[^"}])*\}\}\}?/g;

/**
 * MJML parses and rewrites its input (attribute quoting, entity handling, whitespace); an editor's
 * attribute value such as text="</mj-text>" would even break out of the content block. So every
 * mustache is swapped for an inert alphanumeric token before MJML and swapped back after. The
 * token carries a random nonce so editor text cannot forge one, and restore() insists on each
 * token surviving (MJML may legitimately copy one, e.g. mj-title also becomes the body's aria-label).
 */
export function guardMustaches(source: string): { guarded: string; restore: (output: string) => string } {
  const nonce = randomBytes(6).toString('hex');
  const saved: string[] = [];
  const guarded = source.replace(MUSTACHE, (m) => `cbhb${nonce}n${saved.push(m) - 1}x`);
  const token = new RegExp(`cbhb${nonce}n(\\d+)x`, 'g');
  const restore = (output: string) => {
    const seen = new Array<number>(saved.length).fill(0);
    const restored = output.replace(token, (_, i: string) => {
      seen[Number(i)]!++;
      return saved[Number(i)]!;
    });
    const lost = seen.indexOf(0);
    if (lost !== -1) throw new Error(`MJML lost or changed the Handlebars expression ${saved[lost]}`);
    return restored;
  };
  return { guarded, restore };
}
