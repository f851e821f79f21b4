import { isSuppressed } from '../privacy/suppression-store.ts';
import { z } from 'zod';
import { hashIp, recordConsent } from '../consent/consent.ts';
import type { Queryable } from '../db/queryable.ts';
import { customerKeyOf } from '../customers/customer-key.ts';
import { newLinkRef } from '../links/link-token.ts';
import { cartRefBySession, upsertCartCapture } from './cart-store.ts';

const money = z.string().regex(/^-?\d+(\.\d+)?$/, 'a decimal string such as "12.50"');

/** What the plugin sends when a shopper who ticked the consent box types their contact details. */
export const cartCaptureSchema = z
  .object({
    sessionKey: z.string().regex(/^[a-f0-9]{16,64}$/, 'a hex session key'),
    email: z.string().email().max(255).optional().nullable(),
    phone: z.string().max(32).optional().nullable(),
    firstName: z.string().max(128).optional().nullable(),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional()
      .nullable(),
    locale: z.string().max(16).optional().nullable(),
    consent: z.object({
      granted: z.boolean(),
      text: z.string().min(1).max(1000),
      channels: z
        .array(z.enum(['email', 'sms', 'whatsapp']))
        .min(1)
        .max(3),
    }),
    items: z
      .array(
        z.object({
          productId: z.number().int().positive(),
          variationId: z.number().int().min(0).default(0),
          quantity: z.number().positive(),
          name: z.string().max(500),
          sku: z.string().max(100).optional().nullable(),
          price: money,
          total: money,
          stock: z.number().int().nullable().optional(),
          image: z.string().max(2000).optional().nullable(),
          variation: z.record(z.string(), z.string()).optional(),
        }),
      )
      .min(1)
      .max(200),
    total: money,
    currency: z.string().regex(/^[A-Z]{3}$/),
    source: z.enum(['classic', 'store-api']),
    /** The shopper's IP: kept only hashed with the shop's secret, as the proof of the cart consent. */
    ip: z.string().max(64).optional().nullable(),
    capturedAt: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((c) => c.email || c.phone, { message: 'an email or a phone number is needed', path: ['email'] });
export type CartCapture = z.infer<typeof cartCaptureSchema>;
export type CartItem = CartCapture['items'][number];

/**
 * Stores a capture: one row per shopper session, updated as they change the cart or their
 * details (a cart already abandoned keeps its flow; the restore link shows the latest contents).
 * Nothing is kept without consent, nor for an address erased on request; the consent itself is recorded per channel
 * (purpose cart) with its
 * wording. Returns the cart's reference.
 */
export async function captureCart(
  db: Queryable,
  shopId: number,
  capture: CartCapture,
  now = new Date(),
  proof: { shopSecret?: string | null } = {},
): Promise<{ ref: string } | null> {
  if (!capture.consent.granted) return null;
  const customerKey = customerKeyOf(capture.email, capture.phone, capture.country);
  if (!customerKey) return null;
  // Someone erased on request is never kept again, whoever types their address.
  const addresses = [customerKeyOf(capture.email, null), customerKeyOf(null, capture.phone, capture.country)];
  if (await isSuppressed(db, shopId, addresses)) return null;
  const at = capture.capturedAt ? new Date(capture.capturedAt) : now;
  await upsertCartCapture(db, {
    shopId,
    sessionKey: capture.sessionKey,
    // Used only when the session's row is new: a cart keeps the reference its links carry.
    ref: newLinkRef(),
    email: capture.email?.toLowerCase() ?? null,
    phone: capture.phone ?? null,
    customerKey,
    firstName: capture.firstName ?? null,
    country: capture.country ?? null,
    locale: capture.locale ?? null,
    items: capture.items,
    total: capture.total,
    currency: capture.currency,
    source: capture.source,
    lastActivityAt: at,
  });
  for (const channel of capture.consent.channels) {
    const address = channel === 'email' ? capture.email : capture.phone;
    if (!address) continue;
    // Cart reminders only: the box says so. It never lifts the customer's own withdrawal (consent-rules.ts),
    // and the shop's capture time is kept as claimed, not used to order it.
    await recordConsent(db, {
      shopId,
      purpose: 'cart',
      channel,
      address: channel === 'email' ? address : (customerKeyOf(null, address, capture.country) ?? address),
      status: 'granted',
      source: 'checkout',
      text: capture.consent.text,
      ipHash: capture.ip && proof.shopSecret ? hashIp(proof.shopSecret, capture.ip) : null,
      claimedAt: at,
    });
  }
  return { ref: (await cartRefBySession(db, shopId, capture.sessionKey))! };
}
