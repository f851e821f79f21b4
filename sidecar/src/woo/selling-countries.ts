import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import type { WooClient } from './rest-client.ts';
import { loadDocument, saveDocument } from './shop-profile.ts';

const country = z.string().regex(/^[A-Z]{2}$/);

/** Where the shop sells, as WooCommerce's "Selling location(s)" says (read when the shop connects, and by each sweep). */
export const sellingCountriesSchema = z.object({
  mode: z.enum(['all', 'all_except', 'specific']),
  countries: z.array(country),
});
export type SellingCountries = z.output<typeof sellingCountriesSchema>;

const SELLING_KEY = 'selling-countries';

export async function loadSellingCountries(pool: Pool, shopId: number): Promise<SellingCountries | null> {
  return loadDocument(pool, shopId, SELLING_KEY, sellingCountriesSchema);
}

export async function saveSellingCountries(pool: Pool, shopId: number, selling: SellingCountries): Promise<void> {
  await saveDocument(pool, shopId, SELLING_KEY, sellingCountriesSchema, selling);
}

/**
 * The selling countries from WooCommerce's `GET settings/general` (values as the REST client
 * keeps them: text, a multiselect as its JSON). WooCommerce decides them in
 * WC_Countries::get_allowed_countries() (plugins/woocommerce/includes/class-wc-countries.php):
 * `woocommerce_allowed_countries` "all_except" is every country but
 * `woocommerce_all_except_countries`, "specific" only `woocommerce_specific_allowed_countries`,
 * anything else every country.
 */
export function sellingCountriesFromGeneralSettings(general: Record<string, string>): SellingCountries {
  const list = (key: string): string[] => {
    try {
      const value: unknown = JSON.parse(general[key] || '[]');
      return Array.isArray(value) ? value.filter((c): c is string => typeof c === 'string' && /^[A-Z]{2}$/.test(c)) : [];
    } catch {
      return [];
    }
  };
  const mode = general.woocommerce_allowed_countries;
  if (mode === 'all_except') return { mode, countries: list('woocommerce_all_except_countries') };
  if (mode === 'specific') return { mode, countries: list('woocommerce_specific_allowed_countries') };
  return { mode: 'all', countries: [] };
}

/** Reads the selling countries again over REST (the sweep: a merchant may change them in WooCommerce). */
export async function refreshSellingCountries(pool: Pool, shopId: number, client: Pick<WooClient, 'generalSettings'>): Promise<void> {
  await saveSellingCountries(pool, shopId, sellingCountriesFromGeneralSettings(await client.generalSettings()));
}
