import { execute, sealed, selectOne, selectRows, type Queryable, type Row } from '../db/queryable.ts';
import type { WooCredentials } from './rest-client.ts';
import type { WebhookState } from './shop-connection.ts';
import type { ShopLifecycle, StateReason } from './shop-state-store.ts';

/**
 * The `shops` table: who a shop is (URL, name, time zone), how we reach it (REST key, shared
 * secret, the plugin's link base) and what the last webhook check and sweep found.
 */

export type ShopSummary = { id: number; url: string; name: string | null; demo: boolean };

/** The shop's row as the connection page shows it; `hasKey`: a REST key is stored. */
export type ShopConnectionRow = ShopSummary & {
  currency: string | null;
  hasKey: boolean;
  webhooks: WebhookState[] | null;
  webhooksCheckedAt: Date | null;
  lastReconciledAt: Date | null;
  connectionError: string | null;
  /** Where the shop's plugin answers payment links; null: they point at the sidecar. */
  linkBase: string | null;
  state: ShopLifecycle;
  stateReason: StateReason | null;
  stateChangedAt: Date | null;
};

/** What a shop's plugin needs of us: where it answers, and the secret both sides sign with. */
export type ShopPlugin = { id: number; linkBase: string; secret: string; state: ShopLifecycle };

const summaryOf = (r: Row): ShopSummary => ({ id: r.num('id'), url: r.str('url'), name: r.strOrNull('name'), demo: r.bool('demo') });

/** Creates the shop's row with this shared secret unless its URL is already known (then nothing changes). */
export async function insertShopIfNew(db: Queryable, url: string, name: string | null, secret: string): Promise<void> {
  await execute(db, 'INSERT IGNORE INTO shops (url, name, webhook_secret) VALUES (?, ?, ?)', [url, name, sealed(db, secret)]);
}

export async function renameShop(db: Queryable, url: string, name: string): Promise<void> {
  await execute(db, 'UPDATE shops SET name = ? WHERE url = ?', [name, url]);
}

/** Stores the shop's name (its site title); answers whether it changed. */
export async function setShopName(db: Queryable, shopId: number, name: string): Promise<boolean> {
  return (await execute(db, 'UPDATE shops SET name = ? WHERE id = ? AND NOT (name <=> ?)', [name, shopId, name])).affectedRows > 0;
}

/** The shop's time zone as WordPress reports it ("Europe/Warsaw", "+02:00"); true when it changed. */
export async function setShopTimezone(db: Queryable, shopId: number, timeZone: string): Promise<boolean> {
  return (
    (await execute(db, 'UPDATE shops SET timezone = ? WHERE id = ? AND NOT (timezone <=> ?)', [timeZone, shopId, timeZone])).affectedRows >
    0
  );
}

/**
 * The shop at this (normalised) URL with its shared secrets and whether it was disconnected; null
 * when the URL is not known. `next`: the new secret of a rotation waiting for its confirmation;
 * `previous`: the secret a confirmed rotation replaced, at `rotatedAt` (null when none).
 */
export type ShopSecrets = {
  id: number;
  secret: string;
  next: string | null;
  previous: string | null;
  rotatedAt: Date | null;
  disconnected: boolean;
};

export async function shopSecretByUrl(db: Queryable, url: string): Promise<ShopSecrets | null> {
  return selectOne(
    db,
    'SELECT id, webhook_secret, next_secret, previous_secret, secret_rotated_at, state FROM shops WHERE url = ?',
    [url],
    (r) => ({
      id: r.num('id'),
      secret: r.secret('webhook_secret'),
      next: r.secret('next_secret') || null,
      previous: r.secret('previous_secret') || null,
      rotatedAt: r.dateOrNull('secret_rotated_at'),
      disconnected: r.str('state') === 'disconnected',
    }),
  );
}

/** Stores the new secret of a rotation (sealed), replacing one still waiting for its confirmation. */
export async function setNextSecret(db: Queryable, shopId: number, next: string): Promise<void> {
  await execute(db, 'UPDATE shops SET next_secret = ? WHERE id = ?', [sealed(db, next), shopId]);
}

