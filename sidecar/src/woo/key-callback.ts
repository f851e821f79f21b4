import express, { Router } from 'express';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { verifyLinkToken } from '../links/link-token.ts';
import { connectShop } from './shop-connection.ts';
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
export function keyCallbackRouter(deps: { pool: Pool; deliveryUrl: () => string }): Router {
  const router = Router();
  router.post('/woocommerce/keys', express.json({ limit: '16kb' }), async (req, res) => {
    const parsed = keyDelivery.safeParse(req.body);
    if (!parsed.success) throw AppError.badRequest('invalid_key_delivery', 'not a WooCommerce key delivery', parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })));
    const url = normaliseShopUrl(String(req.query.shop ?? ''));
    const [rows] = await deps.pool.query<RowDataPacket[]>('SELECT webhook_secret FROM shops WHERE url = ?', [url]);
    if (!rows[0]) throw AppError.notFound('this shop is not known here: set the sidecar URL and shared secret in the plugin first');
    const claims = verifyLinkToken(parsed.data.user_id, String(rows[0].webhook_secret), Math.floor(Date.now() / 1000));
    if (!claims.ok || claims.kind !== 'connect') throw AppError.unauthorized('the pairing token is missing, wrong or expired: start the connection again from the plugin');
    if (parsed.data.key_permissions !== 'read_write') throw AppError.badRequest('key_read_only', 'Comeback needs a Read/Write key to register its webhooks');
    const { connection } = await connectShop(deps.pool, { url, consumerKey: parsed.data.consumer_key, consumerSecret: parsed.data.consumer_secret }, { deliveryUrl: deps.deliveryUrl() });
    res.json({ connected: connection.connected });
  });
  return router;
}
