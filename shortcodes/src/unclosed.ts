import type { ShortcodeSpec } from './catalog.ts';
import { parseAttributes } from './attributes.ts';
import { Positions } from './parse.ts';

/** An opening "[" of a catalogue shortcode whose "]" is missing, at the "[" (1-based, code points). */
export interface UnclosedTag {
  name: string;
  line: number;
  column: number;
}

/**
 * Every "[name" of a catalogue shortcode the editor did not close. WordPress (and our parser, which
 * follows it) prints such a tag as it is written — "Hello [customer_first_name, welcome back" — or,
 * when a "]" comes later, takes everything up to it as the tag's attributes and swallows it:
 * "[order_items⏎Total: [order_total]" loses the total line. So a tag is unclosed when no "]"
 * follows its name, when another "[" comes before that "]", or when the tag runs over a line
 * break and holds words that are no attribute (a line of text taken into it). Names are matched
 * case-insensitively, as an unknown name's suggestion is.
 */
export function unclosedTags(source: string, catalog: readonly ShortcodeSpec[]): UnclosedTag[] {
  const names = new Set(catalog.map((s) => s.name));
  const positions = new Positions(source);
  const found: UnclosedTag[] = [];
  for (const m of source.matchAll(/\[([A-Za-z_][A-Za-z0-9_-]*)(?![A-Za-z0-9_-])/g)) {
    const name = m[1]!;
    if (!names.has(name.toLowerCase())) continue;
    const nameEnd = m.index + m[0].length;
    const close = source.indexOf(']', nameEnd);
    const attrText = close === -1 ? '' : source.slice(nameEnd, close);
    const unclosed = close === -1 || attrText.includes('[') || (/[\r\n]/.test(attrText) && parseAttributes(attrText).positional.length > 0);
    if (unclosed) found.push({ name, ...positions.of(m.index) });
  }
  return found;
}
