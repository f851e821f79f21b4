import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request } from 'express';
import OAuth from 'oauth-1.0a';
import { FIXTURES } from '../helpers/woo-fixtures.ts';

/**
 * A stand-in for a WooCommerce shop's REST API (wc/v3), on 127.0.0.1, seeded with the orders the
 * real shop returned when read back (fixtures *-rest-readback-order-*). It checks credentials as
 * WooCommerce does — Basic over https, OAuth 1.0a (HMAC-SHA256) over http — and answers with
 * WooCommerce's own error shapes.
 */
export type FakeShop = {
  url: string;
  consumerKey: string;
  consumerSecret: string;
  orders: Map<number, Record<string, unknown>>;
  /** Changes an order as the shop would: fields replaced, date_modified moved to now. */
  update(id: number, patch: Record<string, unknown>): Record<string, unknown>;
  requests: Array<{ method: string; path: string }>;
  close(): Promise<void>;
};

export function recordedOrders(): Map<number, Record<string, unknown>> {
  const orders = new Map<number, Record<string, unknown>>();
  for (const file of readdirSync(FIXTURES).filter((f) => /-rest-readback-order-.*\.body$/.test(f)).sort()) {
    const order = JSON.parse(readFileSync(`${FIXTURES}${file}`, 'utf8')) as Record<string, unknown>;
    if (typeof order.id === 'number') orders.set(order.id, order);
  }
  return orders;
}

const wooTime = (d: Date) => d.toISOString().slice(0, 19);

export async function startFakeShop(options: { orders?: Map<number, Record<string, unknown>> } = {}): Promise<FakeShop> {
  const consumerKey = 'ck_fake0000000000000000000000000000000000';
  const consumerSecret = 'cs_fake0000000000000000000000000000000000';
  const orders = options.orders ?? recordedOrders();
  const requests: FakeShop['requests'] = [];
  const oauth = new OAuth({
    consumer: { key: consumerKey, secret: consumerSecret },
    signature_method: 'HMAC-SHA256',
    hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
  });

  function authorised(req: Request): boolean {
    const basic = req.get('authorization');
    if (basic?.startsWith('Basic ')) return Buffer.from(basic.slice(6), 'base64').toString() === `${consumerKey}:${consumerSecret}`;
    // As WooCommerce checks it: the request's parameters merged as PHP's $_GET does (a repeated
    // name keeps its last value — the official client sends its query twice), oauth_signature
    // left out, signed over the URL without its query.
    const query = new URLSearchParams(req.originalUrl.split('?')[1] ?? '');
    if (query.get('oauth_consumer_key') !== consumerKey) return false;
    const params: Record<string, string> = {};
    for (const [k, v] of query) params[k] = v;
    const signature = params.oauth_signature;
    delete params.oauth_signature;
    const oauthData: Record<string, string> = {};
    const data: Record<string, string> = {};
    for (const [k, v] of Object.entries(params)) (k.startsWith('oauth_') ? oauthData : data)[k] = v;
    const url = `http://${req.get('host')}${req.path}`;
    const expected = oauth.getSignature({ url, method: req.method, data }, '', oauthData as unknown as OAuth.Authorization);
    return signature === expected;
  }

  const app = express();
  app.use((req, res, next) => {
    requests.push({ method: req.method, path: req.path });
    if (!authorised(req)) {
      res.status(401).json({ code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.', data: { status: 401 } });
      return;
    }
    next();
  });
  app.get('/wp-json/wc/v3/orders/:id', (req, res) => {
    const order = orders.get(Number(req.params.id));
    if (!order) {
      res.status(404).json({ code: 'woocommerce_rest_shop_order_invalid_id', message: 'Invalid ID.', data: { status: 404 } });
      return;
    }
    res.json(order);
  });
  app.get('/wp-json/wc/v3/orders', (req, res) => {
    // A repeated parameter keeps its last value, as PHP reads it.
    const param = (name: string) => {
      const value = req.query[name];
      return Array.isArray(value) ? String(value.at(-1)) : value === undefined ? undefined : String(value);
    };
    const after = (param('modified_after') ?? '').slice(0, 19);
    const perPage = Math.min(100, Number(param('per_page') ?? 10));
    const page = Math.max(1, Number(param('page') ?? 1));
    const matching = [...orders.values()]
      .filter((o) => !after || String(o.date_modified_gmt) > after)
      .sort((a, b) => String(a.date_modified_gmt).localeCompare(String(b.date_modified_gmt)) || Number(a.id) - Number(b.id));
    res.set('X-WP-Total', String(matching.length));
    res.set('X-WP-TotalPages', String(Math.max(1, Math.ceil(matching.length / perPage))));
    res.json(matching.slice((page - 1) * perPage, page * perPage));
  });

  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    consumerKey,
    consumerSecret,
    orders,
    requests,
    update(id, patch) {
      const now = new Date();
      const order = { ...orders.get(id)!, ...patch, date_modified_gmt: wooTime(now), date_modified: wooTime(now) };
      orders.set(id, order);
      return order;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
