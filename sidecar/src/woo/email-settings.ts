import type { Pool } from 'mysql2/promise';
import { shopEmailSchema, WOO_EMAIL_OPTIONS, type ShopEmail } from '../messages/shop-email.ts';
import { decodeBlogname } from './site-title.ts';
import type { WooClient } from './rest-client.ts';
import { loadShopEmail, saveShopEmail } from './shop-profile.ts';

/**
 * The shop's email sender and colours from WooCommerce's REST settings (`GET settings/email`, the
 * "email" group WC_Register_WP_Admin_Settings registers for WC_Settings_Emails), for a shop without
 * the plugin. The REST answer has no header image (see WooClient.emailSettings), so a stored one is
 * kept. The "From" name is stored as WordPress's sanitize_option() left it: decoded as
 * WC_Email::get_from_name() does (wp_specialchars_decode( …, ENT_QUOTES )).
 */
export function shopEmailFromRest(settings: Record<string, string>, stored: ShopEmail | null): ShopEmail {
  const value = (key: keyof ShopEmail) => {
    const raw = settings[WOO_EMAIL_OPTIONS[key]]?.trim();
    return raw ? raw : undefined;
  };
  const fromName = value('fromName');
  return shopEmailSchema.parse({
    fromName: fromName === undefined ? undefined : decodeBlogname(fromName),
    fromAddress: value('fromAddress'),
    baseColor: value('baseColor'),
    backgroundColor: value('backgroundColor'),
    bodyBackgroundColor: value('bodyBackgroundColor'),
    textColor: value('textColor'),
    headerImage: stored?.headerImage,
  });
}

/** Part of the sweep for a shop with a REST key and no plugin (the plugin's profile says the same, header image included). */
export async function refreshEmailFromRest(pool: Pool, shopId: number, client: Pick<WooClient, 'emailSettings'>): Promise<void> {
  const settings = await client.emailSettings();
  await saveShopEmail(pool, shopId, shopEmailFromRest(settings, await loadShopEmail(pool, shopId)), 'rest');
}
