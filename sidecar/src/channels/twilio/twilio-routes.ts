import { Router, type Request } from 'express';
import type { Pool } from 'mysql2/promise';
import { recordForEveryPurpose } from '../../consent/consent.ts';
import { AppError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { inTransaction } from '../../db/transaction.ts';
import { shopsForAddress, storeInbound } from '../conversations.ts';
import { recordDeliveryStatus } from '../channel-store.ts';
import type { OnUndeliverable } from '../provider.ts';
import { toE164 } from '../../customers/phone.ts';
import { rawBodyOf, rawWebhookBody, webhookBodyErrors } from '../webhook-body.ts';
import { smsKeyword } from './opt-out.ts';
import { verifyTwilioSignature } from './signature.ts';

export const TWILIO_STATUS_PATH = '/webhooks/twilio/status';
export const TWILIO_INBOUND_PATH = '/webhooks/twilio/inbound';

/** Twilio's empty TwiML: no automatic reply from us (Twilio answers STOP/START/HELP itself). */
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/**
 * Delivery failures reported after Twilio accepted the SMS that no retry on SMS will fix: the
 * number opted out (21610), the message was blocked (30004), the handset is unknown (30005) or
 * takes no SMS (30006, a landline). The step may go on another channel.
 */
const UNDELIVERABLE_CODES = new Set(['21610', '30004', '30005', '30006']);

/**
 * Twilio's webhooks: delivery statuses (the StatusCallback of each send) and inbound messages
 * (the number's or Messaging Service's incoming URL). Both are form-encoded and signed with
 * X-Twilio-Signature over the URL Twilio called and the parameters.
 */
export function twilioRoutes(deps: {
  pool: Pool;
  authToken: string;
  publicUrl: () => string;
  logger: Logger;
  onUndeliverable: OnUndeliverable;
}): Router {
  const router = Router();

  /** The parameters, once the signature over them and the URL we published is right. */
  function signedParams(req: Request): URLSearchParams {
    const params = new URLSearchParams(rawBodyOf(req).toString('utf8'));
    const url = `${deps.publicUrl()}${req.originalUrl}`;
    if (!verifyTwilioSignature(deps.authToken, url, params, req.get('x-twilio-signature')))
      throw AppError.unauthorized('X-Twilio-Signature missing or invalid');
    return params;
  }

  router.post(TWILIO_STATUS_PATH, rawWebhookBody, async (req, res) => {
    const params = signedParams(req);
    const sid = params.get('MessageSid') ?? params.get('SmsSid');
    const status = params.get('MessageStatus') ?? params.get('SmsStatus');
    if (!sid || !status) throw AppError.badRequest('malformed_callback', 'a status callback carries MessageSid and MessageStatus');
    const errorCode = params.get('ErrorCode') || null;
    const row = await recordDeliveryStatus(deps.pool, {
      channel: 'sms',
      providerMessageId: sid,
      status,
      errorCode,
      error: errorCode ? `Twilio error ${errorCode}` : null,
      at: new Date(),
    });
    if (row?.firstTime && errorCode === '21610') {
      await recordForEveryPurpose(deps.pool, {
        shopId: row.shopId,
        channel: 'sms',
        address: row.recipient,
        status: 'withdrawn',
        source: 'provider-opt-out',
        outboxId: row.outboxId,
      });
    }
    if (row?.firstTime && errorCode && UNDELIVERABLE_CODES.has(errorCode)) {
      await deps.onUndeliverable({
        outboxId: row.outboxId,
        shopId: row.shopId,
        enrollmentId: row.enrollmentId,
        step: row.step,
        channel: 'sms',
        reason: `sms ${status} (Twilio error ${errorCode})`,
      });
    }
    res.status(204).end();
  });

  router.post(TWILIO_INBOUND_PATH, rawWebhookBody, async (req, res) => {
    const params = signedParams(req);
    const sid = params.get('MessageSid') ?? params.get('SmsSid');
    const from = params.get('From');
    if (!sid || !from) throw AppError.badRequest('malformed_message', 'an inbound message carries MessageSid and From');
    const address = toE164(from) ?? from;
    const body = params.get('Body');
    const keyword = smsKeyword(body ?? '', params.get('OptOutType') ?? undefined);
    const at = new Date();
    // A STOP applies to every shop that has texted this number: one Twilio number may serve several
    // shops on one sidecar, Twilio blocks the number for all of them alike, and the customer cannot
    // say which shop the STOP was meant for. START lifts it the same way.
    const shopIds = await inTransaction(deps.pool, async (conn) => {
      const shops = await shopsForAddress(conn, 'sms', address);
      const fresh = await storeInbound(conn, {
        channel: 'sms',
        address,
        shopIds: shops,
        providerMessageId: sid,
        body,
        kind: keyword ?? 'text',
        at,
      });
      if (!fresh || (keyword !== 'opt-out' && keyword !== 'opt-in')) return shops;
      // STOP withdraws every purpose; START gives back what that number's STOP took and grants nothing without one.
      for (const shopId of shops) {
        await recordForEveryPurpose(conn, {
          shopId,
          channel: 'sms',
          address,
          status: keyword === 'opt-out' ? 'withdrawn' : 'granted',
          source: 'keyword',
          text: `replied "${(body ?? '').trim().slice(0, 40)}" by SMS`,
          claimedAt: at,
        });
      }
      return shops;
    });
    if (shopIds.length === 0) {
      deps.logger.warn({ messageSid: sid }, 'an SMS came from a number no shop has texted: not stored, no consent changed');
    }
    res.status(200).type('text/xml').send(EMPTY_TWIML);
  });

  router.use(webhookBodyErrors);
  return router;
}
