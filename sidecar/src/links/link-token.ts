import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Signed, expiring link tokens, the same bytes in PHP (plugin) and TypeScript (sidecar); the
 * shared vectors are shortcodes/vectors/tokens.json.
 *
 *   token   = base64url(payload) "." base64url(HMAC-SHA256(secret, "comeback-link." base64url(payload)))
 *   payload = "v1:" kind ":" ref ":" expires (unix seconds)
 *
 * `ref` is a random reference stored with the message (never an order id), so a link reveals
 * nothing and can be revoked; the purpose label keeps these signatures apart from the plugin's
 * request signatures made with the same shared secret.
 */
/**
 * pay, unsubscribe, cart, nps (the survey page) and confirm (a marketing email's double opt-in) are customers' links;
 * connect pairs a shop's REST key (one-click connect).
 */
export const LINK_KINDS = ['pay', 'unsubscribe', 'cart', 'connect', 'nps', 'confirm'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

export type LinkClaims = { kind: LinkKind; ref: string; expiresAt: number };
export type VerifyResult = ({ ok: true } & LinkClaims) | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

const REF = /^[A-Za-z0-9_-]{16,64}$/;

/** A fresh unguessable reference (128 bits). */
export function newLinkRef(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * The reference of a payment link answered on the shop's own domain by the plugin: the order id
 * and a random part. The plugin must find the order without asking the sidecar in the customer's
 * request, so the id travels inside the signed token; it cannot be forged or altered, and
 * WooCommerce's own pay URLs show the same id.
 */
export function orderLinkRef(orderId: number): string {
  return `o${orderId}_${newLinkRef()}`;
}

/**
 * The reference of a preview's or a test message's links: opening one shows a page saying what
 * the link does in a real message. Unmistakable: a random reference is 22 characters, an order
 * link's starts with `o`.
 */
export function previewLinkRef(): string {
  return `preview_${newLinkRef()}`;
}

export function isPreviewLinkRef(ref: string): boolean {
  return /^preview_[A-Za-z0-9_-]{22}$/.test(ref);
}

export function signLinkToken(claims: LinkClaims, secret: string): string {
  if (!LINK_KINDS.includes(claims.kind)) throw new Error(`unknown link kind: ${claims.kind}`);
  if (!REF.test(claims.ref)) throw new Error('link ref must be 16-64 base64url characters');
  if (!Number.isInteger(claims.expiresAt) || claims.expiresAt <= 0) throw new Error('expiresAt must be unix seconds');
  const payload = Buffer.from(`v1:${claims.kind}:${claims.ref}:${claims.expiresAt}`, 'utf8').toString('base64url');
  return `${payload}.${mac(payload, secret)}`;
}

/** Checks shape, then signature (constant time), then expiry; `now` in unix seconds. */
export function verifyLinkToken(token: string, secret: string, now: number): VerifyResult {
  const parts = token.split('.');
  if (parts.length !== 2 || !/^[A-Za-z0-9_-]+$/.test(parts[0]!) || !/^[A-Za-z0-9_-]{43}$/.test(parts[1]!)) {
    return { ok: false, reason: 'malformed' };
  }
  const [payload, signature] = parts as [string, string];
  const expected = Buffer.from(mac(payload, secret), 'utf8');
  if (!timingSafeEqual(expected, Buffer.from(signature, 'utf8'))) return { ok: false, reason: 'bad_signature' };
  const fields = Buffer.from(payload, 'base64url').toString('utf8').split(':');
  const [version, kind, ref, expires] = fields;
  if (
    fields.length !== 4 ||
    version !== 'v1' ||
    !LINK_KINDS.includes(kind as LinkKind) ||
    !REF.test(ref ?? '') ||
    !/^\d+$/.test(expires ?? '')
  ) {
    return { ok: false, reason: 'malformed' };
  }
  const expiresAt = Number(expires);
  if (now >= expiresAt) return { ok: false, reason: 'expired' };
  return { ok: true, kind: kind as LinkKind, ref: ref!, expiresAt };
}

function mac(payload: string, secret: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(`comeback-link.${payload}`, 'utf8').digest('base64url');
}
