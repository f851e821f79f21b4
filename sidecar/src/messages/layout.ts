/**
 * The email around the editor's body. Kept apart from the compiler so the look can change without
 * touching the caching/compilation logic. Both layouts are Handlebars source; HTML data fields use
 * double mustaches (escaped), and links go through the sc_ helpers, which check and escape them.
 */

import { __ } from '@wordpress/i18n';
import { defaultEmailLook, type EmailLook } from './shop-email.ts';

const BODY = '<!--comeback-body-->';

/**
 * The layout in the shop's look (WooCommerce's email colours and header image, validated as #hex
 * and an http(s) URL by shop-email.ts; the URL is HTML-escaped here), today's look by default.
 */
const mjmlLayout = (look: EmailLook, language: EmailLanguage) => `<mjml lang="${language.tag}" dir="${language.rtl ? 'rtl' : 'ltr'}">
  <mj-head>
    <mj-title>{{shop.name}}</mj-title>
    <mj-attributes>
      <mj-all font-family="Helvetica, Roboto, Arial, sans-serif" />
      <mj-text font-size="14px" line-height="1.6" color="${look.textColor}" align="${language.rtl ? 'right' : 'left'}" />
    </mj-attributes>
  </mj-head>
  <mj-body background-color="${look.backgroundColor}" width="600px">${headerImage(look)}
    <mj-section padding="24px 0 0 0">
      <mj-column background-color="${look.baseColor}" padding="20px 0">
        <mj-text font-size="26px" font-weight="300" color="${look.headerTextColor}" line-height="1.2">{{shop.name}}</mj-text>
      </mj-column>
    </mj-section>
    <mj-section padding="0">
      <mj-column background-color="${look.bodyBackgroundColor}" padding="24px 0">
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

/** WooCommerce shows the header image above the heading, centred, with the shop's name as its alt text. */
function headerImage(look: EmailLook): string {
  if (!look.headerImage) return '';
  return `
    <mj-section padding="24px 0 0 0">
      <mj-column>
        <mj-image src="${escapeAttribute(look.headerImage)}" alt="{{shop.name}}" align="center" width="300px" padding="0" />
      </mj-column>
    </mj-section>`;
}

function escapeAttribute(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[{}]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The language an email's text is written in: its BCP 47 tag (`pl-PL`) and whether it runs right
 * to left. MJML puts both on <html> and on the body's article, and right-to-left text is aligned right.
 */
export type EmailLanguage = { tag: string; rtl: boolean };
const UNDETERMINED: EmailLanguage = { tag: 'und', rtl: false };

/** The MJML document with the (already HTML-escaped) compiled body in the content block, in the shop's look and the text's language. */
export function mjmlDocument(htmlBody: string, look: EmailLook = defaultEmailLook, language: EmailLanguage = UNDETERMINED): string {
  return mjmlLayout(look, language).replace(BODY, () => htmlBody);
}

/**
 * Plain-text part: body plus an unsubscribe line. The "\n\n" after the body also keeps a body that
 * ends in a backslash from escaping the {{#if}} that follows (Handlebars reads \{{ as literal).
 * The renderer trims the trailing whitespace left when there is no unsubscribe link.
 */
export function textDocument(textBody: string): string {
  // Compiled once per language (the compiler runs inside the text's inLocale): the word in that language.
  // A translation is plain text here: nothing in it may read as Handlebars.
  const unsubscribe = __('Unsubscribe', 'comeback').replace(/[{}\\]/g, '');
  return `${textBody}\n\n{{#if links.unsubscribe}}-- \n${unsubscribe}: {{{sc_unsubscribe_link}}}{{/if}}`;
}
