import { selectRows, type Queryable } from '../../db/queryable.ts';

/** The orders a reminder preview may render against, when the editor names none. */

export type PreviewOrder = { snapshot: unknown; paymentMethod: string };

/** The shop's newest stored orders with something to pay, newest first, with their payment method and payload as stored. */
export async function newestOrdersToPay(db: Queryable, shopId: number, limit: number): Promise<PreviewOrder[]> {
  return selectRows(
    db,
    'SELECT snapshot, payment_method FROM orders WHERE shop_id = ? AND total > 0 ORDER BY date_created DESC LIMIT ?',
    [shopId, limit],
    (r) => ({
      snapshot: r.json('snapshot'),
      paymentMethod: r.str('payment_method'),
    }),
  );
}
