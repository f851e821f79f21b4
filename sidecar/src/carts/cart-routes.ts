import { __ } from '@wordpress/i18n';
import { Router } from 'express';
import type { Pool } from 'mysql2/promise';
import { AppError } from '../errors.ts';
import type { AdminRequest } from '../http/admin-auth.ts';
import { validBody } from '../http/json-body.ts';
import { customerKeyOf } from '../customers/customer-key.ts';
import { EDGE_LIMITS, rateLimit } from '../http/rate-limits.ts';
import { captureCart, cartCaptureSchema } from './cart-capture.ts';
import { cartForLinkRef } from './cart-store.ts';
import { shopSecret } from '../woo/shop-store.ts';

/**
 * The plugin's cart calls, signed with the shop's secret like every plugin call:
 * POST /api/carts stores a capture (only with consent); GET /api/carts/:ref answers a restore
 * link with what the plugin needs to rebuild the cart on any device, and the language its notices
 * speak (the message's, else the cart's as captured). The reference is the message's random link
 * reference, never a cart id.
 */
export function cartRoutes(deps: { pool: Pool }): Router {
  const { pool } = deps;
  const router = Router();
  // The plugin sends captures from the shop's server (it limits per shopper IP); here per shop and per address.
  const perShop = rateLimit(EDGE_LIMITS.cartCapturesPerShop);
  const perAddress = rateLimit(EDGE_LIMITS.cartCapturesPerAddress);
  router.post('/carts', async (req: AdminRequest, res) => {
    const capture = validBody(req, cartCaptureSchema, 'invalid_cart');
    await perShop.take(String(req.shopId));
    // Email and phone each: a varied email must not let one number be captured without end.
    for (const address of new Set([customerKeyOf(capture.email, null), customerKeyOf(null, capture.phone, capture.country)]))
      if (address) await perAddress.take(`${req.shopId}:${address}`);
    const stored = await captureCart(pool, req.shopId!, capture, new Date(), { shopSecret: await shopSecret(pool, req.shopId!) });
    if (!stored)
      throw AppError.badRequest(
        'no_consent',
        __('A cart is kept only when the shopper ticked the consent box and gave an email or phone.', 'comeback'),
      );
    res.status(201).json(stored);
  });
  router.get('/carts/:ref', async (req: AdminRequest, res) => {
    const cart = await cartForLinkRef(pool, req.shopId!, String(req.params.ref));
    if (!cart) throw AppError.notFound(__('There is no cart for this link.', 'comeback'));
    res.json({
      items: cart.items.map((i) => ({
        productId: i.productId,
        variationId: i.variationId,
        quantity: i.quantity,
        ...(i.variation ? { variation: i.variation } : {}),
      })),
      email: cart.email,
      phone: cart.phone,
      firstName: cart.firstName,
      country: cart.country,
      locale: cart.messageLanguage ?? cart.locale,
    });
  });
  return router;
}
