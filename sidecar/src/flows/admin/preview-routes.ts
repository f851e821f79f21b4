import { __, _n, sprintf } from '@wordpress/i18n';
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { AdminRequest } from '../../http/admin-auth.ts';
import { validBody, validQuery } from '../../http/json-body.ts';
import { toE164 } from '../../customers/phone.ts';
import type { RenderedMessage } from '../../messages/index.ts';
import { channelName, type MessageChannel } from '../../messages/message-channel.ts';
import { enqueueMessage } from '../../messages/outbox.ts';
import { TEST_KEY_PREFIX } from '../../messages/outbox-store.ts';
import { bodyKeyOf, gatewayIdSchema, localeSchema, type Translations } from '../../messages/message-templates.ts';
import { outboxFields } from '../../messages/step-message.ts';
import { orderNumber, paymentTitleOf, type MessageSubject, type RenderedStep } from '../../messages/step-render.ts';
import { loadPaymentGateways } from '../../woo/shop-profile.ts';
import { FLOW_KEY, loadFlow } from '../definition/flow-store.ts';
import { loadRecoverySettings, reminderSchema, type Reminder } from '../definition/recovery-settings.ts';
import {
  previewRequestSchema,
  previewStep,
  subjectKindOf,
  type MessagePreview,
  type PreviewDeps,
  type PreviewLanguage,
  type PreviewRequest,
} from './message-preview.ts';
import { checkTestRecipient } from './test-recipients.ts';
import { cartOptions, customerOptions, orderOptions, testSendsSince, type PreviewSubjectOption } from './preview-subject-store.ts';

/** At most this many test messages per shop in TEST_WINDOW_MS: a test send is the merchant's, never a way to message people. */
export const TEST_SENDS_PER_WINDOW = 20;
const TEST_WINDOW_MS = 3_600_000;
const SUBJECT_OPTIONS = 25;

const testRequestSchema = previewRequestSchema.extend({ to: z.string().trim().min(3).max(255) });

const recoveryPreviewSchema = z.object({
  /** The texts being edited; without them the saved reminder `step` is previewed. */
  reminder: reminderSchema.pick({ subject: true, onlineBody: true, offlineBody: true, offlineBodies: true, translations: true }).optional(),
  step: z.number().int().min(0).max(4).default(0),
  gateway: z.enum(['online', 'offline']),
  /** An offline gateway's own text (`cheque`): rendered against that gateway's newest order. */
  gatewayId: gatewayIdSchema.optional(),
  /** The text for other offline payments: against the newest offline order whose gateway has no text of its own. */
  otherOffline: z.boolean().optional(),
  /** A stored order to render against; by default the newest one paid the chosen way. */
  orderId: z.number().int().positive().optional(),
  /** The customer's language (a WordPress locale): the reminder's translation for it, else its default texts. */
  language: localeSchema.optional(),
});
const recoveryTestSchema = recoveryPreviewSchema.extend({ to: z.email() });

/** POST /api/previews: a step of a flow (saved or being edited) on one channel, for one subject. */
export type StepPreview = Omit<MessagePreview, never>;
/** GET /api/previews/subjects: what the subject picker offers for a flow. */
export type PreviewSubjects = { kind: PreviewSubjectOption['kind']; options: PreviewSubjectOption[] };
/** POST /api/recovery/preview: the recovery form's reminder, an email. */
export type Preview = RenderedMessage & {
  gateway: 'online' | 'offline';
  /** The real order it was rendered for, with how it was paid as its customer saw it ("Check payments"). */
  order: { id: number; number: string; paymentMethod: string; paymentTitle: string } | null;
  sample: boolean;
  language: PreviewLanguage;
};

/**
 * The preview and test send of any step: POST /api/previews renders it as the customer would get
 * it (message-preview.ts); POST /api/previews/test sends that rendering once, marked [Test], through
 * the outbox like any message, to an address or number verified for the shop (test-recipients.ts;
 * a limited number an hour per shop); GET /api/previews/subjects lists the shop's orders, carts or customers to pick.
 * /api/recovery/preview and /test are the recovery form's: its reminder is the unpaid-order flow's
 * email step, previewed the same way.
 */
