import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import OAuth from 'oauth-1.0a';
import { signWebhook } from '../woo/webhook-signature.ts';
import { escapeHtml } from '../messages/html-escape.ts';

/**
 * A stand-in for a WooCommerce shop on 127.0.0.1: the REST API (wc/v3) the sidecar uses, the
 * webhooks WooCommerce would deliver, and the two customer pages a payment link leads to. It is
 * what the tests run against (fake only the remote shop, at HTTP) and what `npm run up` shows a
 * newcomer when no real shop is connected.
 *
 * It behaves as the recorded WooCommerce 9.9.5 does (test/fixtures/woocommerce): credentials
 * checked as WooCommerce checks them (Basic over https, OAuth 1.0a over http), WooCommerce's error
 * shapes, a ping on webhook creation, deliveries signed with the webhook's secret and carrying
 * Hookshot's headers, no retries, and a webhook disabled after more than five failures in a row.
 */
export type StandInShop = {
  url: string;
  consumerKey: string;
  consumerSecret: string;
  orders: Map<number, Record<string, unknown>>;
  /** Products by id (and variations: WooCommerce's `include` finds them too), as `GET products` answers them. */
  products: Map<number, Record<string, unknown>>;
  webhooks: Map<number, StandInWebhook>;
  /** Coupons by id, as `wc/v3/coupons` answers them; `usage_count` may be set to play a redemption. */
  coupons: Map<number, Record<string, unknown>>;
  /** Changes an order as the shop would (fields replaced, date_modified now) and delivers order.updated. */
  update(id: number, patch: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Adds an order and delivers order.created, as a checkout would. */
  create(order: Record<string, unknown>): Promise<Record<string, unknown>>;
  requests: Array<{ method: string; path: string }>;
  /** Order notes by order id, as `orders/<id>/notes` answers them (oldest first here). */
  notes: Map<number, StandInNote[]>;
  /** Answers the notes endpoint with this status instead (a shop failing), while set. */
  failNotes: number | null;
  /** Answers webhook updates (PUT webhooks/<id>) with this status instead (a shop failing), while set. */
  failWebhookUpdates: number | null;
  /** The site title as the merchant typed it (Settings → General); change it as the merchant would. */
  siteTitle: string;
  /**
   * Settings → General → Timezone as WordPress stores it: `timezone_string` ("Europe/Warsaw", empty
   * when the merchant picked a UTC offset) and `gmt_offset` (hours, "5.5"); change it as the merchant would.
   */
  timezone: { timezoneString: string; gmtOffset: string };
  /** `GET payment_gateways` answers these (WooCommerce's shape: id, title, enabled, settings…); change them as the merchant would. */
  paymentGateways: Array<Record<string, unknown>>;
  close(): Promise<void>;
};

export type StandInWebhook = {
  id: number;
  name: string;
  status: 'active' | 'paused' | 'disabled';
  topic: string;
  delivery_url: string;
  secret: string;
  failure_count: number;
  date_created_gmt: string;
  date_modified_gmt: string;
};

export type StandInNote = {
  id: number;
  author: string;
  date_created_gmt: string;
  note: string;
  customer_note: boolean;
};

export type StandInOptions = {
  orders?: Map<number, Record<string, unknown>>;
  products?: Map<number, Record<string, unknown>>;
  /** WooCommerce's `GET settings/general` answer (a list of {id, value, …}). */
  generalSettings?: Array<{ id: string; value: unknown }>;
  /** WooCommerce's `GET settings/email` answer (a list of {id, value, …}): the sender options and template colours. */
  emailSettings?: Array<{ id: string; value: unknown }>;
  /** The site title (Settings → General) as the merchant typed it; `GET /wp-json/` answers it as WordPress stores it, HTML-escaped. */
  siteTitle?: string;
  /** Settings → General → Timezone (WordPress's default: no city, UTC+0). */
  timezone?: { timezoneString: string; gmtOffset: string };
  /** WooCommerce's `GET payment_gateways` answer: every gateway with its title, enabled flag and settings. */
  paymentGateways?: Array<Record<string, unknown>>;
  /** Shown as a banner on the customer pages (the demo says it is one). */
  banner?: string;
  /** Permissions of the REST key: a read-only key cannot create webhooks. */
  permissions?: 'read' | 'read_write';
  /** When given, the home page offers "Place an unpaid order", which adds this order and delivers order.created. */
  placeOrder?: (shopUrl: string) => Record<string, unknown>;
};

const wooTime = (d: Date) => d.toISOString().slice(0, 19);
const MAX_FAILURES = 5;

export async function startStandInShop(options: StandInOptions = {}): Promise<StandInShop> {
  const consumerKey = `ck_${randomBytes(20).toString('hex')}`;
  const consumerSecret = `cs_${randomBytes(20).toString('hex')}`;
  const orders = options.orders ?? new Map<number, Record<string, unknown>>();
  const products = options.products ?? new Map<number, Record<string, unknown>>();
  const webhooks = new Map<number, StandInWebhook>();
  const coupons = new Map<number, Record<string, unknown>>();
  let nextCouponId = 31;
  const requests: StandInShop['requests'] = [];
  const notes = new Map<number, StandInNote[]>();
  let nextNoteId = 501;
  let nextWebhookId = 1;
  let url = '';
  const oauth = new OAuth({
    consumer: { key: consumerKey, secret: consumerSecret },
    signature_method: 'HMAC-SHA256',
    hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
  });

  function authorised(req: Request): boolean {
    const basic = req.get('authorization');
    if (basic?.startsWith('Basic ')) return same(Buffer.from(basic.slice(6), 'base64').toString(), `${consumerKey}:${consumerSecret}`);
    // As WooCommerce checks it: the request's parameters merged as PHP's $_GET does (a repeated
    // name keeps its last value — the official client sends its query twice), oauth_signature
    // left out, signed over the URL without its query.
    const query = new URLSearchParams(req.originalUrl.split('?')[1] ?? '');
    if (query.get('oauth_consumer_key') !== consumerKey) return false;
    const params: Record<string, string> = {};
    for (const [k, v] of query) params[k] = v;
    const signature = params.oauth_signature ?? '';
    delete params.oauth_signature;
    const oauthData: Record<string, string> = {};
    const data: Record<string, string> = {};
    for (const [k, v] of Object.entries(params)) (k.startsWith('oauth_') ? oauthData : data)[k] = v;
    const signedUrl = `http://${req.get('host')}${req.baseUrl}${req.path}`;
    return same(
      signature,
      oauth.getSignature({ url: signedUrl, method: req.method, data }, '', oauthData as unknown as OAuth.Authorization),
    );
  }

  /** What WooCommerce's Hookshot does: one POST, signed, no retry; failures counted, then disabled. */
  async function deliver(topic: string, resource: Record<string, unknown>): Promise<void> {
    const body = Buffer.from(JSON.stringify(resource));
    for (const hook of webhooks.values()) {
      if (hook.status !== 'active' || hook.topic !== topic) continue;
      const [resourceName, event] = topic.split('.') as [string, string];
      let ok: boolean;
      try {
        const response = await fetch(hook.delivery_url, {
          method: 'POST',
          headers: {
            'user-agent': 'WooCommerce/9.9.5 Hookshot (WordPress/6.8.8)',
            'content-type': 'application/json',
            'x-wc-webhook-source': `${url}/`,
            'x-wc-webhook-topic': topic,
            'x-wc-webhook-resource': resourceName,
            'x-wc-webhook-event': event,
            'x-wc-webhook-signature': signWebhook(body, hook.secret),
            'x-wc-webhook-id': String(hook.id),
            'x-wc-webhook-delivery-id': randomBytes(16).toString('hex'),
          },
          body,
          signal: AbortSignal.timeout(5_000),
        });
        ok = response.status >= 200 && response.status < 300;
      } catch {
        ok = false;
      }
      hook.failure_count = ok ? 0 : hook.failure_count + 1;
      if (hook.failure_count > MAX_FAILURES) hook.status = 'disabled';
    }
  }

  async function ping(hook: StandInWebhook): Promise<void> {
    try {
      await fetch(hook.delivery_url, {
        method: 'POST',
        headers: { 'user-agent': 'WooCommerce/9.9.5 Hookshot (WordPress/6.8.8)', 'content-type': 'application/x-www-form-urlencoded' },
        body: `webhook_id=${hook.id}`,
        signal: AbortSignal.timeout(5_000),
      });
    } catch {
      // WooCommerce's REST create keeps the webhook even when the ping fails.
    }
  }

  function touch(id: number, patch: Record<string, unknown>): Record<string, unknown> {
    const now = new Date();
    const order = { ...orders.get(id)!, ...patch, date_modified_gmt: wooTime(now), date_modified: wooTime(now) };
    orders.set(id, order);
    return order;
  }

  const app = express();
  // WordPress's REST index, public: WP_REST_Server::get_index() (wp-includes/rest-api/class-wp-rest-server.php)
  // answers the site's general data; `name` is get_option('blogname'), which sanitize_option() stored
  // through esc_html() (wp-includes/formatting.php), so "Tom & Jerry" comes back as "Tom &amp; Jerry".
  app.get('/wp-json/', (_req, res) => {
    res.json({
      name: escapeHtml(api.siteTitle).replaceAll('&#39;', '&#039;'),
      description: '',
      url,
      home: url,
      // get_option( 'gmt_offset' ) and get_option( 'timezone_string' ), in the same get_index().
      gmt_offset: api.timezone.gmtOffset,
      timezone_string: api.timezone.timezoneString,
      page_for_posts: 0,
      page_on_front: 0,
      show_on_front: 'posts',
      namespaces: ['oembed/1.0', 'wc/v3', 'wp/v2'],
      authentication: [],
      routes: {},
    });
  });
  const rest = express.Router();
  app.use('/wp-json/wc/v3', rest);
  rest.use(express.json());
  rest.use((req, res, next) => {
    requests.push({ method: req.method, path: `/wp-json/wc/v3${req.path}` });
    if (!authorised(req)) {
      wooError(res, 401, 'woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.');
      return;
    }
    if (req.method !== 'GET' && options.permissions === 'read') {
      wooError(res, 401, 'woocommerce_rest_cannot_create', 'Sorry, you are not allowed to create resources.');
      return;
    }
    next();
  });
  rest.get('/products', (req, res) => {
    const include = lastParam(req, 'include')?.split(',').map(Number);
    res.json(include ? include.map((id) => products.get(id)).filter((p) => p !== undefined) : [...products.values()]);
  });
  rest.get('/orders/:id', (req, res) => {
    const order = orders.get(Number(req.params.id));
    if (!order) return wooError(res, 404, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.');
    res.json(order);
  });
  rest.get('/orders', (req, res) => {
    const after = (lastParam(req, 'modified_after') ?? '').slice(0, 19);
    const perPage = Math.min(100, Number(lastParam(req, 'per_page') ?? 10));
    const page = Math.max(1, Number(lastParam(req, 'page') ?? 1));
    const include = lastParam(req, 'include')?.split(',').map(Number);
    // WooCommerce's default status filter is "any": every status but trash.
    const status = lastParam(req, 'status') ?? 'any';
    const matching = [...(include ? include.map((id) => orders.get(id)).filter((o) => o !== undefined) : orders.values())]
      .filter((o) => (status === 'any' ? o.status !== 'trash' : o.status === status))
      .filter((o) => !after || String(o.date_modified_gmt) > after)
      .sort((a, b) => String(a.date_modified_gmt).localeCompare(String(b.date_modified_gmt)) || Number(a.id) - Number(b.id));
    if (lastParam(req, 'orderby') === 'id')
      matching.sort((a, b) => (Number(a.id) - Number(b.id)) * (lastParam(req, 'order') === 'asc' ? 1 : -1));
    paged(res, matching, page, perPage);
  });
  // As WooCommerce's batch endpoint: each update saved (so each delivers order.updated), the
  // orders answered under `update`; meta_data entries replace the value of their key.
  rest.post('/orders/batch', async (req, res) => {
    const updates = (req.body as { update?: Array<{ id: number; meta_data?: Array<{ key: string; value: unknown }> }> }).update ?? [];
    const answered = [];
    for (const update of updates) {
      const order = orders.get(Number(update.id));
      if (!order) {
        answered.push({
          id: update.id,
          error: { code: 'woocommerce_rest_shop_order_invalid_id', message: 'Invalid ID.', data: { status: 400 } },
        });
        continue;
      }
      const meta = new Map(((order.meta_data ?? []) as Array<{ key: string; value: unknown }>).map((m) => [m.key, m]));
      for (const m of update.meta_data ?? []) meta.set(m.key, { key: m.key, value: m.value });
      answered.push(await api.update(Number(update.id), { meta_data: [...meta.values()] }));
    }
    res.json({ update: answered });
  });
  // Order notes as WC_REST_Order_Notes_Controller answers them (includes/rest-api/Controllers/Version3/
  // class-wc-rest-order-notes-controller.php): `note` is a required argument of the route (register_routes in
  // Version1/class-wc-rest-order-notes-v1-controller.php), so WordPress answers 400 without it before the
  // controller runs; create_item 404s an unknown order (woocommerce_rest_order_invalid_id), adds the note with
  // $order->add_order_note(note, customer_note, added_by_user) and answers 201 with it; a note not added by a
  // user is authored "WooCommerce", which prepare_item_for_response shows as "system". There is no batch route.
  rest.post('/orders/:id/notes', (req, res) => {
    if (api.failNotes)
      return wooError(res, api.failNotes, 'woocommerce_api_cannot_create_order_note', 'Cannot create order note, please try again.');
    const body = req.body as { note?: unknown; customer_note?: unknown };
    if (typeof body.note !== 'string') return wooError(res, 400, 'rest_missing_callback_param', 'Missing parameter(s): note');
    const id = Number(req.params.id);
    if (!orders.has(id)) return wooError(res, 404, 'woocommerce_rest_order_invalid_id', 'Invalid order ID.');
    const note: StandInNote = {
      id: nextNoteId++,
      author: 'system',
      date_created_gmt: wooTime(new Date()),
      note: body.note,
      customer_note: body.customer_note === true,
    };
    notes.set(id, [...(notes.get(id) ?? []), note]);
    res.status(201).json(note);
  });
  rest.get('/orders/:id/notes', (req, res) => {
    const id = Number(req.params.id);
    if (!orders.has(id)) return wooError(res, 404, 'woocommerce_rest_order_invalid_id', 'Invalid order ID.');
    // WooCommerce lists the newest first.
    res.json([...(notes.get(id) ?? [])].reverse());
  });
  // An order's status changed as WC_REST_Orders_V2_Controller answers it (includes/rest-api/Controllers/Version2/
  // class-wc-rest-orders-v2-controller.php): update_item 400s an id that is no order ("ID is invalid."); save_object
  // sets the status after the other fields and saves, and WC_Order::status_transition (includes/class-wc-order.php)
  // adds the system note "Order status changed from X to Y." (wc_get_order_status_name) and delivers order.updated.
  rest.put('/orders/:id', async (req, res) => {
    const id = Number(req.params.id);
    const order = orders.get(id);
    if (!order) return wooError(res, 400, 'woocommerce_rest_shop_order_invalid_id', 'ID is invalid.');
    const status = (req.body as { status?: unknown }).status;
    if (status !== undefined && (typeof status !== 'string' || !(status in STATUS_NAMES)))
      return wooError(res, 400, 'rest_invalid_param', 'Invalid parameter(s): status');
    if (typeof status !== 'string' || status === order.status) return res.json(order);
    const from = String(order.status);
    const note: StandInNote = {
      id: nextNoteId++,
      author: 'system',
      date_created_gmt: wooTime(new Date()),
      note: `Order status changed from ${STATUS_NAMES[from] ?? from} to ${STATUS_NAMES[status]}.`,
      customer_note: false,
    };
    notes.set(id, [...(notes.get(id) ?? []), note]);
    res.json(await api.update(id, { status }));
  });
  rest.get('/settings/general', (_req, res) => {
    res.json(options.generalSettings ?? []);
  });
  rest.get('/settings/email', (_req, res) => {
    res.json(options.emailSettings ?? []);
  });
  // Every gateway, unpaged, as WC_REST_Payment_Gateways_V2_Controller::get_items() answers.
  rest.get('/payment_gateways', (_req, res) => {
    const gateways = api.paymentGateways;
    res.set({ 'X-WP-Total': String(gateways.length), 'X-WP-TotalPages': gateways.length ? '1' : '0' }).json(gateways);
  });
  rest.get('/webhooks', (req, res) => {
    const perPage = Math.min(100, Number(lastParam(req, 'per_page') ?? 10));
    const page = Math.max(1, Number(lastParam(req, 'page') ?? 1));
    paged(res, [...webhooks.values()].map(webhookView), page, perPage);
  });
  rest.post('/webhooks', async (req, res) => {
    const body = req.body as Partial<StandInWebhook>;
    if (!body.topic || !body.delivery_url)
      return wooError(res, 400, 'rest_missing_callback_param', 'Missing parameter(s): topic, delivery_url');
    const now = wooTime(new Date());
    const hook: StandInWebhook = {
      id: nextWebhookId++,
      name: body.name ?? `Webhook created on ${now}`,
      status: body.status ?? 'active',
      topic: body.topic,
      delivery_url: body.delivery_url,
      secret: body.secret ?? randomBytes(24).toString('hex'),
      failure_count: 0,
      date_created_gmt: now,
      date_modified_gmt: now,
    };
    webhooks.set(hook.id, hook);
    if (hook.status === 'active') await ping(hook);
    res.status(201).json(webhookView(hook));
  });
  rest.put('/webhooks/:id', (req, res) => {
    if (api.failWebhookUpdates)
      return wooError(res, api.failWebhookUpdates, 'woocommerce_rest_cannot_edit', 'Sorry, you cannot edit this resource.');
    const hook = webhooks.get(Number(req.params.id));
    if (!hook) return wooError(res, 404, 'woocommerce_rest_webhook_invalid_id', 'Invalid ID.');
    const body = req.body as Partial<StandInWebhook>;
    for (const key of ['name', 'status', 'topic', 'delivery_url', 'secret'] as const) {
      if (body[key] !== undefined) (hook as Record<string, unknown>)[key] = body[key];
    }
    // Re-activating a webhook clears its failure count, as WC_Webhook::set_status does.
    if (body.status === 'active') hook.failure_count = 0;
    hook.date_modified_gmt = wooTime(new Date());
    res.json(webhookView(hook));
  });
  // Coupons as WC_REST_Coupons_Controller answers them (fixtures 099/101); a code is unique
  // whatever its case, as WooCommerce looks codes up case-insensitively.
  rest.post('/coupons', (req, res) => {
    const body = req.body as Record<string, unknown>;
    const code = text(body.code).trim();
    if (!code) return wooError(res, 400, 'woocommerce_rest_empty_coupon_code', 'The coupon code cannot be empty.');
    if ([...coupons.values()].some((c) => String(c.code).toLowerCase() === code.toLowerCase())) {
      return wooError(res, 400, 'woocommerce_rest_coupon_code_already_exists', 'The coupon code already exists');
    }
    const type = body.discount_type ?? 'fixed_cart';
    if (!['percent', 'fixed_cart', 'fixed_product'].includes(text(type)))
      return wooError(res, 400, 'rest_invalid_param', 'Invalid parameter(s): discount_type');
    const now = wooTime(new Date());
    const coupon = {
      id: nextCouponId++,
      code,
      amount: text(body.amount ?? '0'),
      status: 'publish',
      date_created_gmt: now,
      date_modified_gmt: now,
      discount_type: type,
      description: body.description ?? '',
      date_expires_gmt: body.date_expires_gmt ?? body.date_expires ?? null,
      usage_count: 0,
      individual_use: body.individual_use ?? false,
      product_ids: body.product_ids ?? [],
      usage_limit: body.usage_limit ?? null,
      usage_limit_per_user: body.usage_limit_per_user ?? null,
      limit_usage_to_x_items: body.limit_usage_to_x_items ?? null,
      email_restrictions: body.email_restrictions ?? [],
      used_by: [],
      meta_data: [],
    };
    coupons.set(coupon.id, coupon);
    res.status(201).json(coupon);
  });
  rest.get('/coupons', (req, res) => {
    const code = lastParam(req, 'code')?.toLowerCase();
    res.json([...coupons.values()].filter((c) => !code || String(c.code).toLowerCase() === code));
  });
  rest.get('/coupons/:id', (req, res) => {
    const coupon = coupons.get(Number(req.params.id));
    if (!coupon) return wooError(res, 404, 'woocommerce_rest_shop_coupon_invalid_id', 'Invalid ID.');
    res.json(coupon);
  });
  rest.delete('/coupons/:id', (req, res) => {
    const coupon = coupons.get(Number(req.params.id));
    if (!coupon) return wooError(res, 404, 'woocommerce_rest_shop_coupon_invalid_id', 'Invalid ID.');
    if (lastParam(req, 'force') !== 'true')
      return wooError(res, 501, 'woocommerce_rest_trash_not_supported', 'The coupon does not support trashing.');
    coupons.delete(Number(req.params.id));
    res.json(coupon);
  });
  rest.delete('/webhooks/:id', (req, res) => {
    const hook = webhooks.get(Number(req.params.id));
    if (!hook) return wooError(res, 404, 'woocommerce_rest_webhook_invalid_id', 'Invalid ID.');
    // WC_REST_Webhooks_Controller::delete_item: webhooks do not support trashing.
    if (lastParam(req, 'force') !== 'true')
      return wooError(res, 501, 'woocommerce_rest_trash_not_supported', 'Webhooks do not support trashing.');
    webhooks.delete(hook.id);
    res.json(webhookView(hook));
  });

  // A home page listing the orders, so a newcomer can see what the shop holds.
  app.get('/', (_req, res) => {
    const rows = [...orders.values()]
      .sort((a, b) => Number(b.id) - Number(a.id))
      .map((o) => {
        const key = encodeURIComponent(text(o.order_key));
        const link = ['pending', 'on-hold', 'failed'].includes(text(o.status))
          ? `<a href="/checkout/order-pay/${Number(o.id)}/?pay_for_order=true&amp;key=${key}">pay</a>`
          : '';
        return `<tr><td>#${escapeHtml(text(o.number ?? o.id))}</td><td>${escapeHtml(text(o.status))}</td><td>${escapeHtml(text(o.payment_method_title ?? o.payment_method))}</td><td>${escapeHtml(text(o.total))} ${escapeHtml(text(o.currency))}</td><td>${link}</td></tr>`;
      })
      .join('');
    const place = options.placeOrder
      ? '<form method="post" action="/place-order"><button type="submit">Place an unpaid order</button></form>'
      : '';
    page(
      res,
      200,
      'Orders',
      `<table><thead><tr><th>order</th><th>status</th><th>payment</th><th>total</th><th></th></tr></thead><tbody>${rows || '<tr><td colspan="5">No orders.</td></tr>'}</tbody></table>${place}`,
    );
  });
  app.post('/place-order', async (_req, res) => {
    if (!options.placeOrder) return page(res, 404, 'Not here', '<p>This shop does not place orders on request.</p>');
    await api.create(options.placeOrder(url));
    res.redirect(303, '/');
  });

  // The customer pages a payment link leads to. Real WooCommerce answers 200 even for a paid
  // order here, which is why the sidecar checks the order over REST before redirecting.
  app.get('/checkout/order-pay/:id/', (req, res) => {
    const order = orderByKey(req);
    if (!order) return page(res, 404, 'Order not found', '<p>This order does not exist or the key is wrong.</p>');
    const total = `${escapeHtml(text(order.total))} ${escapeHtml(text(order.currency))}`;
    page(
      res,
      200,
      `Pay for order #${escapeHtml(text(order.number ?? order.id))}`,
      `<p>Total: <strong>${total}</strong> · ${escapeHtml(text(order.payment_method_title ?? order.payment_method))}</p>
       <form method="post"><button type="submit">Pay now</button></form>`,
    );
  });
  app.post('/checkout/order-pay/:id/', async (req, res) => {
    const order = orderByKey(req);
    if (!order) return page(res, 404, 'Order not found', '<p>This order does not exist or the key is wrong.</p>');
    const now = wooTime(new Date());
    await api.update(Number(order.id), { status: 'processing', date_paid_gmt: now, date_paid: now, needs_payment: false });
    res.redirect(303, `/checkout/order-received/${text(order.id)}/?key=${encodeURIComponent(text(order.order_key))}`);
  });
  app.get('/checkout/order-received/:id/', (req, res) => {
    const order = orderByKey(req);
    if (!order) return page(res, 404, 'Order not found', '<p>This order does not exist or the key is wrong.</p>');
    page(
      res,
      200,
      'Order received',
      `<p>Thank you. Order #${escapeHtml(text(order.number ?? order.id))} is ${escapeHtml(text(order.status))}.</p>`,
    );
  });

  function orderByKey(req: Request): Record<string, unknown> | undefined {
    const order = orders.get(Number(req.params.id));
    return order && order.order_key === req.query.key ? order : undefined;
  }

  function page(res: Response, status: number, title: string, body: string): void {
    const banner = options.banner
      ? `<p style="background:#fff3cd;padding:.5em 1em;border:1px solid #e0c36b">${escapeHtml(options.banner)}</p>`
      : '';
    res.status(status).type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40em;margin:2em auto">${banner}<h1>${title}</h1>${body}</body></html>`);
  }

  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const api: StandInShop = {
    url,
    consumerKey,
    consumerSecret,
    orders,
    products,
    webhooks,
    coupons,
    requests,
    notes,
    failNotes: null,
    failWebhookUpdates: null,
    siteTitle: options.siteTitle ?? 'Stand-in Shop',
    timezone: options.timezone ?? { timezoneString: '', gmtOffset: '0' },
    paymentGateways: options.paymentGateways ?? [],
    async update(id, patch) {
      const order = touch(id, patch);
      await deliver('order.updated', order);
      return order;
    },
    async create(order) {
      orders.set(Number(order.id), order);
      const created = touch(Number(order.id), {});
      await deliver('order.created', created);
      return created;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return api;
}

/** A webhook as the REST API shows it: never its secret. */
function webhookView(hook: StandInWebhook) {
  const [resource, event] = hook.topic.split('.');
  return {
    id: hook.id,
    name: hook.name,
    status: hook.status,
    topic: hook.topic,
    resource,
    event,
    hooks: [],
    delivery_url: hook.delivery_url,
    date_created: hook.date_created_gmt,
    date_created_gmt: hook.date_created_gmt,
    date_modified: hook.date_modified_gmt,
    date_modified_gmt: hook.date_modified_gmt,
  };
}

function paged(res: Response, all: unknown[], page: number, perPage: number): void {
  res.set('X-WP-Total', String(all.length));
  res.set('X-WP-TotalPages', String(Math.max(1, Math.ceil(all.length / perPage))));
  res.json(all.slice((page - 1) * perPage, page * perPage));
}

/** A repeated query parameter keeps its last value, as PHP reads it; a nested one (a[b]=1) is no value these endpoints read. */
function lastParam(req: Request, name: string): string | undefined {
  const value = req.query[name];
  const last = Array.isArray(value) ? value.at(-1) : value;
  return typeof last === 'string' ? last : undefined;
}

/** A scalar field of the shop's JSON as text, '' when absent; an object there is a caller's mistake, not text to print. */
function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TypeError(`expected a scalar, got ${JSON.stringify(value)}`);
}

/** wc_get_order_statuses() (includes/wc-order-functions.php): the statuses an order may be given, by their names. */
const STATUS_NAMES: Record<string, string> = {
  pending: 'Pending payment',
  processing: 'Processing',
  'on-hold': 'On hold',
  completed: 'Completed',
  cancelled: 'Cancelled',
  refunded: 'Refunded',
  failed: 'Failed',
  'checkout-draft': 'Draft',
};

function wooError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ code, message, data: { status } });
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
