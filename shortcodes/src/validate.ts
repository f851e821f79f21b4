import { catalog as defaultCatalog, type MessageContext, type ShortcodeSpec, type TemplateContext } from './catalog.ts';
import { parse, type ShortcodeNode, type TemplateNode } from './parse.ts';

export type ValidationCode =
  | 'unknown_shortcode'
  | 'unknown_attribute'
  | 'missing_attribute'
  | 'positional_attribute'
  | 'invalid_attribute_value'
  | 'content_not_supported'
  | 'wrong_context';

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
 * Checks a template (source or parse() output) against the catalogue for one context. Errors come
 * in document order; for one shortcode: context, content, positional values, then attributes.
 * Unclosed enclosing tags are not errors: WordPress treats them as self-closing.
 */
export function validate(
  template: string | TemplateNode[],
  context: TemplateContext,
  catalog: readonly ShortcodeSpec[] = defaultCatalog,
): ValidationError[] {
  const nodes = typeof template === 'string' ? parse(template) : template;
  const byName = new Map(catalog.map((s) => [s.name, s]));
  const errors: ValidationError[] = [];
  for (const node of nodes) {
    if (node.type !== 'shortcode') continue;
    const spec = byName.get(node.name);
    const err = (code: ValidationCode, message: string) =>
      errors.push({ code, message: `${where(node)}: ${message}`, line: node.line, column: node.column, shortcode: node.name });
    if (!spec) {
      err('unknown_shortcode', unknownMessage(node.name, catalog));
      continue;
    }
    const tag = `[${spec.name}]`;
    if (!allowedIn(spec, context)) {
      const hint = hintFor(spec, context) ?? `${tag} only makes sense for ${spec.contexts.map((c) => CONTEXT_LABEL[c]).join(' or ')}.`;
      err('wrong_context', `${tag} cannot be used in a text for ${CONTEXT_LABEL[context]}. ${hint}`);
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
  return errors;
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

function unknownMessage(name: string, catalog: readonly ShortcodeSpec[]): string {
  const suggestion = closest(
    name,
    catalog.map((s) => s.name),
  );
  const valid = catalog.map((s) => `[${s.name}]`).join(', ');
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
