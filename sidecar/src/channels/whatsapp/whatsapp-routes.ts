import { Router } from 'express';
import type { Pool } from 'mysql2/promise';
import { recordForEveryPurpose } from '../../consent/consent.ts';
import { AppError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { inTransaction } from '../../db/transaction.ts';
import { shopsForAddress, storeInbound } from '../conversations.ts';
import { recordDeliveryStatus } from '../channel-store.ts';
import type { OnUndeliverable } from '../provider.ts';
import { smsKeyword } from '../twilio/opt-out.ts';
import { rawBodyOf, rawWebhookBody, webhookBodyErrors } from '../webhook-body.ts';
import { whatsAppFailureKind } from './client.ts';
import { parseWhatsAppEvents, verifyMetaSignature, verifySubscription, type WhatsAppInbound } from './webhook.ts';

export const WHATSAPP_WEBHOOK_PATH = '/webhooks/whatsapp';

/**
 * Meta's webhook for the WhatsApp Cloud API: the subscription check (GET) and the signed event
 * deliveries (POST) with message statuses and the customers' messages.
 */
export function whatsAppRoutes(deps: {
  pool: Pool;
  appSecret: string;
  verifyToken: string;
  logger: Logger;
  onUndeliverable: OnUndeliverable;
}): Router {
  const router = Router();

  router.get(WHATSAPP_WEBHOOK_PATH, (req, res) => {
    const challenge = verifySubscription(req.query, deps.verifyToken);
    if (challenge === null) throw new AppError('forbidden', 'not a subscription check with our verify token', 403);
    res.status(200).type('text/plain').send(challenge);
  });

  router.post(WHATSAPP_WEBHOOK_PATH, rawWebhookBody, async (req, res) => {
    const raw = rawBodyOf(req);
    if (!verifyMetaSignature(deps.appSecret, raw, req.get('x-hub-signature-256')))
      throw AppError.unauthorized('X-Hub-Signature-256 missing or invalid');
    let payload: unknown;
    try {
      payload = JSON.parse(raw.toString('utf8'));
    } catch (error) {
      throw AppError.badRequest('malformed_json', `body is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
      throw AppError.badRequest('malformed_body', 'body must be a JSON object');
    const { statuses, inbound } = parseWhatsAppEvents(payload);

    for (const s of statuses) {
      const error = s.errors[0];
      const row = await recordDeliveryStatus(deps.pool, {
        channel: 'whatsapp',
        providerMessageId: s.messageId,
        status: s.status,
        errorCode: error ? String(error.code) : null,
        error: error ? `${error.code} ${error.title}` : null,
        at: s.at,
      });
      // Meta accepts a message (200) and may fail it later: outside the window (131047), or not
      // deliverable on WhatsApp (131026). The step's next channel should carry it then.
      if (row?.firstTime && s.status === 'failed' && error && whatsAppFailureKind(error.code, null) === 'use_next_channel') {
        await deps.onUndeliverable({
          outboxId: row.outboxId,
          shopId: row.shopId,
          enrollmentId: row.enrollmentId,
          step: row.step,
          channel: 'whatsapp',
          reason: `whatsapp failed (${error.code} ${error.title})`,
        });
      }
    }
    for (const message of inbound) await storeMessage(deps, message);
    res.status(200).json({ status: 'received' });
  });

  router.use(webhookBodyErrors);
  return router;
}

/**
 * A customer's message: it opens (or renews) the 24-hour window in the conversation of every shop
 * that writes to this number (Meta's window belongs to the business number, which the shops of
 * one sidecar share). An opt-out keyword withdraws WhatsApp consent for all of them at once.
 *
 * Writing to us never grants marketing consent by itself: a question about an order is not an
 * agreement to reminders, and Meta's opt-in must name the business and what the customer will
 * get. START only lifts a stop the customer sent by keyword themselves.
 */
async function storeMessage(deps: { pool: Pool; logger: Logger }, message: WhatsAppInbound): Promise<void> {
  const address = `+${message.from.replace(/^\+/, '')}`;
  const keyword = message.type === 'text' ? smsKeyword(message.text ?? '') : null;
  const shopIds = await inTransaction(deps.pool, async (conn) => {
    const shops = await shopsForAddress(conn, 'whatsapp', address);
    const fresh = await storeInbound(conn, {
      channel: 'whatsapp',
      address,
      shopIds: shops,
      providerMessageId: message.messageId,
      body: message.text,
      kind: keyword ?? message.type,
      at: message.at,
    });
    if (fresh && (keyword === 'opt-out' || keyword === 'opt-in')) {
      // STOP withdraws every purpose; START gives back what that number's STOP took and grants nothing without one.
      for (const shopId of shops)
        await recordForEveryPurpose(conn, {
          shopId,
          channel: 'whatsapp',
          address,
          status: keyword === 'opt-out' ? 'withdrawn' : 'granted',
          source: 'keyword',
          text: `replied "${(message.text ?? '').trim().slice(0, 40)}" on WhatsApp`,
          claimedAt: message.at,
        });
    }
    return shops;
  });
  if (shopIds.length === 0)
    deps.logger.warn({ messageId: message.messageId }, 'a WhatsApp message came from a number no shop has written to: not stored');
}
