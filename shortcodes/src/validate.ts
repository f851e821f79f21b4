import { __, sprintf, __ as catalogueWords } from '@wordpress/i18n';
// catalogueWords: the catalogue's own words (catalog.json's hints, which scripts/make-pot.mjs extracts into
// comeback.pot), translated like any marked string; under another name, as no source literal marks them.
import { catalog as defaultCatalog, type MessageContext, type ShortcodeSpec, type TemplateContext, type TextContext } from './catalog.ts';
import { parse, type ShortcodeNode, type TemplateNode } from './parse.ts';
import { unclosedTags } from './unclosed.ts';

export type ValidationCode =
  | 'unknown_shortcode'
  | 'unknown_attribute'
  | 'missing_attribute'
  | 'positional_attribute'
  | 'invalid_attribute_value'
  | 'content_not_supported'
  | 'wrong_context'
  | 'unclosed_shortcode'
  | 'prints_nothing';

export interface ValidationError {
  code: ValidationCode;
  /** For the shop employee, in the language of the work in hand (@wordpress/i18n, domain `comeback`); not part of the shared contract, whose vectors compare the English. */
  message: string;
  line: number;
  column: number;
  shortcode?: string;
}

/** Who a text of the context is for, in the reader's language (translated when asked, not when the module loads). */
function contextLabel(context: TemplateContext): string {
  switch (context) {
    case 'online':
      return __('orders paid through an online gateway', 'comeback');
    case 'offline':
      return __('orders paid offline (bank transfer, cheque, cash on delivery…)', 'comeback');
    case 'cart':
      return __('abandoned carts (no order placed yet)', 'comeback');
    case 'customer':
      return __('a customer (win-back, loyalty, campaigns: no order or cart)', 'comeback');
    default:
      return __('any order (paid online or by bank transfer)', 'comeback');
  }
}

/** "a or b or c" in the reader's language. */
function either(choices: string[]): string {
  // translators: 1: one or more choices already joined, 2: one more choice.
  return choices.reduce((joined, next) => sprintf(__('%1$s or %2$s', 'comeback'), joined, next));
}

/**
 * Checks a template against the catalogue for one context. Errors come in document order; for one
 * shortcode: context (or, fitting the context, a fact the message will not know), content,
 * positional values, then attributes. Given the source, a catalogue tag left without its "]" is
 * an error at its "[" (it would print as written, or swallow the text up to a later "]"), in place
 * of that tag's other errors; parse() output alone cannot tell, so the send-time check of saved
 * texts passes nodes. Unclosed enclosing tags are not errors: WordPress treats them as self-closing.
 */
export function validate(
  template: string | TemplateNode[],
  textContext: TemplateContext | TextContext,
  catalog: readonly ShortcodeSpec[] = defaultCatalog,
): ValidationError[] {
  const { context, facts } = typeof textContext === 'string' ? { context: textContext, facts: undefined } : textContext;
  const nodes = typeof template === 'string' ? parse(template) : template;
  const byName = new Map(catalog.map((s) => [s.name, s]));
  const errors: ValidationError[] = [];
  const unclosed = typeof template === 'string' ? unclosedTags(template, catalog) : [];
  const position = (p: { line: number; column: number }) => `${p.line}:${p.column}`;
  const unclosedAt = new Set(unclosed.map(position));
  for (const tag of unclosed) {
    const message = at(
      tag,
      // translators: %s: a shortcode's name, as in [order_items (its "]" missing).
      sprintf(
        __(
          '[%1$s is missing its closing ] — write [%1$s] so it is replaced, not printed as written or taking in the text after it.',
          'comeback',
        ),
        tag.name,
      ),
    );
    errors.push({ code: 'unclosed_shortcode', message, line: tag.line, column: tag.column, shortcode: tag.name });
  }
  for (const node of nodes) {
    if (node.type !== 'shortcode' || unclosedAt.has(position(node))) continue;
    const spec = byName.get(node.name);
    const err = (code: ValidationCode, message: string) =>
      errors.push({ code, message: at(node, message), line: node.line, column: node.column, shortcode: node.name });
    if (!spec) {
      err('unknown_shortcode', unknownMessage(node.name, catalog, shortcodesFor(textContext, catalog)));
      continue;
    }
    const tag = `[${spec.name}]`;
    if (!allowedIn(spec, context)) {
      const hint =
        hintFor(spec, context) ??
        // translators: 1: a shortcode such as [payment_link], 2: who texts it fits are for, e.g. "orders paid through an online gateway".
        sprintf(__('%1$s only makes sense for %2$s.', 'comeback'), tag, either(spec.contexts.map(contextLabel)));
      // translators: 1: a shortcode such as [payment_link], 2: who the text is for, e.g. "abandoned carts (no order placed yet)", 3: what to use instead.
      err('wrong_context', sprintf(__('%1$s cannot be used in a text for %2$s. %3$s', 'comeback'), tag, contextLabel(context), hint));
    } else if (spec.needs && facts && !facts.includes(spec.needs.fact)) {
      // The catalogue's words, translated when the catalogue's template entries are (scripts/make-pot.mjs extracts them).
      err('prints_nothing', catalogueWords(spec.needs.why, 'comeback'));
    }
    if (node.content !== undefined) {
      // translators: 1: a shortcode such as [order_number], 2: its name without brackets, 3: what it takes ("it takes no attributes…").
      err(
        'content_not_supported',
        sprintf(__('%1$s does not wrap text and needs no closing [/%2$s]; %3$s', 'comeback'), tag, spec.name, attrHint(spec)),
      );
    }
    for (const value of node.positional) {
      // translators: 1: a shortcode such as [order_items], 2: the value written in it, 3: what it takes ("it takes format=\"…\", e.g. …").
      err('positional_attribute', sprintf(__('%1$s got the value "%2$s" without a name; %3$s', 'comeback'), tag, value, attrHint(spec)));
    }
    const known = new Set(spec.attributes.map((a) => a.name));
    // Sorted so every implementation reports them in the same order whatever its map ordering.
    for (const name of Object.keys(node.attrs).sort()) {
      const value = node.attrs[name]!;
      // translators: 1: a shortcode such as [order_items], 2: the attribute written in it, 3: what it takes.
      if (!known.has(name))
        err('unknown_attribute', sprintf(__('%1$s has no attribute "%2$s"; %3$s', 'comeback'), tag, name, attrHint(spec)));
      else if (value.endsWith('\\')) {
        // The compiled Handlebars string literal cannot end in a backslash; nobody needs one.
        // translators: 1: an attribute's name, 2: its shortcode such as [order_items].
        err('invalid_attribute_value', sprintf(__('the %1$s of %2$s must not end with a backslash (\\).', 'comeback'), name, tag));
      }
    }
    for (const attr of spec.attributes) {
      // translators: 1: a shortcode such as [order_items], 2: the attribute it needs.
      if (attr.required && !(attr.name in node.attrs))
        err('missing_attribute', sprintf(__('%1$s needs %2$s="…".', 'comeback'), tag, attr.name));
    }
  }
  // Unclosed tags were found apart from the nodes: into document order (a node's errors share its position and keep their order).
  return unclosed.length ? errors.sort((a, b) => a.line - b.line || a.column - b.column) : errors;
}

