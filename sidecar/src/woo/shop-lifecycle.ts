import type { MerchantNet } from './merchant-url.ts';
import type { Pool } from 'mysql2/promise';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { cancelShopMessages } from '../messages/outbox.ts';
import { markedOrdersOfShop } from './order-mark-store.ts';
import { RECOVERY_MARK } from './order-marks.ts';
import { createWooClient, type WooClient } from './rest-client.ts';
import { deleteOrderWebhooks, withWebhookLock } from './shop-connection.ts';
import { eraseShopRows } from './shop-erase-store.ts';
import { forgetShopSecrets } from './shop-secrets.ts';
import {
  exitShopEnrollments,
  forgetShopKey,
  markShopDisconnected,
  markShopPaused,
  markShopResumed,
  PLUGIN_PAUSES,
  shopState,
  type ShopState,
  type StateReason,
} from './shop-state-store.ts';
import { shopCredentials, shopLinkSettings } from './shop-store.ts';

/** What the queue shows on a message a disconnect cancelled. */
export const DISCONNECTED_REASON = 'the shop was disconnected';
/** Rows a disconnect ends or cancels per statement. */
const BATCH = 1_000;
/** Orders whose keep-alive mark is cleared per REST request (WooCommerce's batch limit). */
const MARK_BATCH = 100;

export type DisconnectResult = {
  state: 'disconnected';
  webhooksDeleted: number;
  messagesCancelled: number;
  marksCleared: number;
  /** The last 7 characters of the REST key forgotten, as WooCommerce lists keys ("…abc1234"); null when none was stored. */
  truncatedKey: string | null;
  erased: boolean;
};

type Deps = { pool: Pool; logger: Logger };

/** Pauses the shop: nobody new enters, waiting steps and messages are held, nothing is written into the shop. */
export async function pauseShop(deps: Deps, shopId: number, reason: StateReason, now = new Date()): Promise<ShopState> {
  const before = await existingState(deps.pool, shopId);
  if (before.state === 'disconnected')
    throw new AppError('shop_disconnected', 'The shop is disconnected: connect it again before pausing or resuming it.', 409);
  if (await markShopPaused(deps.pool, shopId, reason, now)) deps.logger.info({ shopId, state: 'paused', reason }, 'shop state changed');
  return existingState(deps.pool, shopId);
}

/**
 * Resumes a paused shop; the step and send loops are kicked, so what was held goes out now, once.
 * The plugin's activation (reason plugin-activated) lifts only a pause the plugin caused.
 */
export async function resumeShop(
  deps: Deps & { kick: () => void },
  shopId: number,
  reason: 'merchant' | 'plugin-activated',
  now = new Date(),
): Promise<ShopState> {
  const before = await existingState(deps.pool, shopId);
  if (before.state === 'disconnected')
    throw new AppError('shop_disconnected', 'The shop is disconnected: connect the shop again (its REST key) to resume it.', 409);
  const resumed = await markShopResumed(deps.pool, shopId, now, reason === 'plugin-activated' ? PLUGIN_PAUSES : undefined);
  if (resumed) {
    deps.logger.info({ shopId, state: 'active', reason }, 'shop state changed');
    deps.kick();
  }
  return existingState(deps.pool, shopId);
}

/**
 * Disconnects the shop, within about `budgetMs` (the plugin's uninstall waits 25 s): the shop is
 * marked disconnected first (every sweep and claim skips it from then on), its running
 * enrollments end and waiting messages are cancelled with the reason, its webhooks are deleted
 * over REST (under the webhook lock, so a sweep's check in flight finishes first and the next one
 * sees the state), keep-alive marks cleared in batches while time is left (the plugin clears its
 * own when uninstalling), the REST key forgotten; with `erase` every row of the shop is deleted.
 * A REST failure is logged and the rest goes on: a webhook left behind is answered 410.
 */
export async function disconnectShop(
  deps: Deps & { deliveryUrl: () => string; net: MerchantNet; client?: WooClient },
  shopId: number,
  options: { data: 'keep' | 'erase'; reason: StateReason; budgetMs?: number },
  now = new Date(),
): Promise<DisconnectResult> {
  const { pool, logger } = deps;
  const deadline = Date.now() + (options.budgetMs ?? 15_000);
  await existingState(pool, shopId);
  const credentials = await shopCredentials(pool, shopId);
  if (await markShopDisconnected(pool, shopId, options.reason, now)) {
    logger.info({ shopId, state: 'disconnected', reason: options.reason, data: options.data }, 'shop state changed');
  }
  forgetShopSecrets();
  while ((await exitShopEnrollments(pool, shopId, now, BATCH)) === BATCH);
  let messagesCancelled = 0;
  for (let n = BATCH; n === BATCH; messagesCancelled += n) n = await cancelShopMessages(pool, shopId, DISCONNECTED_REASON, BATCH);

  let webhooksDeleted = 0;
  let marksCleared = 0;
  if (credentials) {
    const client = deps.client ?? createWooClient(credentials, { timeoutMs: 5_000, net: deps.net });
    try {
      webhooksDeleted = await withWebhookLock(pool, shopId, () => deleteOrderWebhooks(client, deps.deliveryUrl(), deadline));
    } catch (error) {
      logger.warn({ err: error, shopId }, 'the shop’s webhooks could not be deleted; deliveries to a disconnected shop are answered 410');
    }
    // Marks were only ever written into a shop whose plugin reads them (order-marks.ts).
    if ((await shopLinkSettings(pool, shopId))?.linkBase)
      marksCleared = await clearMarks(pool, shopId, client, deadline).catch((error: unknown) => {
        logger.warn({ err: error, shopId }, 'keep-alive marks could not all be cleared; the plugin clears its own when uninstalled');
        return 0;
      });
    await forgetShopKey(pool, shopId);
  }
  // A step claimed just before the disconnect may have queued its message since: cancelled too.
  messagesCancelled += await cancelShopMessages(pool, shopId, DISCONNECTED_REASON, BATCH);
  const erased = options.data === 'erase' && (await eraseShopRows(pool, shopId)) > 0;
  if (erased) {
    forgetShopSecrets();
    logger.info({ shopId }, 'shop data erased');
  }
  return {
    state: 'disconnected',
    webhooksDeleted,
    messagesCancelled,
    marksCleared,
    truncatedKey: credentials ? credentials.consumerKey.slice(-7) : null,
    erased,
  };
}

/** Clears `_comeback_recovery_until` on the shop's marked orders, 100 a request, until done or the deadline. */
async function clearMarks(pool: Pool, shopId: number, client: WooClient, deadline: number): Promise<number> {
  let cleared = 0;
  for (let after = 0; Date.now() < deadline;) {
    const marked = await markedOrdersOfShop(pool, shopId, after, MARK_BATCH);
    if (marked.length === 0) break;
    await client.setOrdersMeta(
      RECOVERY_MARK,
      marked.map((m) => ({ id: m.orderId, value: '' })),
    );
    cleared += marked.length;
    after = marked.at(-1)!.id;
  }
  return cleared;
}

async function existingState(pool: Pool, shopId: number): Promise<ShopState> {
  const state = await shopState(pool, shopId);
  if (!state) throw AppError.notFound(`shop ${shopId} does not exist`);
  return state;
}