export function previewRoutes(deps: PreviewDeps & { channels: () => Record<MessageChannel, boolean> }): Router {
  const router = Router();
  router.post('/previews', async (req: AdminRequest, res) => {
    const { ref, about, ...preview } = await previewStep(deps, req.shopId!, validBody(req, previewRequestSchema));
    res.json(preview satisfies StepPreview);
  });
  router.post('/previews/test', async (req: AdminRequest, res) => {
    const input = validBody(req, testRequestSchema);
    // A row for a channel no provider serves would wait in the outbox for ever.
    if (!deps.channels()[input.channel])
      throw new AppError(
        'channel_not_configured',
        // translators: %s: the channel (Email, SMS, WhatsApp).
        sprintf(__('%s is not set up yet: connect a provider, then send a test', 'comeback'), channelName(input.channel)),
        409,
        true,
      );
    const to = testAddress(input.channel, input.to);
    await checkTestRecipient(deps.pool, req, input.channel, to);
    const preview = await previewStep(deps, req.shopId!, input);
    const outboxId = await sendTest(deps, req.shopId!, to, preview.message, preview.ref, input.language);
    res.status(202).json({ outboxId, to, subject: preview.subject, sample: preview.sample, language: preview.language });
  });
  router.get('/previews/subjects', async (req: AdminRequest, res) => {
    const q = validQuery(
      req,
      z.object({ flow: z.string().regex(FLOW_KEY).optional(), kind: z.enum(['order', 'cart', 'customer']).optional() }),
    );
    let kind = q.kind;
    if (!kind) {
      const flow = q.flow ? await loadFlow(deps.pool, req.shopId!, q.flow) : null;
      if (!flow) throw AppError.notFound(__('name a flow or a kind of subject', 'comeback'));
      kind = subjectKindOf(flow.definition.trigger);
    }
    const list = { order: orderOptions, cart: cartOptions, customer: customerOptions }[kind];
    res.json({ kind, options: await list(deps.pool, req.shopId!, SUBJECT_OPTIONS) } satisfies PreviewSubjects);
  });

  router.post('/recovery/preview', async (req: AdminRequest, res) => {
    const { preview } = await reminderPreview(deps, req.shopId!, validBody(req, recoveryPreviewSchema));
    res.json(preview);
  });
  router.post('/recovery/test', async (req: AdminRequest, res) => {
    const input = validBody(req, recoveryTestSchema);
    await checkTestRecipient(deps.pool, req, 'email', input.to);
    const { preview, message, ref } = await reminderPreview(deps, req.shopId!, input);
    const outboxId = await sendTest(deps, req.shopId!, input.to, message, ref, input.language);
    res.status(202).json({ outboxId, to: input.to, order: preview.order, sample: preview.sample, language: preview.language });
  });
  return router;
}

/** The address a test goes to: an email for email, else a phone number in E.164. */
function testAddress(channel: PreviewRequest['channel'], to: string): string {
  if (channel === 'email') {
    if (!z.email().safeParse(to).success)
      throw AppError.badRequest('invalid_body', __('a test email needs an email address', 'comeback'), [
        { field: 'to', message: __('an email address', 'comeback') },
      ]);
    return to;
  }
  const phone = toE164(to);
  if (!phone)
    throw AppError.badRequest('invalid_body', __('a test SMS or WhatsApp message needs a phone number with its country code', 'comeback'), [
      { field: 'to', message: __('a phone number such as +48 500 000 001', 'comeback') },
    ]);
  return phone;
}

/**
 * Queues one test message, marked [Test], unless the shop has sent its hour's share of tests; in
 * the language asked for, recorded as the test's choice (and the translation used).
 */
