import type { MerchantNet } from './merchant-url.ts';
import express, { Router } from 'express';
import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { validate } from '../http/json-body.ts';
import type { Logger } from '../logger.ts';
import { verifyLinkToken } from '../links/link-token.ts';
import { connectShop } from './shop-connection.ts';
import { recentSecrets, shopSecretCache } from './shop-secrets.ts';
import { normaliseShopUrl } from './webhook-route.ts';

/** What WooCommerce's /wc-auth/v1/authorize POSTs to the callback once the merchant approves. */
const keyDelivery = z.object({
  key_id: z.coerce.number().int().positive(),
  user_id: z.string().min(1),
  consumer_key: z.string().regex(/^ck_[A-Za-z0-9]{20,64}$/),
  consumer_secret: z.string().regex(/^cs_[A-Za-z0-9]{20,64}$/),
  key_permissions: z.enum(['read', 'write', 'read_write']),
});

/**
 * POST /woocommerce/keys?shop=<shop URL>: one-click connect. The plugin sends the merchant to
 * WooCommerce's own app-authorisation screen with this as callback_url and, as `user_id`, a
 * pairing token it signed with the shop's shared secret (kind "connect", fifteen minutes). When
 * the merchant approves, WooCommerce creates a Read/Write key and POSTs it here; the token proves
 * the key is for the shop named, and the shop is connected as POST /api/shops would (key tried,
 * webhooks registered). WooCommerce requires the callback over https in production.
 */
export function keyCallbackRoutes(deps: { pool: Pool; deliveryUrl: () => string; net: MerchantNet; logger?: Logger }): Router {
  const router = Router();
  const shops = shopSecretCache(deps.pool);
  router.post('/woocommerce/keys', express.json({ limit: '16kb' }), async (req, res) => {
    const delivery = validate(keyDelivery, req.body, 'invalid_key_delivery', 'not a WooCommerce key delivery');
    const url = normaliseShopUrl(typeof req.query.shop === 'string' ? req.query.shop : '');
    // An unknown shop answers as a wrong token does: the callback must not tell which shops are here.
    const shop = await shops(url);
    const nowS = Math.floor(Date.now() / 1000);
    const claims = shop
      ? recentSecrets(shop, new Date())
          .map((secret) => verifyLinkToken(delivery.user_id, secret, nowS))
          .find((c) => c.ok)
      : undefined;
    if (!shop || !claims?.ok || claims.kind !== 'connect')
      throw AppError.unauthorized(
        'the pairing token is missing, wrong or expired, or the plugin has not set this sidecar up yet: start the connection again from the plugin',
      );
    if (delivery.key_permissions !== 'read_write')
      throw AppError.badRequest('key_read_only', 'Comeback needs a Read/Write key to register its webhooks');
    const { connection } = await connectShop(
      deps.pool,
      { url, consumerKey: delivery.consumer_key, consumerSecret: delivery.consumer_secret },
      { deliveryUrl: deps.deliveryUrl(), net: deps.net, logger: deps.logger },
    );
    res.json({ connected: connection.connected });
  });
  return router;
}
