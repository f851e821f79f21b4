import { getFromMerchant, type MerchantNet } from './merchant-url.ts';
import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { signRequest } from '../http/admin-auth.ts';
import type { Logger } from '../logger.ts';
import { shopFormatsSchema } from '../messages/shop-formats.ts';
import { localeSchema } from '../messages/message-templates.ts';
import { shopEmailSchema } from '../messages/shop-email.ts';
import { paymentGatewaysSchema } from './payment-gateways.ts';
import {
  companySchema,
  saveCompany,
  saveFormats,
  savePaymentGateways,
  saveShopEmail,
  saveShopLanguages,
  saveShopName,
} from './shop-profile.ts';
import { shopsWithPlugin } from './shop-store.ts';
import { countProfileFailure, markShopPaused, markShopResumed, resetProfileFailures } from './shop-state-store.ts';

const PROFILE_ROUTE = '/comeback/v1/shop-profile';

/** `name`: the site title, decoded as WordPress shows it (get_bloginfo('name') is stored HTML-escaped); plugins before it sent none. */
const pluginProfileSchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  company: companySchema,
  formats: shopFormatsSchema,
  /** WooCommerce's email sender options and template colours; plugins before it sent none. */
  email: shopEmailSchema.optional(),
  /** The enabled payment gateways (WC()->payment_gateways()): id, title, instructions, offline; plugins before it sent none. */
  gateways: paymentGatewaysSchema.optional(),
  /**
   * The languages the shop sells in, as WordPress locales (the multilingual plugin's list, else the
   * installed languages and the site's): a language code an order or a profile names is made the
   * shop's locale of it. Plugins before it sent none; a malformed list is ignored, never the profile.
   */
  languages: z
    .array(z.string())
    .max(200)
    .optional()
    .catch(undefined)
    .transform((list) => list?.filter((l) => localeSchema.safeParse(l).success)),
});
export type PluginProfile = z.infer<typeof pluginProfileSchema>;

/**
 * What messages show about the shop, as its plugin reports it (GET /wp-json/comeback/v1/shop-profile,
 * signed with the shared secret for this direction and route): the shop's name (its site title), the company data and BACS accounts
 * (WooCommerce's REST API does not expose the accounts), and how the shop writes prices and dates
 * with its own translations, and its enabled payment gateways with the instructions the merchant set. So
 * [bank_details], [payment_instructions], [order_total] and [order_date] match the shop's pages.
 * `?rest_route=` works whatever the shop's permalink settings.
 */
export async function fetchPluginProfile(linkBase: string, secret: string, net: MerchantNet): Promise<PluginProfile> {
  const url = new URL(linkBase);
  url.searchParams.set('rest_route', PROFILE_ROUTE);
  const signature = signRequest(secret, { direction: 'sidecar-to-plugin', method: 'GET', path: PROFILE_ROUTE, body: '' });
  const response = await getFromMerchant(url, net, { headers: { 'x-comeback-signature': signature }, timeoutMs: 10_000 });
  // The status only: the body of an answer is never repeated (the address is the plugin's to give).
  if (response.status < 200 || response.status > 299)
    throw new Error(`the shop's plugin answered HTTP ${response.status} for its shop profile`);
  const profile = pluginProfileSchema.safeParse(response.json);
  if (!profile.success) throw new Error('the shop’s plugin answered something that is not its shop profile');
  return profile.data;
}

/** Fetches and stores one shop's profile from its plugin. */
export async function refreshProfileFromPlugin(
  pool: Pool,
  shopId: number,
  linkBase: string,
  secret: string,
  net: MerchantNet,
): Promise<void> {
  const profile = await fetchPluginProfile(linkBase, secret, net);
  if (profile.name) await saveShopName(pool, shopId, profile.name);
  await saveCompany(pool, shopId, profile.company);
  await saveFormats(pool, shopId, profile.formats);
  if (profile.email) await saveShopEmail(pool, shopId, profile.email, 'plugin');
  if (profile.gateways) await savePaymentGateways(pool, shopId, profile.gateways);
  if (profile.languages) await saveShopLanguages(pool, shopId, profile.languages);
}

/**
 * Part of the periodic sweep: every shop whose plugin is connected refreshes its profile. The
 * signed profile endpoint is also how a plugin deleted without telling is noticed: after
 * `unreachableAfter` failed sweeps in a row an active shop is paused (reason plugin-unreachable;
 * the alert checks raise the alert) and its webhooks are no longer repaired. A success resets the
 * count, and lifts a pause it caused (the shop was only down for a while).
 */
export async function refreshProfilesFromPlugins(
  pool: Pool,
  logger: Logger,
  options: { unreachableAfter: number; net: MerchantNet },
): Promise<void> {
  for (const shop of await shopsWithPlugin(pool)) {
    try {
      await refreshProfileFromPlugin(pool, shop.id, shop.linkBase, shop.secret, options.net);
      await resetProfileFailures(pool, shop.id);
      if (shop.state === 'paused' && (await markShopResumed(pool, shop.id, new Date(), ['plugin-unreachable'])))
        logger.info({ shopId: shop.id, state: 'active', reason: 'plugin answering again' }, 'shop state changed');
    } catch (error) {
      logger.warn({ err: error, shopId: shop.id }, 'the shop profile from the shop’s plugin could not be read; the stored one stays');
      if (shop.state !== 'active') continue;
      const failures = await countProfileFailure(pool, shop.id);
      if (failures >= options.unreachableAfter && (await markShopPaused(pool, shop.id, 'plugin-unreachable', new Date())))
        logger.info({ shopId: shop.id, state: 'paused', reason: 'plugin-unreachable', failures }, 'shop state changed');
    }
  }
}
