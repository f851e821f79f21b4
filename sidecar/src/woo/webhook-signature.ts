import { createHmac, timingSafeEqual } from 'node:crypto';

/** WooCommerce's X-WC-Webhook-Signature: base64(HMAC-SHA256(raw body, secret as UTF-8)). */
export function signWebhook(rawBody: Buffer, secret: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(rawBody).digest('base64');
}

/** Constant-time check of a delivery's signature against the raw bytes received. */
export function verifyWebhook(rawBody: Buffer, secret: string, signature: string | undefined): boolean {
  if (!signature) return false;
  const expected = Buffer.from(signWebhook(rawBody, secret), 'utf8');
  const given = Buffer.from(signature.trim(), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
