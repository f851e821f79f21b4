import { __ } from '@wordpress/i18n';
import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import type { Pool } from 'mysql2/promise';
import { AppError } from '../errors.ts';
import { requireShop, type AdminRequest } from '../http/admin-auth.ts';
import type { Logger } from '../logger.ts';
import type { MerchantNet } from './merchant-url.ts';
import { loadShopClient } from './rest-client.ts';
import { resecretShopWebhooks, type WebhookState } from './shop-connection.ts';
import { forgetShopSecrets } from './shop-secrets.ts';
import { shopState } from './shop-state-store.ts';
import { pendingSecret, promoteNextSecret, setNextSecret } from './shop-store.ts';

/** What a rotate answers: the new secret, shown this once. */
export type SecretRotation = { secret: string };
/**
 * What a confirm answers: when the new secret became the shop's, the webhooks it was given to, and
 * how many days links signed with the old secret may still be in customers' inboxes (the plugin
 * verifies them with the old secret until then).
 */
export type SecretConfirmation = { rotatedAt: string; webhooks: WebhookState[]; linkTtlDays: number };

/**
 * Rotating the shop's shared secret with an overlap, signed like every /api/shop/* route:
 * - POST /api/shop/secret/rotate (the plugin signing with the current secret, or the admin token):
 *   a fresh secret, answered once and stored sealed as the pending one (a second rotate replaces it).
 *   Until the confirm, requests signed with either secret verify; the sidecar still signs its own
 *   requests to the plugin with the current one.
 * - POST /api/shop/secret/confirm (the plugin signing with the NEW secret, or the admin token):
 *   the shop's WooCommerce webhooks get the new secret over REST, then it becomes the shop's and the
 *   old one is forgotten but for webhooks already on their way (a few minutes, woo/shop-secrets.ts).
 *   A failed webhook update changes nothing: both secrets stay valid and the confirm can be retried.
 * A paused or disconnected shop is not rotated (nothing may be written into it): 409.
 */
export function secretRotationRoutes(deps: {
  pool: Pool;
  deliveryUrl: () => string;
  net: MerchantNet;
  linkTtlDays: number;
  logger?: Logger;
}): Router {
  const router = Router();
  const activeShop = async (shopId: number) => {
    const state = (await shopState(deps.pool, shopId))?.state;
    if (state !== 'active')
      throw new AppError(
        'shop_not_active',
        state === 'paused'
          ? __('this shop is paused: resume it before rotating its shared secret', 'comeback')
          : __('this shop is not connected: connect it again before rotating its shared secret', 'comeback'),
        409,
      );
  };
  router.post('/shop/secret/rotate', requireShop, async (req: AdminRequest, res) => {
    if (req.auth === 'plugin' && req.signedWith !== 'current')
      throw new AppError('forbidden', __('a rotation is started with the current secret; confirm the new one instead', 'comeback'), 403);
    await activeShop(req.shopId!);
    const secret = randomBytes(32).toString('base64url');
    await setNextSecret(deps.pool, req.shopId!, secret);
    forgetShopSecrets();
    deps.logger?.info({ shopId: req.shopId, by: req.auth }, 'shared secret rotation started');
    res.set('cache-control', 'no-store').json({ secret } satisfies SecretRotation);
  });
  router.post('/shop/secret/confirm', requireShop, async (req: AdminRequest, res) => {
    if (req.auth === 'plugin' && req.signedWith !== 'next')
      throw new AppError('forbidden', __('the confirm must be signed with the new secret the rotate answered', 'comeback'), 403);
    await activeShop(req.shopId!);
    const pending = await pendingSecret(deps.pool, req.shopId!);
    if (!pending) throw new AppError('no_rotation', __('no new secret is waiting for its confirmation: rotate first', 'comeback'), 409);
    const client = await loadShopClient(deps.pool, req.shopId!, deps.net);
    let webhooks: WebhookState[] = [];
    if (client) {
      try {
        webhooks = await resecretShopWebhooks(deps.pool, req.shopId!, client, { deliveryUrl: deps.deliveryUrl(), secret: pending.secret });
      } catch (error) {
        deps.logger?.warn({ shopId: req.shopId, err: (error as Error).message }, 'shared secret not confirmed: webhooks not updated');
        throw new AppError(
          'webhooks_not_updated',
          __(
            'the shop’s WooCommerce webhooks could not be given the new secret; both secrets stay valid, try the confirm again',
            'comeback',
          ),
          502,
          true,
        );
      }
    }
    const at = new Date();
    if (!(await promoteNextSecret(deps.pool, req.shopId!, pending.stored, at)))
      throw new AppError('no_rotation', __('another rotation replaced this new secret meanwhile: rotate again', 'comeback'), 409);
    forgetShopSecrets();
    deps.logger?.info({ shopId: req.shopId, webhooks: webhooks.length }, 'shared secret rotated');
    res.json({ rotatedAt: at.toISOString(), webhooks, linkTtlDays: deps.linkTtlDays } satisfies SecretConfirmation);
  });
  return router;
}
