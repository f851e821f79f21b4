import wooRestApi from '@woocommerce/woocommerce-rest-api';
import { z } from 'zod';
import type { Pool } from 'mysql2/promise';
import { AppError } from '../errors.ts';
import { merchantAgents, type MerchantNet } from './merchant-url.ts';
import { orderPayload, type OrderPayload } from './order-payload.ts';
import { restGatewaySchema, type RestGateway } from './payment-gateways.ts';
import { shopCredentials } from './shop-store.ts';

// A CommonJS package whose class sits on `exports.default`. Node's ESM interop makes the default
// import the exports object (class one level down); bundler-style interop (vitest) unwraps it.
type WooApiClass = typeof wooRestApi.default;
const WooCommerceRestApi: WooApiClass = typeof wooRestApi === 'function' ? wooRestApi : wooRestApi.default;

export type WooCredentials = { url: string; consumerKey: string; consumerSecret: string };

export type WooClient = {
  /** The order as WooCommerce has it now, or null when it no longer exists. */
  getOrder(id: number): Promise<OrderPayload | null>;
  /**
   * Several orders as WooCommerce has them now, 100 per request (`include`); an id missing from
   * the answer is read on its own, so a trashed or deleted order is told apart as getOrder does.
   */
  getOrders(ids: number[]): Promise<Map<number, OrderPayload | null>>;
  /** One page of orders modified after `after` (GMT), oldest first. */
  ordersModifiedAfter(after: Date, page: number, perPage?: number): Promise<{ orders: OrderPayload[]; totalPages: number }>;
  /**
   * One page of every order, oldest id first (the history import): new orders land on later
   * pages, so a page once read never shifts under an import that resumes.
   */
  ordersById(page: number, perPage?: number): Promise<{ orders: OrderPayload[]; totalPages: number; total: number }>;
  /**
   * Adds a private note to the order (`POST orders/<id>/notes`, customer_note false: the merchant
   * sees it in the order screen, the customer is not emailed). WooCommerce has no batch for notes.
   * False when the order no longer exists.
   */
  addOrderNote(orderId: number, note: string): Promise<boolean>;
  /**
   * Moves the order to a status (`PUT orders/<id>`), as the merchant would in the order screen:
   * WooCommerce adds its own "Order status changed" note and runs the status's actions (a
   * cancellation gives back the stock). The order as it is now (an order gone is a 400, "ID is invalid").
   */
  setOrderStatus(orderId: number, status: 'cancelled'): Promise<OrderPayload>;
  /** Sets one meta key on many orders (`POST orders/batch`, 100 per request); '' clears it. */
  setOrdersMeta(key: string, values: Array<{ id: number; value: string }>): Promise<void>;
  /**
   * Products' stock as WooCommerce has it now (`include`, 100 per request; variations are
   * products too): stock_quantity when the product manages stock, else null. Missing ids: gone.
   */
  getStock(ids: number[]): Promise<Map<number, number | null>>;
  /** `GET settings/general`: store address, currency… as {id: value}. Needs a key of an admin. */
  generalSettings(): Promise<Record<string, string>>;
  /**
   * `GET settings/email`: WooCommerce → Settings → Emails as {id: value}: the sender options and the
   * template colours (not the header image: its field type, email_image_url, is one the REST settings
   * controller leaves out, WC_REST_Setting_Options_V2_Controller::is_setting_type_valid()).
   */
  emailSettings(): Promise<Record<string, string>>;
  /** `GET payment_gateways`: every gateway of the shop with its title, enabled flag and settings (instructions among them). */
  paymentGateways(): Promise<RestGateway[]>;
  /** Every webhook of the shop (all statuses). */
  listWebhooks(): Promise<Webhook[]>;
  createWebhook(webhook: WebhookWrite): Promise<Webhook>;
  updateWebhook(id: number, patch: Partial<WebhookWrite>): Promise<Webhook>;
  deleteWebhook(id: number): Promise<void>;
  /** `POST coupons`: the coupon as WooCommerce stored it. */
  createCoupon(coupon: CouponWrite): Promise<Coupon>;
  /** The coupon as WooCommerce has it now (its usage count), or null when it no longer exists. */
  getCoupon(id: number): Promise<Coupon | null>;
  deleteCoupon(id: number): Promise<void>;
  /** The coupon with this code (WooCommerce matches codes whatever their case), or null. */
  findCoupon(code: string): Promise<Coupon | null>;
};

/** A coupon as `wc/v3/coupons` shows it (the fields we read). */
export const couponSchema = z.looseObject({
  id: z.number().int().positive(),
  code: z.string(),
  discount_type: z.enum(['percent', 'fixed_cart', 'fixed_product']),
  amount: z.string(),
  usage_count: z.number().int().default(0),
  date_expires_gmt: z.string().nullable().default(null),
  email_restrictions: z.array(z.string()).default([]),
  product_ids: z.array(z.number()).default([]),
});
export type Coupon = z.infer<typeof couponSchema>;
export type CouponWrite = {
  code: string;
  discount_type: Coupon['discount_type'];
  amount: string;
  individual_use: boolean;
  usage_limit: number;
  usage_limit_per_user: number;
  email_restrictions: string[];
  product_ids: number[];
  limit_usage_to_x_items: number | null;
  date_expires_gmt: string;
  description: string;
};