/** The waiting new secret as stored (sealed) and opened; null when no rotation waits. */
export async function pendingSecret(db: Queryable, shopId: number): Promise<{ stored: string; secret: string } | null> {
  return selectOne(db, 'SELECT next_secret FROM shops WHERE id = ? AND next_secret IS NOT NULL', [shopId], (r) => ({
    stored: r.str('next_secret'),
    secret: r.secret('next_secret'),
  }));
}

/**
 * Makes the waiting secret (exactly the one stored as `stored`: a rotate in between replaced it)
 * the shop's secret; the old one is kept as `previous_secret` with the time. True when it switched.
 */
export async function promoteNextSecret(db: Queryable, shopId: number, stored: string, at: Date): Promise<boolean> {
  const result = await execute(
    db,
    'UPDATE shops SET previous_secret = webhook_secret, webhook_secret = next_secret, next_secret = NULL, secret_rotated_at = ? WHERE id = ? AND next_secret = ?',
    [at, shopId, stored],
  );
  return result.affectedRows > 0;
}

/** The shop's shared secret; null when there is no such shop. */
export async function shopSecret(db: Queryable, shopId: number): Promise<string | null> {
  return selectOne(db, 'SELECT webhook_secret FROM shops WHERE id = ?', [shopId], (r) => r.secret('webhook_secret'));
}

/** Stores a REST key that was just tried; the currency is kept when WooCommerce did not tell one. */
export async function saveShopKey(
  db: Queryable,
  shopId: number,
  key: { consumerKey: string; consumerSecret: string; currency: string | null; demo: boolean },
): Promise<void> {
  await execute(db, 'UPDATE shops SET consumer_key = ?, consumer_secret = ?, currency = COALESCE(?, currency), demo = ? WHERE id = ?', [
    key.consumerKey,
    sealed(db, key.consumerSecret),
    key.currency,
    key.demo,
    shopId,
  ]);
}

/** Why the last REST call for the shop failed, for the merchant to see. */
export async function recordConnectionError(db: Queryable, shopId: number, message: string): Promise<void> {
  await execute(db, 'UPDATE shops SET connection_error = ? WHERE id = ?', [message, shopId]);
}

/** The order webhooks as the last check recorded them; null before the first check. */
export async function storedWebhooks(db: Queryable, shopId: number): Promise<WebhookState[] | null> {
  return (await selectOne(db, 'SELECT webhooks FROM shops WHERE id = ?', [shopId], (r) => r.json<WebhookState[]>('webhooks'))) ?? null;
}

/** Records a webhook check that succeeded: the states found, when, and no connection error any more. */
export async function saveWebhookCheck(db: Queryable, shopId: number, webhooks: WebhookState[], checkedAt: Date): Promise<void> {
  await execute(db, 'UPDATE shops SET webhooks = ?, webhooks_checked_at = ?, connection_error = NULL WHERE id = ?', [
    JSON.stringify(webhooks),
    checkedAt,
    shopId,
  ]);
}

export async function shopConnectionRow(db: Queryable, shopId: number): Promise<ShopConnectionRow | null> {
  return selectOne(
    db,
    `SELECT id, url, name, currency, demo, consumer_key, webhooks, webhooks_checked_at, last_reconciled_at, connection_error, link_base,
       state, state_reason, state_changed_at FROM shops WHERE id = ?`,
    [shopId],
    (r) => ({
      ...summaryOf(r),
      currency: r.strOrNull('currency'),
      hasKey: r.str('consumer_key') !== '',
      webhooks: r.json<WebhookState[]>('webhooks'),
      webhooksCheckedAt: r.dateOrNull('webhooks_checked_at'),
      lastReconciledAt: r.dateOrNull('last_reconciled_at'),
      connectionError: r.strOrNull('connection_error'),
      linkBase: r.strOrNull('link_base'),
      state: r.str('state') as ShopLifecycle,
      stateReason: r.strOrNull('state_reason') as StateReason | null,
      stateChangedAt: r.dateOrNull('state_changed_at'),
    }),
  );
}

