import { z } from 'zod';

/**
 * A message's texts per channel, as the merchant writes them (shortcodes inside). A flow step
 * holds one of each for the channels it sends by; the message builder renders them.
 */
const body = z.string().min(1).max(20_000);

/** `offlineBody`: the text for orders paid by an offline method (bank transfer details instead of a payment link). */
export const emailTemplateSchema = z.object({ subject: z.string().min(1).max(300), body, offlineBody: body.optional() });
export const textTemplateSchema = z.object({ body: z.string().min(1).max(1_600), offlineBody: z.string().min(1).max(1_600).optional() });

/**
 * Outside WhatsApp's 24-hour window only a template Meta approved may go: its name, language and
 * one shortcode template per {{n}} parameter of its body. Inside the window the free text goes.
 */
export const whatsAppStepSchema = z.object({
  template: z.object({
    name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'lower-case letters, digits and underscores, as in WhatsApp Manager'),
    language: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'a WhatsApp language code such as en_US or pl'),
    parameters: z.array(z.string().min(1).max(1_024)).max(10),
  }),
  text: textTemplateSchema,
});

/** The texts of one message, one per channel it may go by. */
export type MessageTemplates = {
  email?: z.infer<typeof emailTemplateSchema>;
  sms?: z.infer<typeof textTemplateSchema>;
  whatsapp?: z.infer<typeof whatsAppStepSchema>;
};
