import { z } from 'zod';

/**
 * WooCommerce's own offline payment methods (9.9.5 src/Internal/Admin/Settings/PaymentsProviders.php,
 * PaymentsProviders::OFFLINE_METHODS: WC_Gateway_BACS::ID, WC_Gateway_Cheque::ID, WC_Gateway_COD::ID).
 */
export const WOO_OFFLINE_METHODS = ['bacs', 'cheque', 'cod'] as const;

/**
 * One of the shop's payment gateways as a reminder needs it: its id, the title the
 * customer saw at checkout, the instructions the merchant set for it (what WooCommerce adds to
 * the thank-you page and its emails; '' when none) whether it is paid offline, and whether checkout offers it now ('' as title when WooCommerce gave none: gatewayTitle words it).
 */
export const paymentGatewaySchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  title: z.string().max(200),
  instructions: z.string().max(5_000).default(''),
  offline: z.boolean(),
  /** Whether checkout offers it now; a disabled one is kept for its title (an older order names it). */
  enabled: z.boolean().default(true),
});
export const paymentGatewaysSchema = z.array(paymentGatewaySchema).max(100);
export type PaymentGateway = z.infer<typeof paymentGatewaySchema>;

/** A gateway as `GET wc/v3/payment_gateways` answers it (the fields we read). */
export const restGatewaySchema = z.looseObject({
  id: z.string(),
  title: z.string().nullable().optional(),
  enabled: z.boolean(),
  method_title: z.string().nullable().optional(),
  settings: z.union([z.record(z.string(), z.looseObject({ value: z.unknown() })), z.array(z.unknown())]).optional(),
});
export type RestGateway = z.infer<typeof restGatewaySchema>;

/**
 * The gateways of a `GET wc/v3/payment_gateways` answer, enabled or not (WooCommerce 9.9.5
 * includes/rest-api/Controllers/Version3/class-wc-rest-payment-gateways-controller.php,
 * prepare_item_for_response: id, title, enabled, method_title, settings keyed by field id, each with
 * its `value`; get_settings answers '' for a value never saved, and an empty settings list is
 * `[]`, PHP's empty array). Instructions are the `instructions` setting (cheque, cod, bacs).
 */
export function gatewaysFromRest(list: RestGateway[]): PaymentGateway[] {
  return list
    .filter((g) => /^[A-Za-z0-9_-]{1,64}$/.test(g.id))
    .map((g) => {
      const settings = Array.isArray(g.settings) ? {} : (g.settings ?? {});
      const instructions = settings.instructions?.value;
      return {
        id: g.id,
        title: (g.title || g.method_title || '').slice(0, 200),
        instructions: typeof instructions === 'string' ? instructions.slice(0, 5_000) : '',
        offline: (WOO_OFFLINE_METHODS as readonly string[]).includes(g.id),
        enabled: g.enabled,
      };
    });
}
