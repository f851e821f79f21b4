import type { Pool, RowDataPacket } from 'mysql2/promise';
import { cartsByIds } from '../../carts/cart-store.ts';
import { consentsAmong } from '../../consent/consent.ts';
import { jsonColumn } from '../../db/json-column.ts';
import { orderPayload } from '../../woo/order-payload.ts';
import { addressesOf, chooseChannel, contactOf, writeStepLog } from './channel-choice.ts';
import type { MessageChannel } from '../../channels/message-channel.ts';
import { loadFlowVersions, versionKey } from '../definition/flow-store.ts';
import { loadCustomerSubjects } from '../../customers/customer-subjects.ts';
import { customerSubjectEnds } from './customer-subject-ends.ts';
import type { MessageSubject, StepCoupon, StepMessage } from '../../messages/step-message.ts';
import { decideUnpaid } from '../entry/unpaid-eligibility.ts';

export type Undeliverable = { outboxId: number; shopId: number; enrollmentId: number | null; step: number | null; channel: MessageChannel; reason: string };

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
  const log = (enrollmentId: number, step: number, channel: string | null, outcome: string, detail: string, outboxId: number | null = null) =>
    writeStepLog(pool, [{ enrollmentId, step, channel, outcome, detail, outboxId, at: deps.clock() }]);

  return async (failed) => {
    if (failed.enrollmentId === null || failed.step === null) return;
    const [rows] = await pool.query<RowDataPacket[]>(
      'SELECT e.id, e.shop_id, e.flow, e.flow_version, e.subject_type, e.subject_id, e.status, e.customer_key, e.entered_at, f.enabled FROM enrollments e LEFT JOIN flows f ON f.shop_id = e.shop_id AND f.flow_key = e.flow WHERE e.id = ?',
      [failed.enrollmentId],
    );
    const e = rows[0];
    // An enrollment that ended meanwhile (the order was paid), or whose flow was switched off (a
    // cancelled campaign), needs no other channel.
    if (!e || e.status === 'exited' || !e.enabled) return;
    const shopId = Number(e.shop_id);
    const flow = (await loadFlowVersions(pool, shopId, [{ key: String(e.flow), version: Number(e.flow_version) }])).get(versionKey(String(e.flow), Number(e.flow_version)));
    const step = flow?.steps[failed.step];
    if (!flow || !step) return;

    let subject: MessageSubject | null = null;
    if (e.subject_type === 'cart') {
      const cart = (await cartsByIds(pool, shopId, [Number(e.subject_id)])).get(Number(e.subject_id));
      if (cart) subject = { kind: 'cart', cart };
    } else if (e.subject_type === 'customer' || e.subject_type === 'event') {
      const eventIds = e.subject_type === 'event' ? [Number(e.subject_id)] : [];
      const { customers, events } = await loadCustomerSubjects(pool, shopId, { keys: e.customer_key ? [String(e.customer_key)] : [], eventIds });
      const customer = customers.get(String(e.customer_key));
      const event = eventIds.length ? events.get(eventIds[0]!) : null;
      // The re-check a first send gets: bought since, voucher used or expired; and for flows that
      // end on a purchase, any purchase since the customer entered.
      if (!customer || event === undefined) return;
      const found = { customer, event };
      if (customerSubjectEnds(flow, String(e.subject_id), found, deps.clock())) return;
      if (flow.exit.onPurchase && customer.lastPurchaseAt && customer.lastPurchaseAt.getTime() >= Math.floor(e.entered_at.getTime() / 1000) * 1000) return;
      subject = { kind: 'customer', ...found };
    } else {
      const [orders] = await pool.query<RowDataPacket[]>('SELECT snapshot FROM orders WHERE shop_id = ? AND order_id = ?', [shopId, Number(e.subject_id)]);
      if (orders[0]) {
        const order = orderPayload.parse(jsonColumn(orders[0].snapshot));
        let gateway: 'online' | 'offline' | null = null;
        if (flow.trigger.event === 'order.unpaid') {
          const decision = decideUnpaid({ status: order.status, paymentMethod: order.payment_method, total: Number(order.total), datePaid: order.date_paid_gmt }, flow.trigger.gateways);
          if (decision.kind !== 'enter') return; // no longer awaiting payment: nothing to fall back to
          gateway = decision.gateway;
        }
        subject = { kind: 'order', order, gateway };
      }
    }
    if (!subject) return;

    const [sent] = await pool.query<RowDataPacket[]>('SELECT DISTINCT channel FROM outbox WHERE enrollment_id = ? AND step = ?', [failed.enrollmentId, failed.step]);
    const tried = [...new Set([failed.channel, ...sent.map((r) => r.channel as MessageChannel)])];
    const addresses = addressesOf(contactOf(subject));
    const consent = async (shop: number, channel: MessageChannel, address: string) => (await consentsAmong(pool, shop, channel, [address])).get(channel === 'email' ? address.toLowerCase() : address);
    const choice = await chooseChannel(deps, { consent }, shopId, flow, step, addresses, tried);
    for (const r of choice.refused) await log(failed.enrollmentId, failed.step, r.channel, r.outcome, r.detail);
    if (!choice.channel) {
      await log(failed.enrollmentId, failed.step, failed.channel, 'undeliverable', `${failed.channel} failed (${failed.reason}); no other channel of the step can reach the customer`, failed.outboxId);
      return;
    }
    // The coupon the failed message carried goes with the next channel: the same code.
    let coupon: StepCoupon | undefined;
    if (step.coupon) {
      const [issued] = await pool.query<RowDataPacket[]>('SELECT code, expires_at FROM coupons WHERE shop_id = ? AND enrollment_id = ? AND step = ?', [shopId, failed.enrollmentId, failed.step]);
      if (!issued[0]) return;
      coupon = { code: String(issued[0].code), offer: step.coupon.offer, expiresAt: issued[0].expires_at };
    }
    const queued = await deps.queueMessage({
      shopId,
      enrollmentId: failed.enrollmentId,
      step: failed.step,
      templateKey: `${e.flow}@${e.flow_version}:${failed.step}`,
      channel: choice.channel,
      idempotencyKey: `enrollment:${failed.enrollmentId}:step:${failed.step}:${choice.channel}`,
      to: addresses[choice.channel]!,
      customerKey: e.customer_key ?? null,
      definition: step,
      subject,
      coupon,
    });
    await log(failed.enrollmentId, failed.step, failed.channel, 'fallback', `${failed.channel} failed (${failed.reason}); sent by ${choice.channel} instead`, failed.outboxId);
    await log(failed.enrollmentId, failed.step, choice.channel, 'queued', 'fallback', queued.id);
  };
}
