import { __, sprintf } from '@wordpress/i18n';
import { randomBytes } from 'node:crypto';
import type { Pool } from 'mysql2/promise';
import { withNamedLock } from '../db/named-lock.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { storeAddressLines } from './store-address.ts';
import { currencySymbol, type DisplayFormats } from '../messages/display-format.ts';
import { dateNames, priceFormatFromGeneralSettings, defaultShopFormats, sortCodeLabel } from '../messages/shop-formats.ts';
import {
  loadCompany,
  loadFormats,
  loadShopProfile,
  saveCompany,
  refreshGatewaysFromRest,
  saveFormats,
  saveShopTimezone,
  type Company,
} from './shop-profile.ts';
import type { MerchantNet } from './merchant-url.ts';
import { createWooClient, type WooClient, type WooCredentials } from './rest-client.ts';
import {
  insertShopIfNew,
  recordConnectionError,
  renameShop,
  saveShopKey,
  saveWebhookCheck,
  shopConnectionRow,
  shopSecret,
  shopSecretByUrl,
  storedWebhooks,
  type ShopConnectionRow,
} from './shop-store.ts';
import { saveSellingCountries, sellingCountriesFromGeneralSettings } from './selling-countries.ts';
import { fetchSiteIndex } from './site-title.ts';
import { refreshEmailFromRest } from './email-settings.ts';
import { normaliseShopUrl } from './webhook-route.ts';
import { markShopReconnected, shopState } from './shop-state-store.ts';
import { forgetShopSecrets } from './shop-secrets.ts';

/** The order topics recovery listens to. */
export const ORDER_TOPICS = ['order.created', 'order.updated', 'order.deleted', 'order.restored'] as const;
/** What a check did to each topic's webhook, for a log line ({ 'order.created': 'created', … }). */
export function webhookActions(webhooks: WebhookState[]): Record<string, WebhookState['action']> {
  return Object.fromEntries(webhooks.map((w) => [w.topic, w.action]));
}

/** Our webhooks are named "Comeback: <topic>", so a moved sidecar finds and repoints its own. */
const WEBHOOK_NAME = 'Comeback';

export type WebhookState = {
  topic: string;
  id: number;
  status: 'active' | 'paused' | 'disabled';
  /** What this check did: WooCommerce disables a webhook after five failed deliveries in a row. */
  action: 'created' | 'reactivated' | 'repointed' | 'unchanged';
  /** The last time a check had to repair this webhook, and how (kept across later checks). */
  repairedAt?: string;
  lastRepair?: 'reactivated' | 'repointed';
};

/**
 * Makes sure the shop has one active webhook per order topic delivering to us, signed with the
 * shop's secret: missing ones are created, disabled or paused ones re-enabled, ones pointing at
 * an old address repointed, a duplicate of ours deleted. The secret is write-only in WooCommerce,
 * so every write sets it.
 */
export async function ensureOrderWebhooks(
  client: WooClient,
  target: { deliveryUrl: string; secret: string; rewriteSecret?: boolean },
): Promise<WebhookState[]> {
  const existing = await client.listWebhooks();
  const states: WebhookState[] = [];
  for (const topic of ORDER_TOPICS) {
    const candidates = existing.filter(
      (w) => w.topic === topic && (w.delivery_url === target.deliveryUrl || w.name.startsWith(WEBHOOK_NAME)),
    );
    const ours =
      candidates.find((w) => w.delivery_url === target.deliveryUrl && w.status === 'active') ??
      candidates.find((w) => w.delivery_url === target.deliveryUrl) ??
      candidates[0];
    // A second webhook of ours for the same topic (left by an older sidecar's race) would deliver
    // every change twice and hide a disabled twin behind the active one: keep one.
    for (const twin of candidates) {
      if (twin !== ours && twin.delivery_url === target.deliveryUrl && twin.name.startsWith(WEBHOOK_NAME))
        await client.deleteWebhook(twin.id);
    }
    if (!ours) {
      const created = await client.createWebhook({
        name: `${WEBHOOK_NAME}: ${topic}`,
        status: 'active',
        topic,
        delivery_url: target.deliveryUrl,
        secret: target.secret,
      });
      states.push({ topic, id: created.id, status: created.status, action: 'created' });
    } else if (ours.status !== 'active' || ours.delivery_url !== target.deliveryUrl) {
      const action = ours.delivery_url !== target.deliveryUrl ? 'repointed' : 'reactivated';
      const updated = await client.updateWebhook(ours.id, { status: 'active', delivery_url: target.deliveryUrl, secret: target.secret });
      states.push({ topic, id: updated.id, status: updated.status, action });
    } else {
      // A rotated shared secret: WooCommerce's REST PUT webhooks/<id> sets the secret when one is
      // given (includes/rest-api/Controllers/Version1/class-wc-rest-webhooks-v1-controller.php, update_item).
      if (target.rewriteSecret) await client.updateWebhook(ours.id, { secret: target.secret });
      states.push({ topic, id: ours.id, status: ours.status, action: 'unchanged' });
    }
  }
  return states;
}

