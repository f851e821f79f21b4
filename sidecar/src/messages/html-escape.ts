const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for HTML element content and quoted attributes. Helpers are called from triple
 * mustaches (no Handlebars escaping), so every value they insert goes through here. Braces need no
 * escaping: the rendered output is never fed back to Handlebars. Unlike Handlebars we leave "=" and
 * "`" alone (we always quote attributes), so URLs stay readable in the HTML source.
 */
export function escapeHtml(value: string | number | null | undefined): string {
  return String(value ?? '').replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);
}

/** Editor-written plain text → HTML: escaped, line breaks kept. */
export function textToHtml(value: string): string {
  return escapeHtml(value.replace(/\r\n?/g, '\n')).replaceAll('\n', '<br />\n');
}