/** A webhook as `wc/v3/webhooks` shows it (the secret is write-only). */
export const webhookSchema = z.looseObject({
  id: z.number().int().positive(),
  name: z.string().default(''),
  status: z.enum(['active', 'paused', 'disabled']),
  topic: z.string(),
  delivery_url: z.string(),
});
export type Webhook = z.infer<typeof webhookSchema>;
export type WebhookWrite = { name: string; status: Webhook['status']; topic: string; delivery_url: string; secret: string };

/**
 * The WooCommerce REST API (wc/v3) through the official client: Basic auth over https, OAuth 1.0a
 * over plain http. Answers are validated with the same zod shapes as webhook bodies.
 */
export function createWooClient(credentials: WooCredentials, options: { timeoutMs?: number; net: MerchantNet }): WooClient {
  const api = new WooCommerceRestApi({
    url: credentials.url,
    consumerKey: credentials.consumerKey,
    consumerSecret: credentials.consumerSecret,
    version: 'wc/v3',
    timeout: options.timeoutMs ?? 15_000,
    // Every connection (redirects included) checks the address it uses: the shop URL is the merchant's to give.
    axiosConfig: { ...merchantAgents(options.net), maxRedirects: 3 },
  });

  return {
    getOrder: (id) =>
      restUnlessGone(`reading order ${id}`, [404, 410], async () => orderPayload.parse((await api.get(`orders/${id}`)).data)),
    async getOrders(ids) {
      const found = new Map<number, OrderPayload | null>();
      const unique = [...new Set(ids)];
      for (const chunk of chunksOf(unique)) {
        await rest(`reading ${chunk.length} orders`, async () => {
          const response = await api.get('orders', { include: chunk.join(','), per_page: 100, status: 'any' });
          for (const raw of response.data as unknown[]) {
            const order = orderPayload.parse(raw);
            found.set(order.id, order);
          }
        });
      }
      for (const id of unique) if (!found.has(id)) found.set(id, await this.getOrder(id));
      return found;
    },
    ordersModifiedAfter: (after, page, perPage = 100) =>
      rest('listing modified orders', async () => {
        const response = await api.get('orders', {
          modified_after: after.toISOString().slice(0, 19),
          dates_are_gmt: true,
          orderby: 'modified',
          order: 'asc',
          status: 'any',
          page,
          per_page: perPage,
        });
        const orders = (response.data as unknown[]).map((o) => orderPayload.parse(o));
        return { orders, totalPages: totalPagesOf(response) };
      }),
    ordersById: (page, perPage = 100) =>
      rest(`reading page ${page} of the order history`, async () => {
        const response = await api.get('orders', { orderby: 'id', order: 'asc', status: 'any', page, per_page: perPage });
        const orders = (response.data as unknown[]).map((o) => orderPayload.parse(o));
        return { orders, totalPages: totalPagesOf(response), total: Number(response.headers['x-wp-total'] ?? orders.length) };
      }),
    // WC_REST_Order_Notes_Controller::create_item (includes/rest-api/Controllers/Version3/class-wc-rest-order-notes-controller.php):
    // 201 with the note, 404 woocommerce_rest_order_invalid_id when the order is gone.
    addOrderNote: async (orderId, note) =>
      (await restUnlessGone(`adding a note to order ${orderId}`, [404], () =>
        api.post(`orders/${orderId}/notes`, { note, customer_note: false }),
      )) !== null,
    // WC_REST_Orders_V2_Controller::save_object (includes/rest-api/Controllers/Version2/class-wc-rest-orders-v2-controller.php):
    // set_status() then save(), whose status transition adds the note and fires woocommerce_order_status_cancelled;
    // update_item answers 400 woocommerce_rest_shop_order_invalid_id for an order that is not there.
    setOrderStatus: (orderId, status) =>
      rest(`moving order ${orderId} to ${status}`, async () => orderPayload.parse((await api.put(`orders/${orderId}`, { status })).data)),
    async setOrdersMeta(key, values) {
      for (const chunk of chunksOf(values)) {
        await rest(`marking ${chunk.length} orders`, () =>
          api.post('orders/batch', { update: chunk.map(({ id, value }) => ({ id, meta_data: [{ key, value }] })) }),
        );
      }
    },
    async getStock(ids) {
      const found = new Map<number, number | null>();
      const unique = [...new Set(ids)];
      const product = z.looseObject({
        id: z.number(),
        manage_stock: z.union([z.boolean(), z.string()]).optional(),
        stock_quantity: z.number().nullable().optional(),
      });
      for (const chunk of chunksOf(unique)) {
        await rest(`reading the stock of ${chunk.length} products`, async () => {
          const response = await api.get('products', { include: chunk.join(','), per_page: 100 });
          for (const p of z.array(product).parse(response.data))
            found.set(p.id, p.manage_stock === true ? (p.stock_quantity ?? null) : null);
        });
      }
      return found;
    },
    generalSettings: () =>
      rest('reading the general settings', async () => {
        const response = await api.get('settings/general');
        const list = z.array(z.looseObject({ id: z.string(), value: z.unknown() })).parse(response.data);
        return Object.fromEntries(list.map((s) => [s.id, typeof s.value === 'string' ? s.value : JSON.stringify(s.value ?? '')]));
      }),
    emailSettings: () =>
      rest('reading the email settings', async () => {
        const response = await api.get('settings/email');
        const list = z.array(z.looseObject({ id: z.string(), value: z.unknown() })).parse(response.data);
        return Object.fromEntries(list.flatMap((s) => (typeof s.value === 'string' ? [[s.id, s.value]] : [])));
      }),
    paymentGateways: () =>
      rest('reading the payment gateways', async () => z.array(restGatewaySchema).parse((await api.get('payment_gateways')).data)),
    listWebhooks: () =>
      rest('listing webhooks', async () => {
        const all: Webhook[] = [];
        for (let page = 1; ; page++) {
          const response = await api.get('webhooks', { page, per_page: 100 });
          all.push(...z.array(webhookSchema).parse(response.data));
          if (page >= totalPagesOf(response)) return all;
        }
      }),
    createWebhook: (webhook) =>
      rest(`creating the ${webhook.topic} webhook`, async () => webhookSchema.parse((await api.post('webhooks', webhook)).data)),
    updateWebhook: (id, patch) =>
      rest(`updating webhook ${id}`, async () => webhookSchema.parse((await api.put(`webhooks/${id}`, patch)).data)),
    createCoupon: (coupon) =>
      rest(`creating coupon ${coupon.code}`, async () => couponSchema.parse((await api.post('coupons', coupon)).data)),
    getCoupon: (id) => restUnlessGone(`reading coupon ${id}`, [404], async () => couponSchema.parse((await api.get(`coupons/${id}`)).data)),
    findCoupon: (code) =>
      rest(`looking up coupon ${code}`, async () => {
        const found = z.array(couponSchema).parse((await api.get('coupons', { code })).data);
        return found.find((c) => c.code.toLowerCase() === code.toLowerCase()) ?? null;
      }),
    // Already gone is what a delete wanted.
    deleteCoupon: async (id) =>
      void (await restUnlessGone(`deleting coupon ${id}`, [404], () => api.delete(`coupons/${id}`, { force: true }))),
    // Webhooks have no trash: WooCommerce refuses a delete without force.
    deleteWebhook: async (id) => void (await rest(`deleting webhook ${id}`, () => api.delete(`webhooks/${id}`, { force: true }))),
  };
}

