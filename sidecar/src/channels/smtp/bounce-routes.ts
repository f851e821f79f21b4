import { Router } from 'express';
import type { Pool } from 'mysql2/promise';
import { AppError } from '../../errors.ts';
import type { AdminRequest } from '../../http/admin-auth.ts';
import type { Logger } from '../../logger.ts';
import { recordStatusOf, sentMessageOf } from '../channel-store.ts';
import type { OnUndeliverable } from '../provider.ts';
import { addressFailed } from './bounce-codes.ts';
import { parseDeliveryReport } from './delivery-report.ts';
import { recordBounce } from './email-bounces.ts';

/** POST /api/email/bounces: what was recorded of a delivery status notification. */
export type BounceIntake = {
  /** Whether the report is about a message of this shop's outbox. */
  matched: boolean;
  outboxId: number | null;
  /** The statuses recorded: 'bounced' for a failed recipient, 'delivered' for a delivered one. */
  recorded: string[];
};

/**
 * Delivery status notifications (RFC 3464) as a relay's inbound route or a mailbox pipe posts
 * them: the raw message as the body, authenticated like every /api request (the shop's plugin
 * signature, or the admin token with the shop's id). The report's returned headers name our
 * Message-ID; a failed recipient makes the message 'bounced' with the diagnostic code, a
 * delivered one 'delivered'. A report about a message not ours is answered 200 and dropped, so
 * the sender does not retry it; a body that is no report is a 400.
 */
export function bounceRoutes(deps: { pool: Pool; onUndeliverable: OnUndeliverable; logger?: Pick<Logger, 'info'> }): Router {
  const router = Router();
  router.post('/email/bounces', async (req: AdminRequest, res) => {
    const raw = req.rawBody ?? Buffer.alloc(0);
    if (raw.length === 0) throw AppError.badRequest('missing_body', 'post the delivery status notification, as received, as the body');
    const report = await parseDeliveryReport(raw);
    if (!report)
      throw AppError.badRequest(
        'not_a_delivery_report',
        'the body is not a multipart/report; report-type=delivery-status message (RFC 3464)',
      );
    const message = report.originalMessageId ? await sentMessageOf(deps.pool, 'email', report.originalMessageId, req.shopId!) : null;
    if (!message) {
      res.json({ matched: false, outboxId: null, recorded: [] } satisfies BounceIntake);
      return;
    }
    // Our messages have one recipient: its block, else the report's only one.
    const ours = report.recipients.filter((r) => r.recipient?.toLowerCase() === message.recipient.toLowerCase());
    const blocks = ours.length > 0 ? ours : report.recipients.length === 1 ? report.recipients : [];
    const recorded: string[] = [];
    const at = new Date();
    for (const block of blocks) {
      if (block.action === 'failed') {
        const reply = block.diagnostic ?? (block.status ? `status ${block.status}` : 'bounced');
        const bounced = await recordBounce(deps.pool, message, {
          reply,
          status: block.status,
          addressFailed: addressFailed(block.status, true),
          at,
        });
        recorded.push('bounced');
        if (bounced.firstTime)
          await deps.onUndeliverable({ ...message, channel: 'email', reason: `email bounced${block.status ? ` (${block.status})` : ''}` });
      } else if (block.action === 'delivered') {
        await recordStatusOf(deps.pool, message, { status: 'delivered', errorCode: null, error: null, at });
        recorded.push('delivered');
      }
    }
    // Ids and codes only: the report's words quote the address.
    deps.logger?.info(
      { shopId: message.shopId, outboxId: message.outboxId, enrollmentId: message.enrollmentId, step: message.step, recorded },
      'email delivery status notification recorded',
    );
    res.json({ matched: true, outboxId: message.outboxId, recorded } satisfies BounceIntake);
  });
  return router;
}
