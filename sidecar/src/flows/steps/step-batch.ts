import { cartsByIds, type Cart } from '../../carts/cart-store.ts';
import { consentsAmong, type ConsentRecord, type Purpose } from '../../consent/consent.ts';
import { GroupCommit } from '../../db/group-commit.ts';
import { retryOnDeadlock } from '../../db/deadlock-retry.ts';
import { upsertOrders } from '../../events/order-store.ts';
import { loadSegmentRules } from '../../segments/segment-tags.ts';
import type { OrderPayload } from '../../woo/order-payload.ts';
import { loadShopLanguages, loadShopProfile } from '../../woo/shop-profile.ts';
import { addressesOf, consentOf, contactOf, NO_CONTACT, type Contact } from './channel-choice.ts';
import { customerSubjectOf, loadCustomerSubjects, type CustomerSubject } from '../../customers/customer-subjects.ts';
import { profileLanguagesByKey } from '../../customers/customer-subject-store.ts';
import type { KnownLanguages } from './step-language.ts';
import type { MessageChannel } from '../../messages/message-channel.ts';
import type { FlowDefinition } from '../definition/flow-definition.ts';
import type { SubjectType } from '../definition/flow-texts.ts';
import { enabledFlowKeys, loadFlowVersions, versionKey } from '../definition/flow-store.ts';
import { loadMessagingSettings, type MessagingSettings } from './messaging-settings.ts';
import type { StepRunnerDeps } from './step-runner.ts';
import { applyMoves, recentMessageCounts, writeStepLog, type Claimed, type Move, type StepLogEntry } from './step-store.ts';

// What one claimed batch of the step runner reads and writes once for all of its steps (the
// claiming itself is step-store.ts's claimDue).

