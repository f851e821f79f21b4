import { __ } from '@wordpress/i18n';
import type { MerchantNet } from './merchant-url.ts';
import { Router } from 'express';
import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { requireShop, type AdminRequest } from '../http/admin-auth.ts';
import { jsonBody, validate, validBody } from '../http/json-body.ts';
import type { Logger } from '../logger.ts';
import type { ShopClients } from './shop-clients.ts';
import { disconnectShop, pauseShop, resumeShop, type DisconnectResult } from './shop-lifecycle.ts';
import type { ShopState } from './shop-state-store.ts';

const pauseBody = z.object({ reason: z.enum(['merchant', 'plugin-deactivated']).default('merchant') }).default({ reason: 'merchant' });
const resumeBody = z.object({ reason: z.enum(['merchant', 'plugin-activated']).default('merchant') }).default({ reason: 'merchant' });
const disconnectBody = z.object({
  data: z.enum(['keep', 'erase'], { error: () => __('say whether the shop’s data is kept or erased: "keep" or "erase"', 'comeback') }),
  reason: z.enum(['merchant', 'plugin-uninstalled']).default('merchant'),
});

/** Pause and resume may come without a body (the defaults). */
const optionalBody = <T extends z.ZodType>(req: AdminRequest, schema: T): z.output<T> =>
  validate(
    schema,
    req.rawBody?.toString('utf8').trim() ? jsonBody(req) : undefined,
    'invalid_body',
    __('the request body is not valid', 'comeback'),
  );

/** What pause and resume answer: the shop's state now. */
export type ShopStateAnswer = { state: ShopState['state']; reason: ShopState['reason']; changedAt: Date | null };
/** What a disconnect answers. */
export type ShopDisconnect = DisconnectResult;
const stateView = (s: ShopState): ShopStateAnswer => ({ state: s.state, reason: s.reason, changedAt: s.changedAt });

/**
 * A shop's lifecycle, by the merchant (Connection screen, API) or its plugin (deactivated,
 * activated, uninstalled), signed like every /api/shop/* route:
 * - POST /api/shop/pause {reason?}: nobody enters, waiting messages held; 409 for a disconnected shop.
 * - POST /api/shop/resume {reason?}: held work goes out once; `plugin-activated` lifts only the plugin's pause.
 * - POST /api/shop/disconnect {data: keep|erase, reason?}: webhooks deleted over REST, waiting messages
 *   cancelled, marks cleared, the REST key forgotten; `erase` deletes every row of the shop.
 */
export function shopLifecycleRoutes(deps: {
  pool: Pool;
  logger: Logger;
  deliveryUrl: () => string;
  kick: () => void;
  wooClient: ShopClients;
  net: MerchantNet;
}): Router {
  const router = Router();
  router.post('/shop/pause', requireShop, async (req: AdminRequest, res) => {
    const { reason } = optionalBody(req, pauseBody);
    res.json(stateView(await pauseShop(deps, req.shopId!, reason)));
  });
  router.post('/shop/resume', requireShop, async (req: AdminRequest, res) => {
    const { reason } = optionalBody(req, resumeBody);
    res.json(stateView(await resumeShop(deps, req.shopId!, reason)));
  });
  router.post('/shop/disconnect', requireShop, async (req: AdminRequest, res) => {
    const { data, reason } = validBody(req, disconnectBody);
    const result = await disconnectShop(deps, req.shopId!, { data, reason });
    deps.wooClient.invalidate(); // the forgotten key is not used from a cached client
    res.json(result satisfies ShopDisconnect);
  });
  return router;
}
