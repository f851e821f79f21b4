import { Router } from 'express';
import type { Pool } from 'mysql2/promise';
import type { AdminRequest } from '../http/admin-auth.ts';
import { loadShopProfile } from '../woo/shop-profile.ts';
import { messageSender, type EmailLook } from './shop-email.ts';

/** GET /api/shop/sender: who the shop's customers see their email from, and the layout's look. */
export type ShopSenderView = {
  /** The From header as sent, and its parts. */
  from: string;
  fromName: string | null;
  fromAddress: string;
  /** Where replies go (the shop's address); null: replies go to the From address. */
  replyTo: string | null;
  /**
   * plugin / rest: the shop's WooCommerce email settings, through the plugin's profile or
   * WooCommerce's REST settings (woocommerce: read before the source was kept); default: the
   * global sender, the shop set none; default-forced: the global sender, shop senders being off.
   */
  source: 'plugin' | 'rest' | 'woocommerce' | 'default' | 'default-forced';
  /** The envelope sender (SMTP MAIL FROM, the Sender header when they differ): where bounces go and what SPF checks. */
  envelopeFrom: string;
  /** Set when the From domain is not the envelope sender's: the relay must be authorised for it (SPF, DKIM) or DMARC fails. */
  domainMismatch: { fromDomain: string; envelopeDomain: string } | null;
  look: EmailLook;
};

/** The sender a shop's customers see, exactly as the message builder picks it (messages/shop-email.ts messageSender). */
export function shopSenderRoutes(deps: { pool: Pool; from: string; shopFrom?: boolean }): Router {
  const router = Router();
  router.get('/shop/sender', async (req: AdminRequest, res) => {
    const profile = await loadShopProfile(deps.pool, req.shopId!);
    const sender = messageSender(profile.sender, deps);
    const { name, address } = addressParts(sender.from);
    const envelopeFrom = addressParts(deps.from).address;
    const fromDomain = domainOf(address);
    const envelopeDomain = domainOf(envelopeFrom);
    res.json({
      from: sender.from,
      fromName: name,
      fromAddress: address,
      replyTo: sender.replyTo,
      source: sender.shops ? (profile.senderSource ?? 'woocommerce') : profile.sender ? 'default-forced' : 'default',
      envelopeFrom,
      domainMismatch: fromDomain === envelopeDomain ? null : { fromDomain, envelopeDomain },
      look: profile.look,
    } satisfies ShopSenderView);
  });
  return router;
}

/** `"Tea \"&\" Co" <a@b>`, `Name <a@b>` or `a@b` → its display name (unquoted) and address. */
function addressParts(from: string): { name: string | null; address: string } {
  const match = /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(from);
  if (!match) return { name: null, address: from.trim() };
  const raw = match[1]!;
  const name = /^".*"$/.test(raw) ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
  return { name: name || null, address: match[2]!.trim() };
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}
