import type { RowDataPacket } from 'mysql2/promise';
import { cartsByIds, type Cart } from '../carts/cart-store.ts';
import { consentsAmong, type ConsentRecord } from '../consent/consent.ts';
import { derivedTable } from '../db/batch-sql.ts';
import { GroupCommit } from '../db/group-commit.ts';
import { upsertOrders } from '../events/order-projection.ts';
import { loadSegmentRules } from '../segments/segment-tags.ts';
import type { OrderPayload } from '../woo/order-payload.ts';
import { loadShopProfile } from '../woo/shop-profile.ts';
import { addressesOf, contactOf, NO_CONTACT, writeStepLog, type Contact, type StepLogEntry } from './channel-choice.ts';
import { loadCustomerSubjects, type CustomerSubject } from './customer-subjects.ts';
import type { FlowDefinition, MessageChannel, SubjectType } from './flow-definition.ts';
import { loadFlowVersions, versionKey } from './flow-store.ts';
import { loadMessagingSettings, type MessagingSettings } from './messaging-settings.ts';
import type { StepRunnerDeps } from './step-runner.ts';

// The step runner's batches: claiming due steps across sidecars, and what one claimed batch
// reads and writes once for all of its steps.

export type Claimed = {
  id: number;
  shopId: number;
  flow: string;
  flowVersion: number;
  subjectType: SubjectType;
  subjectId: string;
  step: number;
  heldOut: boolean;
  customerKey: string | null;
  anchorAt: Date | null;
  enteredAt: Date;
  /** Seconds into its campaign's spread (0 for other flows). */
  spreadS: number;
};

export type Move = { row: Claimed; status: 'active' | 'completed'; nextStepAt: Date | null; advance: boolean; at: Date };


