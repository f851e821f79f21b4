import type { Pool } from 'mysql2/promise';
import { loadCompany } from '../../woo/shop-profile.ts';
import type { ShopTextFacts } from './flow-texts.ts';

/** What a save's text rules know of the shop (flow-texts.ts): whether it has BACS bank accounts. */
export async function shopTextFacts(pool: Pool, shopId: number): Promise<ShopTextFacts> {
  return { bankAccounts: ((await loadCompany(pool, shopId))?.bankAccounts.length ?? 0) > 0 };
}