/**
 * Deletes every webhook of ours in the shop (ours: delivering to us, or named by us), stopping
 * once the time `until` (epoch ms) has passed; answers how many it deleted.
 */
export async function deleteOrderWebhooks(client: WooClient, deliveryUrl: string, until = Infinity): Promise<number> {
  let deleted = 0;
  for (const hook of await client.listWebhooks()) {
    if (hook.delivery_url !== deliveryUrl && !hook.name.startsWith(WEBHOOK_NAME)) continue;
    if (Date.now() >= until) break;
    await client.deleteWebhook(hook.id);
    deleted++;
  }
  return deleted;
}

export type ConnectInput = WooCredentials & { name?: string | undefined };

/** What the merchant sees about a shop's connection. */
export type ShopConnection = {
  shop: Pick<ShopConnectionRow, 'id' | 'url' | 'name' | 'currency' | 'demo'> & {
    /** How the shop writes money and dates: the admin screens print them as the messages do (messages/display-format.ts). */
    formats: DisplayFormats;
    /** The shop's enabled payment gateways by id, with the titles its checkout shows ("Direct bank transfer"). */
    gateways: Array<{ id: string; title: string }>;
  };
  connected: boolean;
  webhooks: WebhookState[];
} & Pick<
  ShopConnectionRow,
  'webhooksCheckedAt' | 'lastReconciledAt' | 'connectionError' | 'linkBase' | 'state' | 'stateReason' | 'stateChangedAt'
>;

/**
 * Connects a shop: the key is tried before anything is stored (a wrong or read-only key is
 * refused with what to do about it), then the shop row is written with its site title as name, the order webhooks registered
 * and, when the merchant has not entered company details yet, the store address taken from
 * WooCommerce's general settings, and its price format. Connecting again updates the keys and repairs the webhooks.
 */
export async function connectShop(
  pool: Pool,
  input: ConnectInput,
  options: { deliveryUrl: string; net: MerchantNet; demo?: boolean; client?: WooClient; logger?: Logger },
): Promise<{ connection: ShopConnection; sharedSecret: string }> {
  const url = normaliseShopUrl(input.url);
  const client = options.client ?? createWooClient({ ...input, url }, { timeoutMs: 10_000, net: options.net });
  const general = await client.generalSettings().catch((error: unknown) => {
    throw keyProblem(error, __('read the shop’s settings', 'comeback'));
  });

  const currency = general.woocommerce_currency?.length === 3 ? general.woocommerce_currency : null;
  // The shop's name is its site title, as its pages and WooCommerce's emails show it; the name the
  // merchant typed only stands in while WordPress's REST index cannot be read (the sweep retries).
  const site = await fetchSiteIndex(url, options.net).catch(() => null);
  const name = site?.title ?? input.name;
  const { shopId, sharedSecret } = await registerShop(pool, url, name);
  // Its clock: a campaign's send time is typed and shown on it (the plugin's profile, when there is one, says the same).
  if (site?.timeZone) await saveShopTimezone(pool, shopId, site.timeZone);
  // The key is stored under the webhook lock: a sweep that sees the key waits for the webhooks.
  const webhooks = await withWebhookLock(pool, shopId, async () => {
    await saveShopKey(pool, shopId, {
      consumerKey: input.consumerKey,
      consumerSecret: input.consumerSecret,
      currency,
      demo: options.demo ?? false,
    });
    // A disconnected shop (its data kept) connected again is active; a paused one stays paused.
    if (await markShopReconnected(pool, shopId, new Date())) {
      forgetShopSecrets();
      options.logger?.info({ shopId, state: 'active', reason: 'connected again' }, 'shop state changed');
    }
    return syncOrderWebhooks(pool, shopId, client, { deliveryUrl: options.deliveryUrl, secret: sharedSecret }).catch(
      async (error: unknown) => {
        const problem = keyProblem(
          error,
          __('create the order webhooks', 'comeback'),
          __('Give the key Read/Write permission (WooCommerce → Settings → Advanced → REST API).', 'comeback'),
        );
        await recordConnectionError(pool, shopId, problem.message);
        throw problem;
      },
    );
  });
  if (!(await loadCompany(pool, shopId))) await saveCompany(pool, shopId, companyFromGeneralSettings(general, name ?? new URL(url).host));
  // Prices as the shop writes them; the plugin, when there is one, adds dates and translations.
  // Without the plugin's translated labels, WooCommerce's English label for the store's country.
  const saved = await loadFormats(pool, shopId);
  await saveFormats(pool, shopId, {
    ...(saved ?? defaultShopFormats),
    ...(saved ? {} : { labels: { ...defaultShopFormats.labels, sortCode: sortCodeLabel(general.woocommerce_default_country ?? '') } }),
    price: priceFormatFromGeneralSettings(general),
  });
  // Where the shop sells: by default SMS and WhatsApp go only to numbers of those countries.
  await saveSellingCountries(pool, shopId, sellingCountriesFromGeneralSettings(general));
  // The shop's email sender and colours, so the first reminder already comes from the shop; the sweep retries a failed read.
  await refreshEmailFromRest(pool, shopId, client).catch(() => undefined);
  // The enabled gateways' titles and instructions, for the recovery texts per offline method; the sweep retries too.
  await refreshGatewaysFromRest(pool, shopId, client).catch(() => undefined);
  // The merchant's admin follows the connection in the log: ids and the host, never the key.
  options.logger?.info({ shopId, host: new URL(url).host, demo: options.demo ?? false }, 'shop connected');
  options.logger?.info({ shopId, webhooks: webhookActions(webhooks) }, 'order webhooks registered');
  // What this connect did to the webhooks, even if a sweep has recorded its own check since.
  return { connection: { ...(await shopConnection(pool, shopId)), webhooks }, sharedSecret };
}