/** Every shop this sidecar serves, oldest first. */
export async function listShops(db: Queryable): Promise<ShopSummary[]> {
  return selectRows(db, 'SELECT id, url, name, demo FROM shops ORDER BY id', [], summaryOf);
}

/** What every message shows of the shop itself; null when there is no such shop. */
export async function shopIdentity(
  db: Queryable,
  shopId: number,
): Promise<{ url: string; name: string | null; timezone: string | null } | null> {
  return selectOne(db, 'SELECT name, url, timezone FROM shops WHERE id = ?', [shopId], (r) => ({
    url: r.str('url'),
    name: r.strOrNull('name'),
    timezone: r.strOrNull('timezone'),
  }));
}

/** The REST key of a shop; null when there is no such shop or it has no complete key (not connected yet, or any more). */
export async function shopCredentials(db: Queryable, shopId: number): Promise<WooCredentials | null> {
  const credentials = await selectOne(db, 'SELECT url, consumer_key, consumer_secret FROM shops WHERE id = ?', [shopId], (r) =>
    r.str('consumer_key') !== '' && r.str('consumer_secret') !== '' ? credentialsOf(r) : null,
  );
  return credentials ?? null;
}

/** The name to show for a shop: its stored name (the site title), else its URL's host. */
export function shopDisplayName(shop: { name: string | null; url: string }): string {
  return shop.name ?? new URL(shop.url).host;
}

/** Every shop with a REST key stored and not disconnected, for the sweep, with its state (a paused shop is read, never written to). */
export async function shopsWithKeys(db: Queryable): Promise<Array<{ id: number; credentials: WooCredentials; state: ShopLifecycle }>> {
  return selectRows(
    db,
    "SELECT id, url, consumer_key, consumer_secret, state FROM shops WHERE consumer_key IS NOT NULL AND consumer_secret IS NOT NULL AND state <> 'disconnected'",
    [],
    (r) => ({
      id: r.num('id'),
      credentials: credentialsOf(r),
      state: r.str('state') as ShopLifecycle,
    }),
  );
}

const credentialsOf = (r: Row): WooCredentials => ({
  url: r.str('url'),
  consumerKey: r.str('consumer_key'),
  consumerSecret: r.secret('consumer_secret'),
});

/** When the last sweep of the shop's orders started; null before the first. */
export async function lastReconciledAt(db: Queryable, shopId: number): Promise<Date | null> {
  return (
    (await selectOne(db, 'SELECT last_reconciled_at FROM shops WHERE id = ?', [shopId], (r) => r.dateOrNull('last_reconciled_at'))) ?? null
  );
}

export async function setLastReconciledAt(db: Queryable, shopId: number, at: Date): Promise<void> {
  await execute(db, 'UPDATE shops SET last_reconciled_at = ? WHERE id = ?', [at, shopId]);
}

/** Where the shop's plugin answers links; null turns links on the shop's domain off. */
export async function setShopLinkBase(db: Queryable, shopId: number, linkBase: string | null): Promise<void> {
  await execute(db, 'UPDATE shops SET link_base = ? WHERE id = ?', [linkBase, shopId]);
}

/** Every shop, not disconnected, whose plugin registered where it answers. */
export async function shopsWithPlugin(db: Queryable): Promise<ShopPlugin[]> {
  return selectRows(
    db,
    "SELECT id, link_base, webhook_secret, state FROM shops WHERE link_base IS NOT NULL AND state <> 'disconnected'",
    [],
    (r) => ({
      id: r.num('id'),
      linkBase: r.str('link_base'),
      secret: r.secret('webhook_secret'),
      state: r.str('state') as ShopLifecycle,
    }),
  );
}

/** What a message's links need of the shop: its URL, the plugin's link base (null without one) and the shared secret; null when there is no such shop. */
export async function shopLinkSettings(
  db: Queryable,
  shopId: number,
): Promise<{ url: string; linkBase: string | null; secret: string } | null> {
  return selectOne(db, 'SELECT url, link_base, webhook_secret FROM shops WHERE id = ?', [shopId], (r) => ({
    url: r.str('url'),
    linkBase: r.strOrNull('link_base'),
    secret: r.secret('webhook_secret'),
  }));
}