/** What the steps of one claimed batch share, each read or written once for all of them. */
export function batchContext(deps: StepRunnerDeps, claimed: Claimed[]) {
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    if (!memo.has(key)) memo.set(key, load());
    return memo.get(key) as Promise<T>;
  };
  const ofShop = (shopId: number, type?: SubjectType) => claimed.filter((r) => r.shopId === shopId && (!type || r.subjectType === type));

  const definitions = (shopId: number) =>
    once(`defs:${shopId}`, () => loadFlowVersions(deps.pool, shopId, ofShop(shopId).map((r) => ({ key: r.flow, version: r.flowVersion }))));
  const enabledFlows = (shopId: number) =>
    once(`enabled:${shopId}`, async () => {
      const [rows] = await deps.pool.query<RowDataPacket[]>('SELECT flow_key FROM flows WHERE shop_id = ? AND enabled', [shopId]);
      return new Set(rows.map((r) => String(r.flow_key)));
    });
  const freshOrders = (shopId: number) =>
    once(`orders:${shopId}`, async () => {
      const ids = ofShop(shopId, 'order').map((r) => Number(r.subjectId));
      return ids.length ? (await deps.wooClient(shopId)).getOrders(ids) : new Map<number, OrderPayload | null>();
    });
  const carts = (shopId: number) => once(`carts:${shopId}`, () => cartsByIds(deps.pool, shopId, ofShop(shopId, 'cart').map((r) => Number(r.subjectId))));
  const customerSubjects = (shopId: number) =>
    once(`customers:${shopId}`, () => {
      const rows = [...ofShop(shopId, 'customer'), ...ofShop(shopId, 'event')];
      return loadCustomerSubjects(deps.pool, shopId, {
        keys: rows.map((r) => r.customerKey).filter((k): k is string => !!k),
        eventIds: ofShop(shopId, 'event').map((r) => Number(r.subjectId)),
      });
    });
  const stored = (shopId: number) =>
    once(`stored:${shopId}`, async () => {
      const present = [...(await freshOrders(shopId)).values()].filter((o): o is OrderPayload => o !== null);
      if (present.length) await upsertOrders(deps.pool, shopId, present);
    });

  // The writes of a batch: moves are group-committed (one statement for the steps finishing
  // together); the log is written once at the end of the batch.
  const moves = new GroupCommit<Move, void>(async (entries) => {
    const v = derivedTable(
      ['id', 'step', 'status', 'next_step_at', 'advance', 'at'],
      entries.map(({ item: m }) => [m.row.id, m.row.step, m.status, m.nextStepAt, m.advance ? 1 : 0, m.at]),
    );
    await deps.pool.query(
      `UPDATE enrollments e JOIN (${v.sql}) v ON e.id = v.id
       SET e.step = e.step + v.advance, e.status = v.status, e.next_step_at = v.next_step_at,
           e.exited_at = IF(v.status = 'active', NULL, v.at),
           e.locked_at = NULL, e.locked_by = NULL, e.last_error = NULL, e.mark_dirty = e.mark_dirty OR (v.status <> 'active' AND e.mark_until IS NOT NULL)
       WHERE e.step = v.step AND e.status = 'active'`,
      v.params,
    );
    for (const entry of entries) entry.resolve();
  });
  const log: StepLogEntry[] = [];

  return {
    definition: async (row: Claimed): Promise<FlowDefinition | undefined> => (await definitions(row.shopId)).get(versionKey(row.flow, row.flowVersion)),
    flowEnabled: async (row: Claimed) => (await enabledFlows(row.shopId)).has(row.flow),
    /** The order as the shop has it now (null: gone), all of the shop's batch in one REST request per 100, then stored. */
    order: async (row: Claimed) => {
      const order = (await freshOrders(row.shopId)).get(Number(row.subjectId)) ?? null;
      await stored(row.shopId);
      return order;
    },
    cart: async (row: Claimed): Promise<Cart | null> => (await carts(row.shopId)).get(Number(row.subjectId)) ?? null,
    /** The customer a win-back, campaign or loyalty step speaks to, with the loyalty event it is about (null: unknown). */
    customer: async (row: Claimed): Promise<CustomerSubject | null> => customerSubjectOf(row),
    /** The rules' default interval: a coupon's rhythm for a customer with one purchase. */
    segmentRules: (shopId: number) => once(`rules:${shopId}`, () => loadSegmentRules(deps.pool, shopId)),
    /** Current stock of the batch's cart and order products (only read when a step asks). */
    stock: (shopId: number, productIds: number[]) =>
      once(`stock:${shopId}:${productIds.join(',')}`, async () => (await deps.wooClient(shopId)).getStock(productIds)),
    messaging: (shopId: number): Promise<MessagingSettings> => once(`messaging:${shopId}`, () => loadMessagingSettings(deps.pool, shopId)),
    timeZone: (shopId: number) => once(`tz:${shopId}`, async () => (await loadShopProfile(deps.pool, shopId)).timeZone),
    consent: async (shopId: number, channel: MessageChannel, address: string): Promise<ConsentRecord | undefined> => {
      const all = await once(`consent:${shopId}:${channel}`, async () => {
        const addresses = await Promise.all(ofShop(shopId).map(async (r) => addressesOf(await contactOfRow(r))));
        return consentsAmong(deps.pool, shopId, channel, addresses.map((a) => a[channel]).filter((a): a is string => !!a));
      });
      return all.get(channel === 'email' ? address.toLowerCase() : address);
    },
    /**
     * Counts a message against the customer's cap if it fits: the messages they got (or have
     * queued) in the window across all flows and channels, read once for the batch, plus those
     * this batch already let through (checked and counted in one synchronous step).
     */
    takeCapSlot: async (shopId: number, customerKey: string, cap: { messages: number; hours: number }): Promise<number | null> => {
      const counts = await once(`recent:${shopId}:${cap.hours}`, async () => {
        const keys = [...new Set(ofShop(shopId).map((r) => r.customerKey).filter((k): k is string => !!k))];
        const [rows] = await deps.pool.query<RowDataPacket[]>(
          "SELECT customer_key, COUNT(*) AS n FROM outbox WHERE shop_id = ? AND customer_key IN (?) AND created_at >= ? AND status NOT IN ('cancelled', 'failed') GROUP BY customer_key",
          [shopId, keys, new Date(deps.clock().getTime() - cap.hours * 3_600_000)],
        );
        return new Map(rows.map((r) => [String(r.customer_key), Number(r.n)]));
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

  async function customerSubjectOf(row: Claimed): Promise<CustomerSubject | null> {
    const { customers, events } = await customerSubjects(row.shopId);
    const customer = row.customerKey ? customers.get(row.customerKey) : undefined;
    if (!customer) return null;
    if (row.subjectType !== 'event') return { customer, event: null };
    const event = events.get(Number(row.subjectId));
    return event ? { customer, event } : null;
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
    const found = await customerSubjectOf(row);
    return found ? contactOf({ kind: 'customer', ...found }) : NO_CONTACT;
  }
}

export type Batch = ReturnType<typeof batchContext>;

/** Claims due steps, leased from `now` (the stamp a lease keeper renews: scheduler/lease-keeper.ts). */
export async function claimDue(deps: StepRunnerDeps, limit: number, leaseMs: number, now = deps.clock()): Promise<Claimed[]> {
  const conn = await deps.pool.getConnection();
  try {
    await conn.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
    await conn.beginTransaction();
    const [rows] = await conn.query<RowDataPacket[]>(
      `SELECT id, shop_id, flow, flow_version, subject_type, subject_id, step, held_out, customer_key, anchor_at, entered_at, spread_s FROM enrollments FORCE INDEX (enrollments_due)
       WHERE status = 'active' AND next_step_at <= ? AND (locked_at IS NULL OR locked_at < ?)
       ORDER BY next_step_at LIMIT ? FOR UPDATE SKIP LOCKED`,
      [now, new Date(now.getTime() - leaseMs), limit],
    );
    if (rows.length) {
      await conn.query('UPDATE enrollments SET locked_at = ?, locked_by = ? WHERE id IN (?)', [now, deps.workerName, rows.map((r) => r.id)]);
    }
    await conn.commit();
    return rows.map((r) => ({
      id: Number(r.id),
      shopId: Number(r.shop_id),
      flow: String(r.flow),
      flowVersion: Number(r.flow_version),
      subjectType: r.subject_type as SubjectType,
      subjectId: String(r.subject_id),
      step: Number(r.step),
      heldOut: Boolean(r.held_out),
      customerKey: r.customer_key ?? null,
      anchorAt: r.anchor_at ?? null,
      enteredAt: r.entered_at,
      spreadS: Number(r.spread_s ?? 0),
    }));
  } catch (error) {
    await conn.rollback().catch(() => undefined);
    throw error;
  } finally {
    conn.release();
  }
}
