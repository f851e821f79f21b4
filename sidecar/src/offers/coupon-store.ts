import { execute, selectOne, selectRows, type Queryable } from '../db/queryable.ts';

// The personal coupons Comeback made in WooCommerce (coupons): whose, for what, and what became of them.

export type NewCouponRow = {
  shopId: number;
  code: string;
  customerKey: string;
  issuedFor: string;
  enrollmentId: number | null;
  step: number | null;
  discountType: string;
  amount: number;
  expiresAt: Date;
};

/** Writes the coupon before WooCommerce has it (coupon_id 0), unless the customer already has one for this purpose. */
export async function insertCouponIfAbsent(db: Queryable, coupon: NewCouponRow): Promise<void> {
  await execute(
    db,
    'INSERT IGNORE INTO coupons (shop_id, coupon_id, code, customer_key, issued_for, enrollment_id, step, discount_type, amount, expires_at) VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?, ?)',
    [
      coupon.shopId,
      coupon.code,
      coupon.customerKey,
      coupon.issuedFor,
      coupon.enrollmentId,
      coupon.step,
      coupon.discountType,
      coupon.amount,
      coupon.expiresAt,
    ],
  );
}

/** The customer's coupon for one purpose; `couponId` is WooCommerce's id, 0 until WooCommerce has it. */
export async function couponIssuedFor(db: Queryable, shopId: number, customerKey: string, issuedFor: string) {
  return selectOne(
    db,
    'SELECT code, coupon_id, expires_at FROM coupons WHERE shop_id = ? AND customer_key = ? AND issued_for = ?',
    [shopId, customerKey, issuedFor],
    (r) => ({
      code: r.str('code'),
      couponId: r.num('coupon_id'),
      expiresAt: r.date('expires_at'),
    }),
  );
}

export async function setWooCouponId(db: Queryable, shopId: number, code: string, couponId: number): Promise<void> {
  await execute(db, 'UPDATE coupons SET coupon_id = ? WHERE shop_id = ? AND code = ?', [couponId, shopId, code]);
}

/** Up to 500 of the shop's coupons expired before `now` and not yet settled (neither used nor removed), oldest first. */
export async function unsettledExpiredCoupons(db: Queryable, shopId: number, now: Date): Promise<Array<{ id: number; couponId: number }>> {
  return selectRows(
    db,
    'SELECT id, coupon_id FROM coupons WHERE shop_id = ? AND expires_at < ? AND coupon_id > 0 AND removed_at IS NULL AND used_at IS NULL ORDER BY expires_at LIMIT 500',
    [shopId, now],
    (r) => ({ id: r.num('id'), couponId: r.num('coupon_id') }),
  );
}

export async function markCouponUsed(db: Queryable, id: number, at: Date): Promise<void> {
  await execute(db, 'UPDATE coupons SET used_at = ? WHERE id = ?', [at, id]);
}

export async function markCouponRemoved(db: Queryable, id: number, at: Date): Promise<void> {
  await execute(db, 'UPDATE coupons SET removed_at = ? WHERE id = ?', [at, id]);
}

/** Records the shop's coupons with these (upper-case) codes as used in the order, unless already credited to one. How many were. */
export async function markCouponsUsedInOrder(db: Queryable, shopId: number, orderId: number, codes: string[], at: Date): Promise<number> {
  const result = await execute(db, 'UPDATE coupons SET used_at = ?, order_id = ? WHERE shop_id = ? AND code IN (?) AND order_id IS NULL', [
    at,
    orderId,
    shopId,
    codes,
  ]);
  return result.affectedRows;
}

/** Active shops (nothing is written into a paused or disconnected one) that have coupons of ours expired and neither used nor removed yet. */
export async function shopsWithExpiredCoupons(db: Queryable): Promise<number[]> {
  return selectRows(
    db,
    `SELECT DISTINCT c.shop_id AS id FROM coupons c JOIN shops s ON s.id = c.shop_id AND s.state = 'active'
     WHERE c.removed_at IS NULL AND c.used_at IS NULL AND c.expires_at < NOW(3)`,
    [],
    (r) => r.num('id'),
  );
}