/** The shortcodes that print something in a text of this context (the editor's palette, the list in an unknown name's error). */
export function shortcodesFor(
  textContext: TemplateContext | TextContext,
  catalog: readonly ShortcodeSpec[] = defaultCatalog,
): ShortcodeSpec[] {
  const { context, facts } = typeof textContext === 'string' ? { context: textContext, facts: undefined } : textContext;
  return catalog.filter((s) => allowedIn(s, context) && !(s.needs && facts && !facts.includes(s.needs.fact)));
}

function allowedIn(spec: ShortcodeSpec, context: TemplateContext): boolean {
  return context === 'any' ? spec.contexts.includes('online') && spec.contexts.includes('offline') : spec.contexts.includes(context);
}

/** The catalogue's hint for this context; a text for "any" order takes the hint of the order context the shortcode lacks. */
function hintFor(spec: ShortcodeSpec, context: TemplateContext): string | undefined {
  const wrong: MessageContext | undefined =
    context === 'any' ? (['online', 'offline'] as const).find((c) => !spec.contexts.includes(c)) : context;
  const hint = wrong && spec.wrongContextHint?.[wrong];
  return hint ? catalogueWords(hint, 'comeback') : undefined;
}

/** A problem at its place in the text: "Line 2, column 3: …". */
function at(place: Pick<ShortcodeNode, 'line' | 'column'>, problem: string): string {
  // translators: 1: line number, 2: column number, 3: the problem there.
  return sprintf(__('Line %1$d, column %2$d: %3$s', 'comeback'), place.line, place.column, problem);
}

function attrHint(spec: ShortcodeSpec): string {
  // translators: %s: a shortcode's name.
  if (spec.attributes.length === 0) return sprintf(__('it takes no attributes, write just [%s].', 'comeback'), spec.name);
  const list = spec.attributes.map((a) => `${a.name}="…"`).join(', ');
  // translators: 1: its attributes, e.g. format="…", 2: an example such as [order_date format="j F Y"].
  return sprintf(__('it takes %1$s, e.g. %2$s.', 'comeback'), list, spec.example.match(/\[[^\]]*\]/)?.[0] ?? `[${spec.name}]`);
}

/** The suggestion comes from the whole catalogue (what the editor meant); the list only names what prints in this text. */
function unknownMessage(name: string, catalog: readonly ShortcodeSpec[], fitting: readonly ShortcodeSpec[]): string {
  const suggestion = closest(
    name,
    catalog.map((s) => s.name),
  );
  const valid = fitting.map((s) => `[${s.name}]`).join(', ');
  // translators: %s: the unknown name as written.
  const unknown = sprintf(__('unknown shortcode [%s].', 'comeback'), name);
  // translators: %s: the catalogue's shortcode most like it.
  const meant = suggestion ? ` ${sprintf(__('Did you mean [%s]?', 'comeback'), suggestion)}` : '';
  // translators: %s: the shortcodes that fit the text, e.g. "[order_number], [order_total]".
  return `${unknown}${meant} ${sprintf(__('Valid shortcodes: %s.', 'comeback'), valid)}`;
}

/** The catalogue name a typo most likely meant: same name in other case, or within 2 edits. */
function closest(name: string, names: string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of names) {
    const d = candidate === lower ? 0 : editDistance(lower, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length]!;
}
