import { z } from 'zod';
import { singleEmailAddress } from '../customers/email-address.ts';

/**
 * The fields of a WooCommerce order (webhook body or REST read) that Comeback reads. Unknown
 * fields pass through untouched: the whole payload is kept as the order's snapshot.
 */
const wooDate = z
  .string()
  .nullable()
  .optional()
  .transform((value) => (value ? new Date(`${value.replace(/Z$/, '')}Z`) : null));

export const orderPayload = z.looseObject({
  id: z.number().int().positive(),
  status: z.string().min(1),
  payment_method: z.string().default(''),
  total: z.string().default('0'),
  currency: z.string().length(3).optional(),
  customer_id: z.number().int().nonnegative().default(0),
  created_via: z.string().default(''),
  date_created_gmt: wooDate,
  date_modified_gmt: wooDate,
  date_paid_gmt: wooDate,
  // A billing email that is not exactly one address ("a@x.com, b@y.com") is no address: it would reach several people.
  billing: z
    .looseObject({
      email: z
        .string()
        .default('')
        .transform((v) => singleEmailAddress(v) ?? ''),
      phone: z.string().default(''),
    })
    .default({ email: '', phone: '' }),
});

export type OrderPayload = z.infer<typeof orderPayload>;

/** What WooCommerce sends when an order is trashed: the id alone. */
export const deletedPayload = z.object({ id: z.number().int().positive() });

/**
 * A delivery fired inside a Store API request can carry a signed REST error instead of the
 * resource (e.g. {"code":"rest_no_route",…}): recorded, answered 200, left to reconciliation.
 */
export const errorPayload = z.object({ code: z.string(), message: z.string() });
