import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Pool } from 'mysql2/promise';
import { createEventWriter } from '../events/event-store.ts';
import { AppError } from '../errors.ts';
import { errorBody } from '../http/error-body.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { recentSecrets, shopSecretCache } from './shop-secrets.ts';
import { errorPayload } from './order-payload.ts';
import { verifyWebhook } from './webhook-signature.ts';

export const WEBHOOK_PATH = '/webhooks/woocommerce';
export const WEBHOOK_BODY_LIMIT_BYTES = 2 * 1024 * 1024;

/**
 * POST /webhooks/woocommerce. Store first, answer fast, work later: WooCommerce never retries a
 * delivery and disables a webhook after five failures, so nothing slow happens before the 200.
 *
 * A plain node:http handler, placed in front of express (http/app.ts): it is the one endpoint a
 * busy shop hits in bursts, and express's routing and response helpers measured ~170 µs per
 * request on the 2-core machine, more than the signature check and the insert together
 * (BENCHMARKS.md). Errors have the same JSON shape as every other endpoint's.
 */
export function webhookHandler(deps: {
  pool: Pool;
  logger: Logger;
  onStored: () => void;
  /** Deliveries by outcome (/metrics: the ingest rate). */
  metrics?: Metrics;
}): (req: IncomingMessage, res: ServerResponse) => void {
  const events = createEventWriter(deps.pool);
  const shops = shopSecretCache(deps.pool);

  /** Answers one delivery; resolves to its outcome as counted (stored, duplicate, unusable, ping). */
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<string> {
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      throw new AppError('method_not_allowed', 'webhook deliveries are POSTed', 405);
    }
    // The raw bytes, exactly as signed: a re-serialised body would not match the signature.
    const body = await readBody(req, WEBHOOK_BODY_LIMIT_BYTES);
    const topic = header(req, 'x-wc-webhook-topic');
    if (!topic) {
      // Creating a webhook sends a form-encoded ping (webhook_id=N), unsigned and without topic
      // headers; anything but 2xx makes WooCommerce refuse to save the webhook.
      if (/^webhook_id=\d+$/.test(body.toString('utf8').trim())) {
        sendJson(res, 200, { status: 'ping' });
        return 'ping';
      }
      throw AppError.badRequest('missing_topic', 'not a WooCommerce webhook delivery: the X-WC-Webhook-Topic header is missing');
    }
    const source = header(req, 'x-wc-webhook-source');
    const shop = source ? await shops(normaliseShopUrl(source)) : undefined;
    const signature = header(req, 'x-wc-webhook-signature');
    if (!shop || !recentSecrets(shop, new Date()).some((secret) => verifyWebhook(body, secret, signature))) {
      throw AppError.unauthorized('webhook signature missing or invalid for this shop');
    }
    // A webhook left behind in a disconnected shop (its deletion over REST failed): 410 Gone. WooCommerce
    // counts any answer but 2xx/301/302 as a failed delivery and disables the webhook after more than
    // five in a row (includes/class-wc-webhook.php, WC_Webhook::log_delivery and failed_delivery).
    if (shop.disconnected) throw new AppError('shop_disconnected', 'this shop was disconnected from Comeback', 410);
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
      webhookId: header(req, 'x-wc-webhook-id'),
      resourceId: typeof record.id === 'number' ? record.id : undefined,
      modifiedAt: typeof record.date_modified_gmt === 'string' ? record.date_modified_gmt : undefined,
      status: typeof record.status === 'string' ? record.status : undefined,
      body,
    };
    const unusable = errorPayload.safeParse(parsed).success && incoming.resourceId === undefined;
    const stored = await events.store(
      incoming,
      unusable ? 'unusable' : 'received',
      unusable ? `WooCommerce sent an error instead of the ${topic} resource; reconciliation will read it` : undefined,
    );
    if (!stored.duplicate && !unusable) deps.onStored();
    sendJson(res, 200, { status: stored.duplicate ? 'duplicate' : unusable ? 'recorded_unusable' : 'stored', id: stored.id });
    return stored.duplicate ? 'duplicate' : unusable ? 'unusable' : 'stored';
  }

  const count = (outcome: string) => deps.metrics?.webhooksReceived.inc({ outcome });
  return (req, res) => {
    handle(req, res).then(count, (error: unknown) => {
      const { status, body, headers } = errorBody(error);
      count(status >= 500 ? 'error' : `refused_${status}`);
      if (status >= 500) deps.logger.error({ err: error, path: req.url }, 'webhook delivery failed');
      for (const [name, value] of Object.entries(headers ?? {})) res.setHeader(name, value);
      // A refused oversize body is not read: close the connection rather than drain megabytes.
      if (status === 413) res.setHeader('connection', 'close');
      sendJson(res, status, body);
    });
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The request body up to `limit` bytes; 413 (without reading further) beyond it. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.reject(AppError.tooLarge(`${limit / 1024 / 1024} MB`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.pause();
        reject(AppError.tooLarge(`${limit / 1024 / 1024} MB`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
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
