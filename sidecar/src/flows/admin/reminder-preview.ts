import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { AdminRequest } from '../../http/admin-auth.ts';
import { validBody } from '../../http/json-body.ts';
import { newLinkRef } from '../../links/link-token.ts';
import { RenderError, sampleContext, TemplateError, type RenderContext, type RenderedMessage } from '../../messages/index.ts';
import { enqueueMessage } from '../../messages/outbox.ts';
import { TEST_KEY_PREFIX } from '../../messages/outbox-store.ts';
import { loadStoredOrder } from '../../events/order-store.ts';
import { orderPayload } from '../../woo/order-payload.ts';
import { loadShopProfile } from '../../woo/shop-profile.ts';
import { loadRecoverySettings, reminderSchema } from '../definition/recovery-settings.ts';
import { bodyKeyOf, gatewayIdSchema, type PaymentOf } from '../../messages/message-templates.ts';
import { messageLinks, orderContext, renderEmail, shopOf, type MessageDeps } from '../../messages/step-message.ts';
import { classifyGateway } from '../entry/unpaid-eligibility.ts';
import { newestOrdersToPay } from './preview-order-store.ts';

/** How many of the newest orders are looked through for one paid the chosen way. */
const NEWEST_ORDERS = 200;

const previewRequest = z.object({
  /** The texts being edited; without them the saved reminder `step` is previewed. */
  reminder: reminderSchema.pick({ subject: true, onlineBody: true, offlineBody: true, offlineBodies: true }).optional(),
  step: z.number().int().min(0).max(4).default(0),
  gateway: z.enum(['online', 'offline']),
  /** An offline gateway's own text (`cheque`): rendered against that gateway's newest order. */
  gatewayId: gatewayIdSchema.optional(),
  /** The text for other offline payments: against the newest offline order whose gateway has no text of its own. */
  otherOffline: z.boolean().optional(),
  /** A stored order to render against; by default the newest one paid the chosen way. */
  orderId: z.number().int().positive().optional(),
});
const testRequest = previewRequest.extend({ to: z.email() });

export type PreviewDeps = Pick<MessageDeps, 'pool' | 'publicUrl' | 'linkSecret' | 'linkTtlDays' | 'from'>;

export type Preview = RenderedMessage & {
  gateway: 'online' | 'offline';
  order: { id: number; number: string; paymentMethod: string } | null;
  sample: boolean;
};

/**
 * POST /api/recovery/preview renders a reminder (the saved one, or texts being edited) against a
 * real stored order, exactly as a customer would get it; with no suitable order yet, against a
 * sample order, and says so. POST /api/recovery/test sends that rendering to the editor, marked
 * [Test], through the outbox like any message.
 */
export function reminderPreviewRoutes(deps: PreviewDeps): Router {
  const router = Router();
  router.post('/recovery/preview', async (req: AdminRequest, res) => {
    const { preview } = await buildPreview(deps, req.shopId!, validBody(req, previewRequest));
    res.json(preview);
  });
  router.post('/recovery/test', async (req: AdminRequest, res) => {
    const input = validBody(req, testRequest);
    const { preview, ref } = await buildPreview(deps, req.shopId!, input);
    const { id } = await enqueueMessage(deps.pool, {
      idempotencyKey: `${TEST_KEY_PREFIX}${randomUUID()}`,
      shopId: req.shopId!,
      to: input.to,
      from: deps.from,
      subject: `[Test] ${preview.subject}`,
      html: preview.html,
      text: preview.text,
      headers: {},
      linkRef: ref,
    });
    res.status(202).json({ outboxId: id, to: input.to, order: preview.order, sample: preview.sample });
  });
  return router;
}

async function buildPreview(
  deps: PreviewDeps,
  shopId: number,
  input: z.output<typeof previewRequest>,
): Promise<{ preview: Preview; ref: string }> {
  const settings = await loadRecoverySettings(deps.pool, shopId);
  const reminder = input.reminder ?? settings.reminders[input.step];
  if (!reminder)
    throw AppError.badRequest('unknown_step', `there is no reminder ${input.step + 1}: ${settings.reminders.length} are configured`);

  const snapshot = input.orderId
    ? await storedSnapshot(deps, shopId, input.orderId)
    : (await newestOrdersToPay(deps.pool, shopId, NEWEST_ORDERS)).find((o) => {
        if (input.gatewayId) return o.paymentMethod === input.gatewayId;
        if (input.otherOffline && reminder.offlineBodies?.[o.paymentMethod] !== undefined) return false;
        return classifyGateway(o.paymentMethod, settings.gateways) === input.gateway;
      })?.snapshot;

  // Preview links are signed like real ones, on a reference no message has: opening one shows
  // the customer page for an unknown link, never someone's order.
  const ref = newLinkRef();
  const links = messageLinks(deps, ref);
  const profile = await loadShopProfile(deps.pool, shopId);
  let context: RenderContext;
  let order: Preview['order'] = null;
  let payment: PaymentOf = { gateway: input.gateway, method: input.gatewayId ?? '' };
  if (snapshot) {
    const payload = orderPayload.parse(snapshot);
    context = orderContext(profile, payload, input.gateway, links);
    order = { id: payload.id, number: context.order!.number, paymentMethod: payload.payment_method };
    payment = { gateway: input.gateway, method: payload.payment_method };
  } else {
    const { timeZone, formats } = profile;
    context = sampleContext({
      shop: shopOf(profile),
      timeZone,
      formats,
      links: input.gateway === 'online' ? links : { unsubscribe: links.unsubscribe },
    });
    const gateway = profile.gateways.find((g) => g.id === input.gatewayId);
    if (gateway) context.order = { ...context.order!, paymentMethodTitle: gateway.title, paymentInstructions: gateway.instructions };
  }
  const template = {
    subject: reminder.subject,
    body: reminder.onlineBody,
    offlineBody: reminder.offlineBody,
    offlineBodies: reminder.offlineBodies ?? {},
  };
  try {
    const rendered = await renderEmail(
      `recovery-preview:${shopId}:${input.reminder ? -1 : input.step}`,
      template,
      payment,
      input.gateway,
      context,
      profile.look,
    );
    return { preview: { ...rendered, gateway: input.gateway, order, sample: !snapshot }, ref };
  } catch (error) {
    if (error instanceof TemplateError) {
      const key = bodyKeyOf(template, payment);
      const field = key === 'body' ? 'onlineBody' : key === 'offline' ? 'offlineBody' : `offlineBodies.${payment.method}`;
      throw AppError.badRequest(
        'invalid_template',
        error.message,
        error.errors.map((e) => ({ ...e, field: e.field === 'subject' ? 'subject' : field })),
      );
    }
    if (error instanceof RenderError) throw new AppError(error.code, error.message, 422, true);
    throw error;
  }
}

async function storedSnapshot(deps: PreviewDeps, shopId: number, orderId: number): Promise<unknown> {
  const stored = await loadStoredOrder(deps.pool, shopId, orderId);
  if (!stored) throw AppError.notFound(`order ${orderId} is not among the orders Comeback has seen`);
  return stored.snapshot;
}
