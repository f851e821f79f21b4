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

/**
 * The order's own language and the customer's WordPress locale, as the order payload carries them:
 * `comeback_language` and `customer_locale`, added by our plugin (Comeback_Languages, through
 * woocommerce_rest_prepare_shop_order_object, which webhooks use too), else the multilingual
 * plugin's own order meta, which WooCommerce lists in `meta_data` (every meta but its own internal
 * keys, WC_Data_Store_WP::exclude_internal_meta_keys): TranslatePress's `trp_language`, a WordPress locale
 * (TRP_Woocommerce_Emails::save_language_on_checkout), and WPML's `wpml_language`, a WPML language
 * code such as "pl" (WooCommerce Multilingual, WCML_Orders::KEY_LANGUAGE, set_order_language).
 * A code is made a locale when a message's language is chosen (customers/message-language.ts).
 */
export function orderLanguageOf(order: OrderPayload): { language: string | null; customerLocale: string | null } {
  const reported = languageReport.safeParse(order.comeback_language);
  const meta = metaData.safeParse(order.meta_data);
  const metaValue = (key: string) => {
    const value = meta.success ? meta.data.find((m) => m.key === key)?.value : undefined;
    return typeof value === 'string' && value.trim() ? value.trim().slice(0, 32) : null;
  };
  const customerLocale = typeof order.customer_locale === 'string' && order.customer_locale.trim() ? order.customer_locale.trim() : null;
  return {
    language: (reported.success ? reported.data.locale : null) ?? metaValue('trp_language') ?? metaValue('wpml_language'),
    customerLocale: customerLocale?.slice(0, 32) ?? null,
  };
}

const languageReport = z.object({ locale: z.string().trim().min(2).max(32) });
const metaData = z.array(z.object({ key: z.string(), value: z.unknown() }).loose());
