import { __ } from '@wordpress/i18n';
import { Router } from 'express';
import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { requireAdminToken, requireShop, type AdminRequest } from '../http/admin-auth.ts';
import { jsonBody, validBody } from '../http/json-body.ts';
import type { Logger } from '../logger.ts';
import { checkMerchantUrl, type MerchantNet } from './merchant-url.ts';
import { flagActiveMarks } from './order-mark-store.ts';
import { connectShop, registerShop, shopConnection } from './shop-connection.ts';
import { refreshProfileFromPlugin } from './plugin-profile.ts';
import { companySchema, loadCompany, saveCompany } from './shop-profile.ts';
import { listShops, setShopLinkBase, shopSecret } from './shop-store.ts';

const credentials = z.object({
  consumerKey: z
    .string()
    .trim()
    .regex(/^ck_[A-Za-z0-9]{20,64}$/, { error: () => __('a WooCommerce consumer key starts with ck_', 'comeback') }),
  consumerSecret: z
    .string()
    .trim()
    .regex(/^cs_[A-Za-z0-9]{20,64}$/, { error: () => __('a WooCommerce consumer secret starts with cs_', 'comeback') }),
});
const shopOnly = z.object({
  url: z.url({ protocol: /^https?$/, error: () => __('the shop URL must be an http(s) address', 'comeback') }),
  name: z.string().trim().min(1).max(200).optional(),
});
const shopWithKey = shopOnly.extend(credentials.shape);

const pluginRegistration = z.object({
  linkBase: z
    .url({ protocol: /^https?$/, error: () => __('the shop address the plugin answers links at, http(s)', 'comeback') })
    .nullable(),
});

export type ShopRoutesDeps = { pool: Pool; deliveryUrl: () => string; net: MerchantNet; logger?: Logger };
/** GET /api/shops: the shops this sidecar serves, for the admin UI outside WordPress to pick one. */
export type ShopList = { items: Array<{ id: number; url: string; name: string | null; demo: boolean }> };

/**
 * Connecting shops and what the merchant sees about the connection.
 * - POST /api/shops (admin token): URL + REST key; the key is tried, the shop stored, the order
 *   webhooks registered. Answers the connection and the shared secret the plugin signs with. With
 *   the URL alone the shop is only registered (the plugin's one-click connect brings the key).
 * - GET /api/shops (admin token): the shops this sidecar serves.
 * - GET /api/shop/connection: webhooks, last reconciliation, the last error.
 * - PUT /api/shop/connection: new REST key for this shop (the plugin's one-click connect), same checks.
 * - PUT /api/shop/plugin: where the shop's plugin answers payment links (links on the shop's domain).
 * - GET/PUT /api/settings/company: the company data and bank accounts for bank-transfer reminders.
 */
export function shopRoutes(deps: ShopRoutesDeps): Router {
  const router = Router();
  router.post('/shops', requireAdminToken, async (req: AdminRequest, res) => {
    const body = jsonBody(req) as Record<string, unknown> | null;
    if (body && typeof body === 'object' && !('consumerKey' in body) && !('consumerSecret' in body)) {
      // Without a key: the shop is registered and its shared secret answered, for the plugin,
      // whose one-click connect then has WooCommerce hand the key over (woo/key-callback.ts).
      const shop = validBody(req, shopOnly);
      await checkMerchantUrl(shop.url, 'The shop URL', deps.net);
      const { shopId, sharedSecret } = await registerShop(deps.pool, shop.url, shop.name);
      res.status(201).json({ ...(await shopConnection(deps.pool, shopId)), sharedSecret });
      return;
    }
    const input = validBody(req, shopWithKey);
    await checkMerchantUrl(input.url, 'The shop URL', deps.net);
    const { connection, sharedSecret } = await connectShop(deps.pool, input, {
      deliveryUrl: deps.deliveryUrl(),
      net: deps.net,
      logger: deps.logger,
    });
    res.status(201).json({ ...connection, sharedSecret });
  });
  // The admin UI without WordPress: which shops this sidecar serves, to pick one.
  router.get('/shops', requireAdminToken, async (_req: AdminRequest, res) => {
    res.json({ items: await listShops(deps.pool) });
  });
  router.get('/shop/connection', requireShop, async (req: AdminRequest, res) => {
    res.json(await shopConnection(deps.pool, req.shopId!));
  });
  router.put('/shop/connection', requireShop, async (req: AdminRequest, res) => {
    const input = validBody(req, credentials);
    const { shop } = await shopConnection(deps.pool, req.shopId!);
    const { connection } = await connectShop(
      deps.pool,
      { ...input, url: shop.url },
      { deliveryUrl: deps.deliveryUrl(), demo: shop.demo, net: shop.demo ? { allowPrivate: true } : deps.net, logger: deps.logger },
    );
    res.json(connection);
  });
  // The plugin tells where it answers payment links (its home URL); null turns that off.
  router.put('/shop/plugin', requireShop, async (req: AdminRequest, res) => {
    const { linkBase } = validBody(req, pluginRegistration);
    if (linkBase) await checkMerchantUrl(linkBase, 'The plugin URL', deps.net);
    await setShopLinkBase(deps.pool, req.shopId!, linkBase);
    // Orders already in recovery get their auto-cancel reprieve mark now that a plugin reads it.
    if (linkBase) await flagActiveMarks(deps.pool, req.shopId!);
    res.json({ linkBase });
    // The plugin also reports the shop's BACS accounts and formats: read them now rather than at the next sweep.
    if (linkBase) {
      const secret = (await shopSecret(deps.pool, req.shopId!))!;
      refreshProfileFromPlugin(deps.pool, req.shopId!, linkBase, secret, deps.net).catch(() => undefined); // the sweep tries again and logs why
    }
  });
  router.get('/settings/company', requireShop, async (req: AdminRequest, res) => {
    res.json(await loadCompany(deps.pool, req.shopId!));
  });
  router.put('/settings/company', requireShop, async (req: AdminRequest, res) => {
    await saveCompany(deps.pool, req.shopId!, validBody(req, companySchema, 'invalid_company'));
    res.json(await loadCompany(deps.pool, req.shopId!));
  });
  return router;
}
