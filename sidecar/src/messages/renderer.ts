import type { RenderContext } from './render-context.ts';
import type { CompiledMessage } from './template-compiler.ts';

export type RenderedMessage = { subject: string; html: string; text: string };

/**
 * Renders one compiled template for one recipient: only Handlebars runs here (MJML ran once at
 * compile time). Pure apart from Intl formatter caching. Throws RenderError when the order lacks
 * data a shortcode needs (no payment link, no bank account).
 */
export function render(compiled: CompiledMessage, context: RenderContext): RenderedMessage {
  return {
    // A subject is one header line: shortcodes like [order_items] produce several lines, fold them.
    subject: compiled
      .subject(context, { data: { mode: 'text' } })
      .replace(/\s+/g, ' ')
      .trim(),
    html: compiled.html(context, { data: { mode: 'html' } }),
    text: compiled.text(context, { data: { mode: 'text' } }).trimEnd() + '\n',
  };
}
