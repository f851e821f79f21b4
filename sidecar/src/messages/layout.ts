/**
 * The email around the editor's body. Kept apart from the compiler so the look can change without
 * touching the caching/compilation logic. Both layouts are Handlebars source; HTML data fields use
 * double mustaches (escaped), and links go through the sc_ helpers, which check and escape them.
 */

const BODY = '<!--comeback-body-->';

const MJML_LAYOUT = `<mjml>
  <mj-head>
    <mj-title>{{shop.name}}</mj-title>
    <mj-attributes>
      <mj-all font-family="Helvetica, Roboto, Arial, sans-serif" />
      <mj-text font-size="14px" line-height="1.6" color="#3c3c3c" />
    </mj-attributes>
  </mj-head>
  <mj-body background-color="#f7f7f7" width="600px">
    <mj-section padding="24px 0 0 0">
      <mj-column background-color="#7f54b3" padding="20px 0">
        <mj-text font-size="26px" font-weight="300" color="#ffffff" line-height="1.2">{{shop.name}}</mj-text>
      </mj-column>
    </mj-section>
    <mj-section padding="0">
      <mj-column background-color="#ffffff" padding="24px 0">
        <mj-text>${BODY}</mj-text>
      </mj-column>
    </mj-section>
    <mj-section padding="12px 0 24px 0">
      <mj-column>
        <mj-text align="center" font-size="12px" color="#8a8a8a" line-height="1.5">{{shop.company.name}}{{#each shop.company.address}} · {{this}}{{/each}}{{#if links.unsubscribe}}<br />{{{sc_unsubscribe_link}}}{{/if}}</mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;

/** The MJML document with the (already HTML-escaped) compiled body in the content block. */
export function mjmlDocument(htmlBody: string): string {
  return MJML_LAYOUT.replace(BODY, () => htmlBody);
}

/**
 * Plain-text part: body plus an unsubscribe line. The "\n\n" after the body also keeps a body that
 * ends in a backslash from escaping the {{#if}} that follows (Handlebars reads \{{ as literal).
 * The renderer trims the trailing whitespace left when there is no unsubscribe link.
 */
export function textDocument(textBody: string): string {
  return `${textBody}\n\n{{#if links.unsubscribe}}-- \nUnsubscribe: {{{sc_unsubscribe_link}}}{{/if}}`;
}
