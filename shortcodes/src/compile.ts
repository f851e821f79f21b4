import { catalog as defaultCatalog, helperName, type ShortcodeSpec, type TemplateContext } from './catalog.ts';
import { parse, type ShortcodeNode, type TemplateNode } from './parse.ts';
import { validate, type ValidationError } from './validate.ts';

export class TemplateValidationError extends Error {
  constructor(readonly errors: ValidationError[]) {
    super(`template has ${errors.length} shortcode error(s): ${errors.map((e) => e.message).join(' | ')}`);
    this.name = 'TemplateValidationError';
  }
}

export interface CompiledTemplate {
  /** Handlebars source; compile it with the sc_* helpers registered. */
  template: string;
  /** The helpers this template calls, each once, in first-use order. */
  helpers: string[];
}

/**
 * Turns a template into Handlebars source. Validates first and throws TemplateValidationError
 * when the template has errors, so nothing unchecked ever reaches the sender.
 *
 * Each shortcode becomes {{{sc_name attr="value"}}}: triple braces because the helpers produce
 * markup (links, tables) and are responsible for escaping what they insert. Helpers get only the
 * attributes the editor wrote; they apply the catalogue defaults (so those can be translated).
 */
export function compile(source: string, context: TemplateContext, catalog: readonly ShortcodeSpec[] = defaultCatalog): CompiledTemplate {
  const nodes = parse(source);
  const errors = validate(nodes, context, catalog);
  if (errors.length > 0) throw new TemplateValidationError(errors);
  return compileNodes(nodes);
}

/** Compiles already-validated nodes; exported for callers that validated them themselves. */
export function compileNodes(nodes: TemplateNode[]): CompiledTemplate {
  const helpers = new Set<string>();
  const parts: string[] = [];
  for (const node of nodes) {
    if (node.type === 'text') {
      parts.push(...textParts(node.value));
    } else {
      helpers.add(helperName(node.name));
      parts.push(helperCall(node));
    }
  }
  // A run of backslashes right before "{{" changes its meaning in Handlebars: "\{{" makes the
  // mustache literal, and "\\{{" prints one backslash fewer. One extra backslash before any of our
  // mustaches makes Handlebars print exactly the backslashes the editor typed.
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const next = parts[i + 1];
    const beforeMustache = next !== undefined && next.startsWith('{{') && !part.startsWith('{{');
    out += beforeMustache && part.endsWith('\\') ? `${part}\\` : part;
  }
  return { template: out, helpers: [...helpers] };
}

/**
 * Literal text, split so that Handlebars cannot read any of it as syntax. Braces are the only
 * characters it interprets in text ("{{" opens a mustache; a "{" or "}" next to one of our
 * mustaches makes "{{{{" or "}}}}", the raw-block delimiters; NUL stops its lexer), so each of
 * them is printed by the built-in lookup helper reading it out of a string literal:
 * {{lookup "{" 0}} is "{"[0]. Everything else, HTML included, passes through untouched.
 */
function textParts(value: string): string[] {
  const parts: string[] = [];
  let run = '';
  for (const ch of value) {
    if (ch === '{' || ch === '}' || ch === '\0') {
      if (run) parts.push(run);
      run = '';
      parts.push(`{{lookup "${ch}" 0}}`);
    } else {
      run += ch;
    }
  }
  if (run) parts.push(run);
  return parts;
}

/**
 * {{{sc_name a="v" b="w"}}}. In a Handlebars string literal only \" is an escape (it becomes "),
 * so escaping " as \" is enough; a backslash before a quote is covered because Handlebars reads
 * \\" as a backslash followed by an escaped quote. A value may not end in a backslash (it would
 * escape the closing quote): the validator rejects that. Attribute names come from the catalogue.
 */
function helperCall(node: ShortcodeNode): string {
  const hash = Object.entries(node.attrs)
    .map(([name, value]) => ` ${name}="${value.replaceAll('"', '\\"')}"`)
    .join('');
  return `{{{${helperName(node.name)}${hash}}}}`;
}
