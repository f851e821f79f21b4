/**
 * What WooCommerce's order statuses mean to Comeback, in one place for every room that asks.
 * (Paid is not `date_paid` alone: cash on delivery is processing before it is paid, and any move
 * to processing sets date_paid — see flows/entry/unpaid-eligibility.ts.)
 */

/** WooCommerce's paid statuses. */
export const PAID_STATUSES = new Set(['processing', 'completed']);

/** An order in one of these is gone, and the reason a flow about it ends is named so. */
export const GONE_REASONS: Readonly<Record<string, string>> = {
  cancelled: 'cancelled',
  refunded: 'refunded',
  trash: 'trashed',
  deleted: 'deleted',
};

/** After these no flow about the order goes on (the gone ones, and a gateway's permanent failure). */
export const ENDED_STATUSES = new Set([...Object.keys(GONE_REASONS), 'failed-permanently']);

/**
 * The order of an order's life: when two deliveries share their second, the status further along
 * wins (a quick pending → cancelled shares its second with the pending).
 */
export const STATUS_PROGRESS = [
  'checkout-draft',
  'pending',
  'on-hold',
  'failed',
  'processing',
  'completed',
  'cancelled',
  'refunded',
] as const;