async function sendTest(
  deps: PreviewDeps,
  shopId: number,
  to: string,
  message: RenderedStep,
  ref: string,
  language: string | undefined,
): Promise<number> {
  const now = Date.now();
  const { count: sent, oldest } = await testSendsSince(deps.pool, shopId, new Date(now - TEST_WINDOW_MS));
  if (sent >= TEST_SENDS_PER_WINDOW) {
    // Counted in the database, so every sidecar keeps the one limit; a slot frees when the oldest test turns an hour old.
    const retryAfterS = Math.max(1, Math.ceil(((oldest?.getTime() ?? now) + TEST_WINDOW_MS - now) / 1000));
    throw AppError.tooManyRequests(
      'too_many_tests',
      sprintf(
        // translators: 1: how many test messages were sent, 2: the most an hour takes, 3: minutes to wait.
        __('%1$d test messages were sent in the last hour (at most %2$d); try again in %3$d min', 'comeback'),
        sent,
        TEST_SENDS_PER_WINDOW,
        Math.ceil(retryAfterS / 60),
      ),
      retryAfterS,
    );
  }
  const fields = outboxFields(message);
  const { id } = await enqueueMessage(deps.pool, {
    ...fields,
    idempotencyKey: `${TEST_KEY_PREFIX}${randomUUID()}`,
    shopId,
    to,
    from: deps.from,
    subject: fields.subject ? `[Test] ${fields.subject}` : '',
    text: fields.channel === 'email' ? fields.text : `[Test] ${fields.text}`,
    linkRef: ref,
    language: language ? { locale: language, source: 'test' } : null,
  });
  return id;
}

/** The recovery form's reminder: the unpaid-order flow's email step, with the form's gateways. */
async function reminderPreview(
  deps: PreviewDeps,
  shopId: number,
  input: z.output<typeof recoveryPreviewSchema>,
): Promise<{ preview: Preview; message: RenderedStep; ref: string }> {
  const settings = await loadRecoverySettings(deps.pool, shopId);
  const reminder = input.reminder ?? settings.reminders[input.step];
  if (!reminder)
    throw AppError.badRequest(
      'unknown_step',
      sprintf(
        // translators: 1: the reminder asked for, 2: how many reminders there are.
        _n(
          'there is no reminder %1$d: %2$d is configured',
          'there is no reminder %1$d: %2$d are configured',
          settings.reminders.length,
          'comeback',
        ),
        input.step + 1,
        settings.reminders.length,
      ),
    );
  const emailOf = (t: Omit<Reminder, 'delay' | 'translations'>) => ({
    subject: t.subject,
    body: t.onlineBody,
    offlineBody: t.offlineBody,
    offlineBodies: t.offlineBodies ?? {},
  });
  const email = emailOf(reminder);
  const translations: Translations = {};
  for (const [locale, t] of Object.entries(reminder.translations ?? {})) translations[locale] = { email: emailOf(t) };
  try {
    const result = await previewStep(deps, shopId, {
      draft: { trigger: { event: 'order.unpaid', gateways: settings.gateways }, step: { email, translations } },
      step: input.step,
      channel: 'email',
      gateway: input.gateway,
      ...(input.gatewayId ? { gatewayId: input.gatewayId } : {}),
      ...(input.otherOffline ? { otherOffline: true } : {}),
      ...(input.orderId ? { subject: { kind: 'order', id: String(input.orderId) } } : {}),
      ...(input.language ? { language: input.language } : {}),
    });
    const message = result.message as Extract<RenderedStep, { channel: 'email' }>;
    const about = result.about as Extract<MessageSubject, { kind: 'order' }>;
    const order = result.sample
      ? null
      : {
          id: about.order.id,
          number: orderNumber(about.order),
          paymentMethod: about.order.payment_method,
          paymentTitle: paymentTitleOf(about.order, await loadPaymentGateways(deps.pool, shopId)),
        };
    return {
      preview: {
        subject: message.subject,
        html: message.html,
        text: message.text,
        gateway: input.gateway,
        order,
        sample: result.sample,
        language: result.language,
      },
      message,
      ref: result.ref,
    };
  } catch (error) {
    // The form's fields: the subject, and the body of the gateway shown (a translation's: translations.pl_PL.subject).
    if (error instanceof AppError && error.code === 'invalid_template' && Array.isArray(error.details)) {
      const method = input.gatewayId ?? '';
      const details = (error.details as Array<{ field: string }>).map((d) => {
        const at = /^translations\.([^.]+)\./.exec(d.field)?.[1];
        const key = bodyKeyOf(at ? translations[at]!.email! : email, { gateway: input.gateway, method });
        const body = key === 'body' ? 'onlineBody' : key === 'offline' ? 'offlineBody' : `offlineBodies.${method}`;
        return { ...d, field: `${at ? `translations.${at}.` : ''}${d.field.endsWith('email.subject') ? 'subject' : body}` };
      });
      throw AppError.badRequest('invalid_template', error.message, details);
    }
    throw error;
  }
}
