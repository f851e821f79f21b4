import type { MessageChannel } from '../../messages/message-channel.ts';
import { selectOne, selectRows, type Queryable } from '../../db/queryable.ts';

/**
 * What a channel fallback reads: the enrollment of the undeliverable message with whether its
 * flow is still on, the channels its step already went out on (outbox), and the coupon the step
 * issued (coupons), which goes with the next channel.
 */

export type FallbackEnrollment = {
  shopId: number;
  flow: string;
  flowVersion: number;
  subjectType: string;
  subjectId: string;
  status: string;
  customerKey: string | null;
  enteredAt: Date;
  /** The flow is switched on (false when it is off or gone). */
  flowEnabled: boolean;
};

export async function fallbackEnrollment(db: Queryable, enrollmentId: number): Promise<FallbackEnrollment | null> {
  return selectOne(
    db,
    'SELECT e.id, e.shop_id, e.flow, e.flow_version, e.subject_type, e.subject_id, e.status, e.customer_key, e.entered_at, f.enabled FROM enrollments e LEFT JOIN flows f ON f.shop_id = e.shop_id AND f.flow_key = e.flow WHERE e.id = ?',
    [enrollmentId],
    (r) => ({
      shopId: r.num('shop_id'),
      flow: r.str('flow'),
      flowVersion: r.num('flow_version'),
      subjectType: r.str('subject_type'),
      subjectId: r.str('subject_id'),
      status: r.str('status'),
      customerKey: r.strOrNull('customer_key'),
      enteredAt: r.date('entered_at'),
      flowEnabled: r.bool('enabled'),
    }),
  );
}

/** The channels a step's messages were queued on. */
export async function channelsOfStep(db: Queryable, enrollmentId: number, step: number): Promise<MessageChannel[]> {
  return selectRows(
    db,
    'SELECT DISTINCT channel FROM outbox WHERE enrollment_id = ? AND step = ?',
    [enrollmentId, step],
    (r) => r.str('channel') as MessageChannel,
  );
}

/** The coupon issued for a step of an enrollment; null when it has none. */
export async function couponOfStep(
  db: Queryable,
  shopId: number,
  enrollmentId: number,
  step: number,
): Promise<{ code: string; expiresAt: Date } | null> {
  return selectOne(
    db,
    'SELECT code, expires_at FROM coupons WHERE shop_id = ? AND enrollment_id = ? AND step = ?',
    [shopId, enrollmentId, step],
    (r) => ({
      code: r.str('code'),
      expiresAt: r.date('expires_at'),
    }),
  );
}
