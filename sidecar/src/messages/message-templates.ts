import { __ } from '@wordpress/i18n';
import { z } from 'zod';

/**
 * A message's texts per channel, as the merchant writes them (shortcodes inside). A flow step
 * holds one of each for the channels it sends by; the message builder renders them.
 */
const body = z.string().min(1).max(20_000);

/** A WooCommerce payment gateway id (`bacs`, `cheque`, `cod`, a plugin's own). */
export const gatewayIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: () => __('a WooCommerce payment gateway id such as bacs or cheque', 'comeback') });

/**
 * `offlineBody`: the text for orders paid by an offline method (no payment link); `offlineBodies`:
 * a gateway's own text by its id (bank details for `bacs`, who to make a cheque payable to for
 * `cheque`), preferred over `offlineBody` for that gateway's orders.
 */
export const emailTemplateSchema = z.object({
  subject: z.string().min(1).max(300),
  body,
  offlineBody: body.optional(),
  offlineBodies: z.record(gatewayIdSchema, body).optional(),
});
export type EmailTemplate = z.infer<typeof emailTemplateSchema>;
export const textTemplateSchema = z.object({ body: z.string().min(1).max(1_600), offlineBody: z.string().min(1).max(1_600).optional() });

/**
 * Outside WhatsApp's 24-hour window only a template Meta approved may go: its name, language and
 * one shortcode template per {{n}} parameter of its body. Inside the window the free text goes.
 */
export const whatsAppTemplateSchema = z.object({
  name: z
    .string()
    .regex(/^[a-z0-9_]{1,512}$/, { error: () => __('lower-case letters, digits and underscores, as in WhatsApp Manager', 'comeback') }),
  language: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, { error: () => __('a WhatsApp language code such as en_US or pl', 'comeback') }),
  parameters: z.array(z.string().min(1).max(1_024)).max(10),
});
export const whatsAppStepSchema = z.object({
  template: whatsAppTemplateSchema,
  text: textTemplateSchema,
});

/** A WordPress locale, as get_locale() names it: `pl_PL`, `de_DE_formal`, `pt_BR`, `fi`. */
export const localeSchema = z
  .string()
  .regex(/^[a-z]{2,3}(_[A-Z]{2})?(_[a-z0-9]+)?$/, { error: () => __('a WordPress locale such as pl_PL or de_DE', 'comeback') });

/**
 * A step's texts in one more language, keyed by WordPress locale: any channel may be given, and a
 * channel not given (or a WhatsApp template not given) falls back to the step's default text. A
 * WhatsApp translation names the template approved in that language (its own name, language code
 * and parameters); without one the default template goes, and the message records the fallback.
 */
export const textTranslationSchema = z.object({
  email: emailTemplateSchema.optional(),
  sms: textTemplateSchema.optional(),
  whatsapp: z.object({ template: whatsAppTemplateSchema.optional(), text: textTemplateSchema.optional() }).optional(),
});
export type TextTranslation = z.infer<typeof textTranslationSchema>;
export const MAX_TRANSLATIONS = 30;
export const translationsSchema = z
  .record(localeSchema, textTranslationSchema)
  .refine((t) => Object.keys(t).length <= MAX_TRANSLATIONS, `at most ${MAX_TRANSLATIONS} languages`);
export type Translations = z.infer<typeof translationsSchema>;

/**
 * Where a message's language came from, in the order they are tried: the order's own (the
 * multilingual plugin that placed it), the customer's WordPress user locale, their profile's
 * language (loyalty events), the cart's, the shop's locale; `test` for a test send's chosen one.
 */
export const LANGUAGE_SOURCES = ['order', 'user', 'profile', 'cart', 'shop', 'test'] as const;
/** The customer's language for one message: a WordPress locale and what decided it. */
export type MessageLanguage = { locale: string; source: (typeof LANGUAGE_SOURCES)[number] };

/** Which of a text's bodies an order gets: how its gateway is classed, and the gateway's id. */
export type PaymentOf = { gateway: 'online' | 'offline'; method: string };

/**
 * The body for an order: its gateway's own text, else the generic offline text for an offline
 * gateway, else the online text. Subjects that are not an unpaid order (null) get the main body.
 */
export function bodyFor(
  text: { body: string; offlineBody?: string; offlineBodies?: Record<string, string> },
  payment: PaymentOf | null,
): string {
  if (payment?.gateway !== 'offline') return text.body;
  return text.offlineBodies?.[payment.method] ?? text.offlineBody ?? text.body;
}

/** Which body bodyFor() picks, as a short key (compiled templates are cached per body). */
export function bodyKeyOf(text: { offlineBody?: string; offlineBodies?: Record<string, string> }, payment: PaymentOf | null): string {
  if (payment?.gateway !== 'offline') return 'body';
  if (text.offlineBodies?.[payment.method] !== undefined) return `gateway.${payment.method}`;
  return text.offlineBody !== undefined ? 'offline' : 'body';
}

/** The texts of one message, one per channel it may go by. */
export type MessageTemplates = {
  email?: z.infer<typeof emailTemplateSchema>;
  sms?: z.infer<typeof textTemplateSchema>;
  whatsapp?: z.infer<typeof whatsAppStepSchema>;
  /** The same texts in other languages, by WordPress locale (a missing one: the default above). */
  translations?: Translations;
};