/** The shop's row by URL, created with a fresh shared secret when new; the secret is kept otherwise. */
export async function registerShop(pool: Pool, shopUrl: string, name?: string): Promise<{ shopId: number; sharedSecret: string }> {
  const url = normaliseShopUrl(shopUrl);
  await insertShopIfNew(pool, url, name ?? null, randomBytes(32).toString('base64url'));
  if (name) await renameShop(pool, url, name);
  const shop = (await shopSecretByUrl(pool, url))!;
  return { shopId: shop.id, sharedSecret: shop.secret };
}

/**
 * The periodic check (with reconciliation): webhooks repaired and their state recorded. A shop
 * paused or disconnected (read under the lock: a disconnect deleting them waits for a running
 * check, and the check after it sees the state) never has its webhooks re-created: nothing is checked.
 */
export async function checkShopWebhooks(pool: Pool, shopId: number, client: WooClient, deliveryUrl: string): Promise<WebhookState[]> {
  return withWebhookLock(pool, shopId, async () => {
    if ((await shopState(pool, shopId))?.state !== 'active') return [];
    return syncOrderWebhooks(pool, shopId, client, { deliveryUrl, secret: (await shopSecret(pool, shopId))! });
  });
}

/** Every order webhook of ours re-registered with the shop's new shared secret (a rotation's confirm), under the webhook lock. */
export async function resecretShopWebhooks(
  pool: Pool,
  shopId: number,
  client: WooClient,
  target: { deliveryUrl: string; secret: string },
): Promise<WebhookState[]> {
  return withWebhookLock(pool, shopId, () => syncOrderWebhooks(pool, shopId, client, { ...target, rewriteSecret: true }));
}

/**
 * One webhook check per shop at a time across every sidecar: a sweep running while the merchant
 * connects (or two sidecars' sweeps) would otherwise both find a topic missing and register it twice.
 */
export function withWebhookLock<T>(pool: Pool, shopId: number, work: () => Promise<T>): Promise<T> {
  return withNamedLock(pool, `comeback:webhooks:${shopId}`, 60, work);
}

/** Checks and repairs the shop's webhooks and records what was found (under the webhook lock). */
async function syncOrderWebhooks(
  pool: Pool,
  shopId: number,
  client: WooClient,
  target: { deliveryUrl: string; secret: string; rewriteSecret?: boolean },
): Promise<WebhookState[]> {
  return recordWebhookCheck(pool, shopId, await ensureOrderWebhooks(client, target));
}