/** What the steps of one claimed batch share, each read or written once for all of them. */
export function batchContext(deps: StepRunnerDeps, claimed: Claimed[]) {
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    if (!memo.has(key)) memo.set(key, load());
    return memo.get(key) as Promise<T>;
  };
  const ofShop = (shopId: number, type?: SubjectType) => claimed.filter((r) => r.shopId === shopId && (!type || r.subjectType === type));

  const definitions = (shopId: number) =>
    once(`defs:${shopId}`, () =>
      loadFlowVersions(
        deps.pool,
        shopId,
        ofShop(shopId).map((r) => ({ key: r.flow, version: r.flowVersion })),
      ),
    );
  const enabledFlows = (shopId: number) => once(`enabled:${shopId}`, () => enabledFlowKeys(deps.pool, shopId));
  const freshOrders = (shopId: number) =>
    once(`orders:${shopId}`, async () => {
      const ids = ofShop(shopId, 'order').map((r) => Number(r.subjectId));
      return ids.length ? (await deps.wooClient(shopId)).getOrders(ids) : new Map<number, OrderPayload | null>();
    });
  const carts = (shopId: number) =>
    once(`carts:${shopId}`, () =>
      cartsByIds(
        deps.pool,
        shopId,
        ofShop(shopId, 'cart').map((r) => Number(r.subjectId)),
      ),
    );
  const customerSubjects = (shopId: number) =>
    once(`customers:${shopId}`, () => {
      const rows = [...ofShop(shopId, 'customer'), ...ofShop(shopId, 'event')];
      return loadCustomerSubjects(deps.pool, shopId, {
        keys: rows.map((r) => r.customerKey).filter((k): k is string => !!k),
        eventIds: ofShop(shopId, 'event').map((r) => Number(r.subjectId)),
      });
    });
  const profile = (shopId: number) => once(`profile:${shopId}`, () => loadShopProfile(deps.pool, shopId));
  const loadMessaging = (shopId: number) => once(`messaging:${shopId}`, () => loadMessagingSettings(deps.pool, shopId));
  const shopLanguages = (shopId: number) => once(`languages:${shopId}`, () => loadShopLanguages(deps.pool, shopId));
  const profileLanguages = (shopId: number) =>
    once(`profile-languages:${shopId}`, () =>
      profileLanguagesByKey(
        deps.pool,
        shopId,
        [...ofShop(shopId, 'order'), ...ofShop(shopId, 'cart')].map((r) => r.customerKey).filter((k): k is string => !!k),
      ),
    );
  const stored = (shopId: number) =>
    once(`stored:${shopId}`, async () => {
      const present = [...(await freshOrders(shopId)).values()].filter((o): o is OrderPayload => o !== null);
      // One autocommit statement, newer state wins: a deadlock's victim (a webhook's transaction
      // locking the same orders in its events' order) stores them again (found by the soak).
      if (present.length) await retryOnDeadlock(() => upsertOrders(deps.pool, shopId, present));
    });

  // The writes of a batch: moves are group-committed (one statement for the steps finishing
  // together); the log is written once at the end of the batch.
  const moves = new GroupCommit<Move, void>(async (entries) => {
    await applyMoves(
      deps.pool,
      entries.map((e) => e.item),
    );
    for (const entry of entries) entry.resolve();
  });
  const log: StepLogEntry[] = [];

  return {
    /**
     * Starts the reads nearly every step of the batch needs, side by side on the pool: the first
     * step would otherwise wait on each in turn, and the batch's time is how late its steps go out.
     * A read that fails is answered to the step that awaits it, as without the head start.
     */
    prefetch(): void {
      for (const shopId of new Set(claimed.map((r) => r.shopId))) {
        const types = new Set(ofShop(shopId).map((r) => r.subjectType));
        const reads: Array<Promise<unknown>> = [
          definitions(shopId),
          enabledFlows(shopId),
          profile(shopId),
          shopLanguages(shopId),
          loadMessaging(shopId),
          ...(types.has('order') ? [freshOrders(shopId)] : []),
          ...(types.has('cart') ? [carts(shopId)] : []),
          ...(types.has('customer') || types.has('event') ? [customerSubjects(shopId)] : []),
          ...(types.has('order') || types.has('cart') ? [profileLanguages(shopId)] : []),
        ];
        for (const read of reads) void read.catch(() => undefined);
      }
    },
    definition: async (row: Claimed): Promise<FlowDefinition | undefined> =>
      (await definitions(row.shopId)).get(versionKey(row.flow, row.flowVersion)),
    flowEnabled: async (row: Claimed) => (await enabledFlows(row.shopId)).has(row.flow),
    /** The order as the shop has it now (null: gone), all of the shop's batch in one REST request per 100, then stored. */
    order: async (row: Claimed) => {
      const order = (await freshOrders(row.shopId)).get(Number(row.subjectId)) ?? null;
      await stored(row.shopId);
      return order;
    },
    cart: async (row: Claimed): Promise<Cart | null> => (await carts(row.shopId)).get(Number(row.subjectId)) ?? null,
    /** The customer a win-back, campaign or loyalty step speaks to, with the loyalty event it is about (null: unknown). */
    customer: (row: Claimed): Promise<CustomerSubject | null> => customerOfRow(row),
    /** The rules' default interval: a coupon's rhythm for a customer with one purchase. */
    segmentRules: (shopId: number) => once(`rules:${shopId}`, () => loadSegmentRules(deps.pool, shopId)),
    /** Current stock of the batch's cart and order products (only read when a step asks). */
    stock: (shopId: number, productIds: number[]) =>
      once(`stock:${shopId}:${productIds.join(',')}`, async () => (await deps.wooClient(shopId)).getStock(productIds)),
    messaging: (shopId: number): Promise<MessagingSettings> => loadMessaging(shopId),
    timeZone: async (shopId: number) => (await profile(shopId)).timeZone,
    /** What a message's language is chosen from besides its subject: the shop's locale and languages, the customer profile's language. */
    languages: async (row: Claimed): Promise<KnownLanguages> => ({
      shop: (await profile(row.shopId)).formats.locale,
      shopLanguages: await shopLanguages(row.shopId),
      profile: (row.customerKey && (await profileLanguages(row.shopId)).get(row.customerKey)) || null,
    }),
    consent: async (shopId: number, purpose: Purpose, channel: MessageChannel, address: string): Promise<ConsentRecord | undefined> => {
      const all = await once(`consent:${shopId}:${purpose}:${channel}`, async () => {
        const addresses = await Promise.all(ofShop(shopId).map(async (r) => addressesOf(await contactOfRow(r))));
        return consentsAmong(
          deps.pool,
          shopId,
          purpose,
          channel,
          addresses.map((a) => a[channel]).filter((a): a is string => !!a),
        );
      });
      return consentOf(all, channel, address);
    },
    /**
     * Counts a message against the customer's cap if it fits: the messages they got (or have
     * queued) in the window across all flows and channels, read once for the batch, plus those
     * this batch already let through (checked and counted in one synchronous step).
     */
    takeCapSlot: async (shopId: number, customerKey: string, cap: { messages: number; hours: number }): Promise<number | null> => {
      const counts = await once(`recent:${shopId}:${cap.hours}`, () => {
        const keys = [
          ...new Set(
            ofShop(shopId)
              .map((r) => r.customerKey)
              .filter((k): k is string => !!k),
          ),
        ];
        return recentMessageCounts(deps.pool, shopId, keys, new Date(deps.clock().getTime() - cap.hours * 3_600_000));
      });
      const sent = counts.get(customerKey) ?? 0;
      if (sent >= cap.messages) return sent;
      counts.set(customerKey, sent + 1);
      return null;
    },
    /** A message counted by takeCapSlot that was not queued after all. */
    releaseCapSlot: async (shopId: number, customerKey: string, cap: { hours: number }) => {
      const counts = (await memo.get(`recent:${shopId}:${cap.hours}`)) as Map<string, number> | undefined;
      if (counts) counts.set(customerKey, Math.max(0, (counts.get(customerKey) ?? 1) - 1));
    },
    move: (move: Move) => moves.submit(move),
    log: (entry: Omit<StepLogEntry, 'at'> & { at?: Date }) => void log.push({ ...entry, at: entry.at ?? deps.clock() }),
    flush: () => writeStepLog(deps.pool, log),
  };

  async function customerOfRow(row: Claimed): Promise<CustomerSubject | null> {
    return customerSubjectOf(await customerSubjects(row.shopId), row);
  }

  /** Where the row's customer can be reached, read from the batch's fresh orders, carts and customers. */
  async function contactOfRow(row: Claimed): Promise<Contact> {
    if (row.subjectType === 'order') {
      const order = (await freshOrders(row.shopId)).get(Number(row.subjectId));
      return order ? contactOf({ kind: 'order', order, gateway: null }) : NO_CONTACT;
    }
    if (row.subjectType === 'cart') {
      const cart = (await carts(row.shopId)).get(Number(row.subjectId));
      return cart ? contactOf({ kind: 'cart', cart }) : NO_CONTACT;
    }
    const found = await customerOfRow(row);
    return found ? contactOf({ kind: 'customer', ...found }) : NO_CONTACT;
  }
}

export type Batch = ReturnType<typeof batchContext>;
