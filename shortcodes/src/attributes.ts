/**
 * Attribute parsing with the semantics of WordPress's shortcode_parse_atts(), so a template means
 * the same thing here and in the PHP plugin. Written from the documented behaviour, not copied.
 */

export interface ParsedAttributes {
  /** Named attributes; names are lower-cased and a repeated name keeps its last value (as in PHP). */
  attrs: Record<string, string>;
  /** Values without a name, e.g. [order_date "j F Y"], in order. */
  positional: string[];
}

// PCRE without the u flag: \s and \w are ASCII-only, so spell the classes out instead of using
// JS's Unicode-aware \s. Alternatives in WordPress's order: name="v", name='v', name=v, "v", 'v', v.
const WS = ' \\t\\n\\v\\f\\r';
const ATTRIBUTE = new RegExp(
  [
    `([\\w-]+)[${WS}]*=[${WS}]*"([^"]*)"(?:[${WS}]|$)`,
    `([\\w-]+)[${WS}]*=[${WS}]*'([^']*)'(?:[${WS}]|$)`,
    `([\\w-]+)[${WS}]*=[${WS}]*([^${WS}'"]+)(?:[${WS}]|$)`,
    `"([^"]*)"(?:[${WS}]|$)`,
    `'([^']*)'(?:[${WS}]|$)`,
    `([^${WS}]+)(?:[${WS}]|$)`,
  ].join('|'),
  'g',
);

// A value with "<" must be made of whole tags; otherwise WordPress blanks it (an unclosed tag in an
// attribute could break the surrounding HTML).
const BALANCED_TAGS = /^[^<]*(?:<[^>]*>[^<]*)*$/;

export function parseAttributes(text: string): ParsedAttributes {
  const attrs: Record<string, string> = {};
  const positional: string[] = [];
  // WordPress turns no-break and zero-width spaces into plain spaces first (editors insert them).
  const normalised = text.replace(/[\u00a0\u200b]+/g, ' ');
  for (const m of normalised.matchAll(ATTRIBUTE)) {
    const name = m[1] ?? m[3] ?? m[5];
    if (name !== undefined) {
      // PHP tests the name with empty(), which is true for "0": such an attribute is dropped.
      if (name !== '0') attrs[name.toLowerCase()] = clean(stripCSlashes(m[2] ?? m[4] ?? m[6] ?? ''));
    } else {
      // An empty quoted positional value ("" or '') is dropped, as in PHP.
      const value = m[7] || m[8] || m[9];
      if (value) positional.push(clean(stripCSlashes(value)));
    }
  }
  return { attrs, positional };
}

function clean(value: string): string {
  return value.includes('<') && !BALANCED_TAGS.test(value) ? '' : value;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  r: '\r',
  a: '\x07',
  t: '\t',
  v: '\v',
  b: '\b',
  f: '\f',
  '\\': '\\',
};

/**
 * PHP's stripcslashes(): C-style escapes (\n, \t, \x41, \101, ...); any other escaped character
 * stands for itself and a lone trailing backslash is kept. PHP works on bytes, so \xHH and octal
 * escapes above 0x7f give a raw byte there and a Latin-1 character here: vectors avoid them.
 */
export function stripCSlashes(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const n = s[++i]!;
    const simple = SIMPLE_ESCAPES[n];
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    if (n === 'x') {
      const hex = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 1, i + 3));
      if (hex) {
        out += String.fromCharCode(parseInt(hex[0], 16));
        i += hex[0].length;
        continue;
      }
    }
    const oct = /^[0-7]{1,3}/.exec(s.slice(i, i + 3));
    if (oct) {
      out += String.fromCharCode(parseInt(oct[0], 8) & 0xff);
      i += oct[0].length - 1;
    } else {
      out += n;
    }
  }
  return out;
}
