import express, { Router, type Request } from 'express';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { storeEvent } from '../events/event-store.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { errorPayload } from './order-payload.ts';
import { verifyWebhook } from './webhook-signature.ts';

export const WEBHOOK_BODY_LIMIT = '2mb';

type Shop = { id: number; secret: string };

/**
 * POST /webhooks/woocommerce. Store first, answer fast, work later: WooCommerce never retries a
 * delivery and disables a webhook after five failures, so nothing slow happens before the 200.
 */
export function webhookRouter(deps: { pool: Pool; logger: Logger; onStored: () => void }): Router {
  const router = Router();
  // The raw bytes, exactly as signed: a re-serialised body would not match the signature.
  router.use(express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT }));

  router.post('/', async (req, res) => {
    const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const topic = req.get('x-wc-webhook-topic');
    if (!topic) {
      // Creating a webhook sends a form-encoded ping (webhook_id=N), unsigned and without topic
      // headers; anything but 2xx makes WooCommerce refuse to save the webhook.
      if (/^webhook_id=\d+$/.test(body.toString('utf8').trim())) {
        res.status(200).json({ status: 'ping' });
        return;
      }
      throw AppError.badRequest('missing_topic', 'not a WooCommerce webhook delivery: the X-WC-Webhook-Topic header is missing');
    }
    const shop = await shopFor(deps.pool, req);
    if (!shop || !verifyWebhook(body, shop.secret, req.get('x-wc-webhook-signature'))) {
      throw AppError.unauthorized('webhook signature missing or invalid for this shop');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch (error) {
      throw AppError.badRequest('malformed_json', `body is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw AppError.badRequest('malformed_body', 'body must be a JSON object');
    }
    const record = parsed as Record<string, unknown>;
    const incoming = {
      shopId: shop.id,
      source: 'woocommerce' as const,
      topic,
      webhookId: req.get('x-wc-webhook-id'),
      resourceId: typeof record.id === 'number' ? record.id : undefined,
      modifiedAt: typeof record.date_modified_gmt === 'string' ? record.date_modified_gmt : undefined,
      status: typeof record.status === 'string' ? record.status : undefined,
      body,
    };
    const unusable = errorPayload.safeParse(parsed).success && incoming.resourceId === undefined;
    const stored = await storeEvent(
      deps.pool,
      incoming,
      unusable ? 'unusable' : 'received',
      unusable ? `WooCommerce sent an error instead of the ${topic} resource; reconciliation will read it` : undefined,
    );
    if (!stored.duplicate && !unusable) deps.onStored();
    res.status(200).json({ status: stored.duplicate ? 'duplicate' : unusable ? 'recorded_unusable' : 'stored', id: stored.id });
  });
  return router;
}

async function shopFor(pool: Pool, req: Request): Promise<Shop | undefined> {
  const source = req.get('x-wc-webhook-source');
  if (!source) return undefined;
  const [rows] = await pool.query<RowDataPacket[]>('SELECT id, webhook_secret FROM shops WHERE url = ?', [normaliseShopUrl(source)]);
  return rows[0] ? { id: Number(rows[0].id), secret: String(rows[0].webhook_secret) } : undefined;
}

/** One spelling per shop: scheme and host lower-case, no trailing slash. */
export function normaliseShopUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`.toLowerCase();
  } catch {
    return url.trim().replace(/\/+$/, '').toLowerCase();
  }
}
