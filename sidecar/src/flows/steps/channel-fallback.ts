import type { Pool } from 'mysql2/promise';
import { cartsByIds } from '../../carts/cart-store.ts';
import { consentsAmong, type Purpose } from '../../consent/consent.ts';
import { loadStoredOrder } from '../../events/order-store.ts';
import { orderPayload } from '../../woo/order-payload.ts';
import { addressesOf, chooseChannel, consentOf, contactOf } from './channel-choice.ts';
import type { MessageChannel } from '../../messages/message-channel.ts';
import { loadFlowVersions, versionKey } from '../definition/flow-store.ts';
import { customerSubjectOf, loadCustomerSubjects } from '../../customers/customer-subjects.ts';
import { customerSubjectEnds } from './customer-subject-ends.ts';
import type { MessageSubject, StepCoupon, StepMessage } from '../../messages/step-message.ts';
import { decideUnpaid, orderFactsOf } from '../entry/unpaid-eligibility.ts';
import { channelsOfStep, couponOfStep, fallbackEnrollment } from './fallback-store.ts';
import { loadKnownLanguages, stepLanguage } from './step-language.ts';
import { stepKey, stepTemplateKey } from './step-keys.ts';
import { writeStepLog } from './step-store.ts';
import type { UndeliverableRow } from '../../channels/provider.ts';

/** A message that will not reach the customer on its channel (the channels room says so). */
export type Undeliverable = UndeliverableRow;

/**
 * A message the provider could not deliver and never will (WhatsApp re-engagement 131047, an
 * undeliverable number, a landline for SMS…) falls back to the next channel of its step's list
 * that can reach the customer: same step, same texts, its own idempotency key per channel. When
 * none is left, the step log says the step could not be delivered.
 */
export function createChannelFallback(deps: {
  pool: Pool;
  clock: () => Date;
  channels: () => Record<MessageChannel, boolean>;
  queueMessage(message: StepMessage): Promise<{ id: number; created: boolean }>;
}): (failed: Undeliverable) => Promise<void> {
  const { pool } = deps;
  const log = (
    enrollmentId: number,
    step: number,
    channel: string | null,
    outcome: string,
    detail: string,
    outboxId: number | null = null,
  ) => writeStepLog(pool, [{ enrollmentId, step, channel, outcome, detail, outboxId, at: deps.clock() }]);

  return async (failed) => {
    if (failed.enrollmentId === null || failed.step === null) return;
    const e = await fallbackEnrollment(pool, failed.enrollmentId);
    // An enrollment that ended meanwhile (the order was paid), or whose flow was switched off (a
    // cancelled campaign), needs no other channel.
    if (!e || e.status === 'exited' || !e.flowEnabled) return;
    const { shopId } = e;
    const flow = (await loadFlowVersions(pool, shopId, [{ key: e.flow, version: e.flowVersion }])).get(versionKey(e.flow, e.flowVersion));
    const step = flow?.steps[failed.step];
    if (!flow || !step) return;

    let subject: MessageSubject | null = null;
    if (e.subjectType === 'cart') {
      const cart = (await cartsByIds(pool, shopId, [Number(e.subjectId)])).get(Number(e.subjectId));
      if (cart) subject = { kind: 'cart', cart };
    } else if (e.subjectType === 'customer' || e.subjectType === 'event') {
      const eventIds = e.subjectType === 'event' ? [Number(e.subjectId)] : [];
      const found = customerSubjectOf(
        await loadCustomerSubjects(pool, shopId, { keys: e.customerKey ? [e.customerKey] : [], eventIds }),
        e,
      );
      // The re-check a first send gets: bought since, voucher used or expired; and for flows that
      // end on a purchase, any purchase since the customer entered.
      if (!found) return;
      if (customerSubjectEnds(flow, e.subjectId, found, deps.clock())) return;
      const { lastPurchaseAt } = found.customer;
      if (flow.exit.onPurchase && lastPurchaseAt && lastPurchaseAt.getTime() >= Math.floor(e.enteredAt.getTime() / 1000) * 1000) return;
      subject = { kind: 'customer', ...found };
    } else {
      const stored = await loadStoredOrder(pool, shopId, Number(e.subjectId));
      if (stored) {
        const order = orderPayload.parse(stored.snapshot);
        let gateway: 'online' | 'offline' | null = null;
        if (flow.trigger.event === 'order.unpaid') {
          const decision = decideUnpaid(orderFactsOf(order), flow.trigger.gateways);
          if (decision.kind !== 'enter') return; // no longer awaiting payment: nothing to fall back to
          gateway = decision.gateway;
        }
        subject = { kind: 'order', order, gateway };
      }
    }
    if (!subject) return;

    const tried = [...new Set([failed.channel, ...(await channelsOfStep(pool, failed.enrollmentId, failed.step))])];
    const addresses = addressesOf(contactOf(subject));
    const consent = async (shop: number, purpose: Purpose, channel: MessageChannel, address: string) =>
      consentOf(await consentsAmong(pool, shop, purpose, channel, [address]), channel, address);
    const choice = await chooseChannel(deps, { consent }, shopId, flow, step, addresses, tried);
    for (const r of choice.refused) await log(failed.enrollmentId, failed.step, r.channel, r.outcome, r.detail);
    if (!choice.channel) {
      await log(
        failed.enrollmentId,
        failed.step,
        failed.channel,
        'undeliverable',
        `${failed.channel} failed (${failed.reason}); no other channel of the step can reach the customer`,
        failed.outboxId,
      );
      return;
    }
    // The coupon the failed message carried goes with the next channel: the same code.
    let coupon: StepCoupon | undefined;
    if (step.coupon) {
      const issued = await couponOfStep(pool, shopId, failed.enrollmentId, failed.step);
      if (!issued) return;
      coupon = { code: issued.code, offer: step.coupon.offer, expiresAt: issued.expiresAt };
    }
    const queued = await deps.queueMessage({
      shopId,
      enrollmentId: failed.enrollmentId,
      step: failed.step,
      templateKey: stepTemplateKey(e.flow, e.flowVersion, failed.step),
      channel: choice.channel,
      idempotencyKey: `${stepKey(failed.enrollmentId, failed.step)}:${choice.channel}`,
      to: addresses[choice.channel]!,
      customerKey: e.customerKey,
      definition: step,
      subject,
      coupon,
      // In the language the first message went in: chosen by the same facts.
      language: stepLanguage(subject, await loadKnownLanguages(pool, shopId, e.customerKey)),
    });
    await log(
      failed.enrollmentId,
      failed.step,
      failed.channel,
      'fallback',
      `${failed.channel} failed (${failed.reason}); sent by ${choice.channel} instead`,
      failed.outboxId,
    );
    await log(failed.enrollmentId, failed.step, choice.channel, 'queued', 'fallback', queued.id);
  };
}
