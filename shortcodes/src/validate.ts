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
  /** English, for the shop employee; not part of the shared contract (the PHP side may translate). */
  message: string;
  line: number;
  column: number;
  shortcode?: string;
}

const CONTEXT_LABEL: Record<TemplateContext, string> = {
  online: 'orders paid through an online gateway',
  offline: 'orders paid offline (bank transfer, cheque, cash on delivery…)',
  cart: 'abandoned carts (no order placed yet)',
  customer: 'a customer (win-back, loyalty, campaigns: no order or cart)',
  any: 'any order (paid online or by bank transfer)',
};

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
  const at = (p: { line: number; column: number }) => `${p.line}:${p.column}`;
  const unclosedAt = new Set(unclosed.map(at));
  for (const tag of unclosed) {
    const message = `Line ${tag.line}, column ${tag.column}: [${tag.name} is missing its closing ] — write [${tag.name}] so it is replaced, not printed as written or taking in the text after it.`;
    errors.push({ code: 'unclosed_shortcode', message, line: tag.line, column: tag.column, shortcode: tag.name });
  }
  for (const node of nodes) {
    if (node.type !== 'shortcode' || unclosedAt.has(at(node))) continue;
    const spec = byName.get(node.name);
    const err = (code: ValidationCode, message: string) =>
      errors.push({ code, message: `${where(node)}: ${message}`, line: node.line, column: node.column, shortcode: node.name });
    if (!spec) {
      err('unknown_shortcode', unknownMessage(node.name, catalog, shortcodesFor(textContext, catalog)));
      continue;
    }
    const tag = `[${spec.name}]`;
    if (!allowedIn(spec, context)) {
      const hint = hintFor(spec, context) ?? `${tag} only makes sense for ${spec.contexts.map((c) => CONTEXT_LABEL[c]).join(' or ')}.`;
      err('wrong_context', `${tag} cannot be used in a text for ${CONTEXT_LABEL[context]}. ${hint}`);
    } else if (spec.needs && facts && !facts.includes(spec.needs.fact)) {
      err('prints_nothing', spec.needs.why);
    }
    if (node.content !== undefined) {
      err('content_not_supported', `${tag} does not wrap text and needs no closing [/${spec.name}]; ${attrHint(spec)}`);
    }
    for (const value of node.positional) {
      err('positional_attribute', `${tag} got the value "${value}" without a name; ${attrHint(spec)}`);
    }
    const known = new Set(spec.attributes.map((a) => a.name));
    // Sorted so every implementation reports them in the same order whatever its map ordering.
    for (const name of Object.keys(node.attrs).sort()) {
      const value = node.attrs[name]!;
      if (!known.has(name)) err('unknown_attribute', `${tag} has no attribute "${name}"; ${attrHint(spec)}`);
      else if (value.endsWith('\\')) {
        // The compiled Handlebars string literal cannot end in a backslash; nobody needs one.
        err('invalid_attribute_value', `the ${name} of ${tag} must not end with a backslash (\\).`);
      }
    }
    for (const attr of spec.attributes) {
      if (attr.required && !(attr.name in node.attrs)) err('missing_attribute', `${tag} needs ${attr.name}="…".`);
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
  return wrong && spec.wrongContextHint?.[wrong];
}

function where(node: ShortcodeNode): string {
  return `Line ${node.line}, column ${node.column}`;
}

function attrHint(spec: ShortcodeSpec): string {
  if (spec.attributes.length === 0) return `it takes no attributes, write just [${spec.name}].`;
  const list = spec.attributes.map((a) => `${a.name}="…"`).join(', ');
  return `it takes ${list}, e.g. ${spec.example.match(/\[[^\]]*\]/)?.[0] ?? `[${spec.name}]`}.`;
}

/** The suggestion comes from the whole catalogue (what the editor meant); the list only names what prints in this text. */
function unknownMessage(name: string, catalog: readonly ShortcodeSpec[], fitting: readonly ShortcodeSpec[]): string {
  const suggestion = closest(
    name,
    catalog.map((s) => s.name),
  );
  const valid = fitting.map((s) => `[${s.name}]`).join(', ');
  return `unknown shortcode [${name}].${suggestion ? ` Did you mean [${suggestion}]?` : ''} Valid shortcodes: ${valid}.`;
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