/** The client for a shop by id, or null while it has no REST key (not connected yet, or any more). */
export async function loadShopClient(pool: Pool, shopId: number, net: MerchantNet): Promise<WooClient | null> {
  const credentials = await shopCredentials(pool, shopId);
  return credentials ? createWooClient(credentials, { net }) : null;
}

/** WooCommerce takes and answers at most 100 items per request. */
function* chunksOf<T>(items: T[], size = 100): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** How many pages a listing has, as WooCommerce says in its headers (one when it does not). */
function totalPagesOf(response: { headers: Record<string, unknown> }): number {
  return Number(response.headers['x-wp-totalpages'] ?? 1);
}

/** One REST call; its failure becomes an AppError that says what we were doing. */
async function rest<T>(doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw restError(error, doing);
  }
}

/** One REST call that answers null when the shop answers one of `goneStatuses` (the resource no longer exists). */
async function restUnlessGone<T>(doing: string, goneStatuses: number[], call: () => Promise<T>): Promise<T | null> {
  try {
    return await call();
  } catch (error) {
    if (goneStatuses.includes(statusOf(error) ?? 0)) return null;
    throw restError(error, doing);
  }
}

function statusOf(error: unknown): number | undefined {
  return (error as { response?: { status?: number } }).response?.status;
}

/** A REST failure as an AppError that says what we were doing and what the shop answered. */
function restError(error: unknown, doing: string): AppError {
  const status = statusOf(error);
  const data = (error as { response?: { data?: { code?: unknown } } }).response?.data;
  // Only WooCommerce's own error code is kept from the answer: a body is never repeated, or the
  // sidecar would read out whatever the URL it was given serves.
  const code = typeof data?.code === 'string' && /^(woocommerce|rest)_[a-z0-9_]{1,80}$/.test(data.code) ? data.code : undefined;
  const detail = status ? `the shop answered HTTP ${status}${code ? ` (${code})` : ''}` : networkProblem(error);
  return new AppError('woocommerce_rest', `WooCommerce REST failed while ${doing}: ${detail}`, 502, true, { status, code });
}

/** A failure without an answer, in words that name no internals of the answer. */
function networkProblem(error: unknown): string {
  const code = (error as { code?: unknown; cause?: { code?: unknown } }).code ?? (error as { cause?: { code?: unknown } }).cause?.code;
  if (code === 'EPRIVATEADDRESS') return 'the shop address points at a local or private network address';
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') return 'the shop did not answer in time';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the shop address could not be found (DNS)';
  if (code === 'ECONNREFUSED') return 'the shop refused the connection';
  return (error as Error).message;
}
