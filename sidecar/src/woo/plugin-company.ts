import type { Pool, RowDataPacket } from 'mysql2/promise';
import { signRequest } from '../http/admin-auth.ts';
import type { Logger } from '../logger.ts';
import { companySchema, saveCompany, type Company } from './shop-profile.ts';

/**
 * The company data and BACS accounts as the shop's plugin reports them (GET
 * /wp-json/comeback/v1/company, signed with the shared secret for this direction and route). WooCommerce's REST API does not expose the BACS accounts; the plugin reads them where
 * WooCommerce keeps them, so [bank_details] matches the shop's own thank-you page.
 * `?rest_route=` works whatever the shop's permalink settings.
 */
export async function fetchPluginCompany(linkBase: string, secret: string): Promise<Company> {
  const url = new URL(linkBase);
  url.searchParams.set('rest_route', '/comeback/v1/company');
  const signature = signRequest(secret, { direction: 'sidecar-to-plugin', method: 'GET', path: '/comeback/v1/company', body: '' });
  const response = await fetch(url, { headers: { 'x-comeback-signature': signature }, signal: AbortSignal.timeout(10_000) });
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw new Error(`the shop's plugin answered HTTP ${response.status} for its company data: ${JSON.stringify(body)?.slice(0, 300)}`);
  return companySchema.parse(body);
}

/** Part of the periodic sweep: every shop whose plugin is connected refreshes its company data. */
export async function refreshCompaniesFromPlugins(pool: Pool, logger: Logger): Promise<void> {
  const [shops] = await pool.query<RowDataPacket[]>('SELECT id, link_base, webhook_secret FROM shops WHERE link_base IS NOT NULL');
  for (const shop of shops) {
    try {
      await saveCompany(pool, Number(shop.id), await fetchPluginCompany(String(shop.link_base), String(shop.webhook_secret)));
    } catch (error) {
      logger.warn({ err: error, shopId: shop.id }, 'company data from the shop’s plugin could not be read; the stored data stays');
    }
  }
}
