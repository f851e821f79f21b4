import { randomBytes } from 'node:crypto';
import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import type { Queryable } from '../db/queryable.ts';
import type { WooClient } from '../woo/rest-client.ts';
import { endOfLocalDay } from '../zoned-time.ts';
import {
  couponIssuedFor,
  insertCouponIfAbsent,
  markCouponRemoved,
  markCouponsUsedInOrder,
  markCouponUsed,
  setWooCouponId,
  unsettledExpiredCoupons,
} from './coupon-store.ts';

const DAY = 86_400_000;

/** A personal offer: money off the cart, a percentage off, or one given product free. */
export const offerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('fixed_cart'), amount: z.number().positive() }),
  z.object({ type: z.literal('percent'), amount: z.number().positive().max(100) }),
  z.object({ type: z.literal('product'), productId: z.number().int().positive() }),
]);
export type Offer = z.infer<typeof offerSchema>;

/** When a coupon stops working: after N days, or before the customer's next visit in their own rhythm. */
export const expirySchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('days'), days: z.number().int().min(1).max(365) }),
  z.object({ mode: z.literal('rhythm'), minDays: z.number().int().min(1).default(3), maxDays: z.number().int().min(1).default(60) }),
]);
export type Expiry = z.infer<typeof expirySchema>;

/**
 * The rhythm: a customer who buys every G days is offered a coupon valid G − 1 days from now, so
 * it runs out before the visit we would expect next (a single purchase: the default interval);
 * never shorter than minDays nor longer than maxDays. It works to the end of that day in the
 * shop's zone, the day [coupon_expiry] prints.
 */
export function couponExpiry(
  expiry: Expiry,
  customer: { avgGapDays: number | null },
  defaultIntervalDays: number,
  now: Date,
  timeZone: string,
): Date {
  const days =
    expiry.mode === 'days'
      ? expiry.days
      : Math.min(expiry.maxDays, Math.max(expiry.minDays, Math.floor((customer.avgGapDays ?? defaultIntervalDays) - 1)));
  return endOfLocalDay(new Date(now.getTime() + days * DAY), timeZone);
}

export type IssuedCoupon = { code: string; couponId: number; expiresAt: Date; created: boolean };

/**
 * The customer's coupon for one purpose (a win-back step), created in WooCommerce once: single
 * use, for their email only, individual use. The row is written before WooCommerce is asked, with
 * an unguessable code, so a run that dies halfway is finished by the next one with the same code,
 * never a second coupon.
 */
export async function issueCoupon(
  pool: Pool,
  client: WooClient,
  input: {
    shopId: number;
    email: string;
    issuedFor: string;
    offer: Offer;
    expiresAt: Date;
    description: string;
    enrollment?: { id: number; step: number };
  },
): Promise<IssuedCoupon> {
  const customerKey = input.email.trim().toLowerCase();
  const code = `CB-${randomBytes(6).toString('hex').toUpperCase()}`;
  const amount = input.offer.type === 'product' ? 100 : input.offer.amount;
  const discountType = input.offer.type === 'product' ? 'percent' : input.offer.type;
  await insertCouponIfAbsent(pool, {
    shopId: input.shopId,
    code,
    customerKey,
    issuedFor: input.issuedFor,
    enrollmentId: input.enrollment?.id ?? null,
    step: input.enrollment?.step ?? null,
    discountType,
    amount,
    expiresAt: input.expiresAt,
  });
  // The row written first, by this run or an earlier one: its code is the coupon's.
  const row = (await couponIssuedFor(pool, input.shopId, customerKey, input.issuedFor))!;
  if (row.couponId > 0) return { code: row.code, couponId: row.couponId, expiresAt: row.expiresAt, created: false };
  // Ours to create (or to finish: an earlier run may have created it and died before recording it).
  const existing = await client.findCoupon(row.code);
  const coupon =
    existing ??
    (await client.createCoupon({
      code: row.code,
      discount_type: discountType,
      amount: amount.toFixed(2),
      individual_use: true,
      usage_limit: 1,
      usage_limit_per_user: 1,
      email_restrictions: [customerKey],
      product_ids: input.offer.type === 'product' ? [input.offer.productId] : [],
      limit_usage_to_x_items: input.offer.type === 'product' ? 1 : null,
      date_expires_gmt: row.expiresAt.toISOString().slice(0, 19),
      description: input.description,
    }));
  await setWooCouponId(pool, input.shopId, row.code, coupon.id);
  return { code: row.code, couponId: coupon.id, expiresAt: row.expiresAt, created: existing === null };
}

/**
 * Expired coupons of ours: a used one is recorded as used; an unused one is deleted from
 * WooCommerce, so the shop's coupon list does not fill with dead codes.
 */
export async function cleanUpExpiredCoupons(
  pool: Pool,
  shopId: number,
  client: WooClient,
  now: Date,
): Promise<{ removed: number; used: number }> {
  const rows = await unsettledExpiredCoupons(pool, shopId, now);
  let removed = 0;
  let used = 0;
  for (const row of rows) {
    const coupon = await client.getCoupon(row.couponId);
    if (coupon && coupon.usage_count > 0) {
      await markCouponUsed(pool, row.id, now);
      used++;
      continue;
    }
    if (coupon) await client.deleteCoupon(coupon.id);
    await markCouponRemoved(pool, row.id, now);
    removed++;
  }
  return { removed, used };
}

/**
 * A paid order that used coupons of ours (its `coupon_lines`): they are recorded as used in it,
 * for the redemption report, and are never deleted as "expired unused". Codes are compared as
 * WooCommerce does, without case.
 */
export async function recordCouponUse(
  db: Queryable,
  shopId: number,
  orderId: number,
  snapshot: Record<string, unknown>,
  at: Date,
): Promise<number> {
  const lines = Array.isArray(snapshot.coupon_lines) ? (snapshot.coupon_lines as Array<{ code?: unknown }>) : [];
  const codes = lines.map((l) => (typeof l.code === 'string' ? l.code : '').trim().toUpperCase()).filter((c) => c.startsWith('CB-'));
  if (codes.length === 0) return 0;
  return markCouponsUsedInOrder(db, shopId, orderId, codes, at);
}
