import Handlebars from 'handlebars';
import mjml2html from 'mjml';
import { compileNodes, parse, validate, type TemplateContext, type TemplateNode } from '@comeback/shortcodes';
import { TemplateError, type FieldValidationError, type TemplateField } from './errors.ts';
import { knownHelpers, LINK_STYLE, registerHelpers } from './helpers.ts';
import { textToHtml } from './html-escape.ts';
import { mjmlDocument, textDocument, type EmailLanguage } from './layout.ts';
import { guardMustaches } from './mustache-guard.ts';
import { defaultEmailLook, lookKey, type EmailLook } from './shop-email.ts';
import type { RenderContext, RenderMode } from './render-context.ts';
import { sampleCartContext, sampleContext } from './sample-context.ts';

/** Our own instance: helpers registered here never leak into (or get overridden by) other code. */
const hb = Handlebars.create();
registerHelpers(hb);

export type TemplateInput = {
  id: string | number;
  version: string | number;
  subject: string;
  body: string;
  context: TemplateContext;
  /** The shop's email look (WooCommerce's colours and header image); today's look when absent. */
  look?: EmailLook;
  /** The language of the text (lang and dir of the HTML); undetermined when absent. */
  language?: EmailLanguage;
};

type Delegate = Handlebars.TemplateDelegate<RenderContext>;

export type CompiledMessage = {
  readonly key: string;
  readonly context: TemplateContext;
  readonly subject: Delegate;
  readonly html: Delegate;
  readonly text: Delegate;
  /** The Handlebars sources, for debugging and tests. */
  readonly sources: { readonly subject: string; readonly html: string; readonly text: string };
};

// knownHelpersOnly: the compiled sources only call our helpers and the built-ins below, and
// Handlebars can then emit direct calls instead of dynamic lookups.
const HB_OPTIONS = { knownHelpers: { ...knownHelpers, lookup: true, if: true, each: true }, knownHelpersOnly: true, strict: false };

/** Bounded LRU (Map keeps insertion order; a hit re-inserts). Entries hold the promise so concurrent callers share one compile. */
const MAX_ENTRIES = 500;
const cache = new Map<string, { subject: string; body: string; compiled: Promise<CompiledMessage> }>();
let mjmlRunCount = 0;

/** How many times MJML has run since start (or the last clearTemplateCache); for tests and metrics. */
export function mjmlRuns(): number {
  return mjmlRunCount;
}

export function clearTemplateCache(): void {
  cache.clear();
  mjmlRunCount = 0;
}

/**
 * Validates and compiles one template version, cached by id:version:context:look:language (MJML
 * bakes the shop's colours and the text's lang and dir into the HTML, so each is its own compile). Throws TemplateError
 * (every shortcode error in subject and body, with field/line/column) for an invalid template.
 * A cached entry is reused only if subject and body are unchanged, so a caller that forgets to
 * bump the version gets a recompile rather than a stale text.
 */
export function compileTemplate(input: TemplateInput): Promise<CompiledMessage> {
  const language = input.language ? `${input.language.tag}${input.language.rtl ? ':rtl' : ''}` : 'und';
  const key = `${input.id}:${input.version}:${input.context}:${lookKey(input.look ?? defaultEmailLook)}:${language}`;
  const hit = cache.get(key);
  if (hit && hit.subject === input.subject && hit.body === input.body) {
    cache.delete(key);
    cache.set(key, hit);
    return hit.compiled;
  }
  const compiled = build(key, input);
  const entry = { subject: input.subject, body: input.body, compiled };
  cache.delete(key);
  cache.set(key, entry);
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  // A failed compile must not be served from the cache forever.
  compiled.catch(() => {
    if (cache.get(key) === entry) cache.delete(key);
  });
  return compiled;
}