/** Stores the check with the last repair of each webhook kept; answers what it stored. */
async function recordWebhookCheck(pool: Pool, shopId: number, checked: WebhookState[]): Promise<WebhookState[]> {
  const previous = (await storedWebhooks(pool, shopId)) ?? [];
  const now = new Date().toISOString();
  const webhooks = checked.map((w): WebhookState => {
    if (w.action === 'reactivated' || w.action === 'repointed') return { ...w, repairedAt: now, lastRepair: w.action };
    const before = previous.find((p) => p.id === w.id);
    return before?.repairedAt
      ? { ...w, repairedAt: before.repairedAt, ...(before.lastRepair ? { lastRepair: before.lastRepair } : {}) }
      : w;
  });
  await saveWebhookCheck(pool, shopId, webhooks, new Date());
  return webhooks;
}

export async function shopConnection(pool: Pool, shopId: number): Promise<ShopConnection> {
  const row = await shopConnectionRow(pool, shopId);
  // translators: %d: the shop's id.
  if (!row) throw AppError.notFound(sprintf(__('shop %d does not exist', 'comeback'), shopId));
  const webhooks = row.webhooks ?? [];
  const profile = await loadShopProfile(pool, shopId);
  const formats: DisplayFormats = {
    currency: row.currency,
    currencySymbol: row.currency ? currencySymbol(row.currency, profile.formats.locale) : '',
    locale: profile.formats.locale,
    price: profile.formats.price,
    timeZone: profile.timeZone,
    dates: dateNames(profile.formats),
  };
  const gateways = profile.gateways.map((g) => ({ id: g.id, title: g.title }));
  return {
    shop: { id: row.id, url: row.url, name: row.name, currency: row.currency, demo: row.demo, formats, gateways },
    connected:
      row.state === 'active' &&
      row.hasKey &&
      webhooks.length === ORDER_TOPICS.length &&
      webhooks.every((w) => w.status === 'active') &&
      !row.connectionError,
    webhooks,
    webhooksCheckedAt: row.webhooksCheckedAt,
    lastReconciledAt: row.lastReconciledAt,
    connectionError: row.connectionError,
    linkBase: row.linkBase,
    state: row.state,
    stateReason: row.stateReason,
    stateChangedAt: row.stateChangedAt,
  };
}

/** A REST failure while connecting, as a 400 that tells the merchant what to fix. */
function keyProblem(
  error: unknown,
  doing: string,
  fix: string = __('Check the shop URL and that the key and secret were copied whole.', 'comeback'),
): AppError {
  const details = (error as AppError).details as { status?: number; code?: string } | undefined;
  const status = details?.status;
  if (status === 401 || status === 403) {
    return AppError.badRequest(
      'woocommerce_key_refused',
      // translators: 1: what the sidecar asked, e.g. "read the shop’s settings", 2: WooCommerce's error code or HTTP status, 3: what to fix.
      sprintf(__('WooCommerce refused the key when asked to %1$s (%2$s). %3$s', 'comeback'), doing, String(details?.code ?? status), fix),
    );
  }
  // Only our own words and the status: what the address answered is never repeated (it may be anything the URL serves).
  if (status === undefined && error instanceof AppError)
    // translators: 1: what the sidecar asked, e.g. "read the shop’s settings", 2: why it could not reach the shop.
    return AppError.badRequest(
      'shop_unreachable',
      sprintf(__('The shop could not be reached to %1$s: %2$s', 'comeback'), doing, error.message),
    );
  if (status === undefined)
    return AppError.badRequest(
      'woocommerce_rest',
      // translators: 1: what the sidecar asked, e.g. "read the shop’s settings", 2: what to fix.
      sprintf(__('The address did not answer as a WooCommerce shop when asked to %1$s. %2$s', 'comeback'), doing, fix),
    );
  // translators: 1: an HTTP status, 2: what the sidecar asked, e.g. "read the shop’s settings", 3: what to fix.
  return AppError.badRequest(
    'woocommerce_rest',
    sprintf(__('The shop answered HTTP %1$d when asked to %2$s. %3$s', 'comeback'), status, doing, fix),
  );
}

/** Store name and address as WooCommerce → Settings → General has them (no bank accounts: REST does not expose them). */
export function companyFromGeneralSettings(general: Record<string, string>, name: string): Company {
  const [country = '', state = ''] = (general.woocommerce_default_country ?? '').split(':');
  const countryName = country ? (new Intl.DisplayNames(['en'], { type: 'region' }).of(country) ?? country) : '';
  // REST does not give WooCommerce's state names: the code stands in (the plugin sends the names).
  const address = storeAddressLines({
    address1: general.woocommerce_store_address ?? '',
    address2: general.woocommerce_store_address_2 ?? '',
    city: general.woocommerce_store_city ?? '',
    postcode: general.woocommerce_store_postcode ?? '',
    state,
    stateName: state,
    country,
    countryName,
  });
  return { name, address, bankAccounts: [] };
}