async function build(key: string, input: TemplateInput): Promise<CompiledMessage> {
  const errors: FieldValidationError[] = [];
  const subjectNodes = check('subject', input.subject, input.context, errors);
  const bodyNodes = check('body', input.body, input.context, errors);
  if (errors.length > 0) throw new TemplateError(errors);

  const subjectSource = compileNodes(subjectNodes).template;
  const textSource = textDocument(compileNodes(bodyNodes).template);
  // In HTML the editor's text is plain text: escape it and keep its line breaks. Shortcodes stay.
  const htmlNodes = bodyNodes.map((n): TemplateNode => (n.type === 'text' ? { type: 'text', value: textToHtml(n.value) } : n));
  const htmlSource = await mjmlToHandlebars(mjmlDocument(compileNodes(htmlNodes).template, input.look, input.language));

  const compiled: CompiledMessage = {
    key,
    context: input.context,
    subject: hb.compile<RenderContext>(subjectSource, { ...HB_OPTIONS, noEscape: true }),
    html: inLinkColour(hb.compile<RenderContext>(htmlSource, HB_OPTIONS), input.look ?? defaultEmailLook),
    text: hb.compile<RenderContext>(textSource, { ...HB_OPTIONS, noEscape: true }),
    sources: { subject: subjectSource, html: htmlSource, text: textSource },
  };
  warm(compiled);
  return compiled;
}

/** Links in the shop's link colour, as WooCommerce's own emails show them (see emailLook()). */
function inLinkColour(html: Delegate, look: EmailLook): Delegate {
  if (look.linkColor === defaultEmailLook.linkColor) return html;
  const style = `style="color:${look.linkColor};font-weight:bold;"`;
  return (context, options) => html(context, options).replaceAll(LINK_STYLE, style);
}

function check(field: TemplateField, source: string, context: TemplateContext, errors: FieldValidationError[]): TemplateNode[] {
  const nodes = parse(source);
  for (const e of validate(nodes, context)) errors.push({ ...e, field });
  return nodes;
}

async function mjmlToHandlebars(mjml: string): Promise<string> {
  const { guarded, restore } = guardMustaches(mjml);
  mjmlRunCount++;
  // fonts: {} keeps Google Fonts links (a third-party request per opened email) out of the HTML.
  const result = await mjml2html(guarded, { validationLevel: 'strict', fonts: {}, keepComments: false });
  if (result.errors.length > 0) throw new Error(`MJML layout error: ${result.errors.map((e) => e.formattedMessage).join('; ')}`);
  return restore(result.html);
}

/**
 * Handlebars compiles lazily on the first call; rendering the sample order (or cart) once makes
 * that happen here (and surfaces any bug in the generated source at compile time, not per recipient).
 */
function warm(compiled: CompiledMessage): void {
  const ctx = compiled.context === 'cart' ? sampleCartContext() : sampleContext();
  const run = (t: Delegate, mode: RenderMode) => t(ctx, { data: { mode } });
  run(compiled.subject, 'text');
  run(compiled.html, 'html');
  run(compiled.text, 'text');
}

/**
 * The shortcodes of one piece of editor text replaced by their output, the text around them left
 * exactly as written: what WordPress's do_shortcode() does with the plugin's shortcodes, and so
 * what the shared render vectors compare (messages wrap this in their layout). Throws TemplateError
 * for text that does not validate in `context`.
 */
export function renderShortcodes(source: string, context: TemplateContext, data: RenderContext, mode: RenderMode): string {
  const key = `${context}\u0000${source}`;
  let delegate = shortcodeDelegates.get(key);
  if (!delegate) {
    const errors: FieldValidationError[] = [];
    const nodes = check('body', source, context, errors);
    if (errors.length > 0) throw new TemplateError(errors);
    delegate = hb.compile<RenderContext>(compileNodes(nodes).template, { ...HB_OPTIONS, noEscape: true });
    // A short text (an SMS, a WhatsApp parameter) is rendered for every recipient: compile it once.
    if (shortcodeDelegates.size >= 1_000) shortcodeDelegates.delete(shortcodeDelegates.keys().next().value!);
    shortcodeDelegates.set(key, delegate);
  }
  return delegate(data, { data: { mode } });
}

const shortcodeDelegates = new Map<string, Delegate>();
