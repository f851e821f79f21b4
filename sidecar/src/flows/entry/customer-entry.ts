import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { jsonColumn } from '../../db/json-column.ts';
import { loadSegmentRules } from '../../segments/segment-tags.ts';
import { loadShopProfile } from '../../woo/shop-profile.ts';
import { loadCustomerSubjects, voucherOf } from '../../customers/customer-subjects.ts';
import { enterFlow, exitEnrollments } from './enrollment.ts';
import { delayMs, type FlowDefinition, type TriggerEvent } from '../definition/flow-definition.ts';
import { flowsForTrigger, type StoredFlow } from '../definition/flow-store.ts';
import { localParts } from '../../zoned-time.ts';
import { customerTimeZone } from '../steps/send-window.ts';
import type { Queryable } from '../../db/queryable.ts';

const DAY_S = 86_400;

/**
 * The audience rules of a flow as SQL over `customers c`: segment tags (any of), excluded tags,
 * total spent (minTotal), billing countries (of their latest order). So entering a million
 * customers into a campaign, or counting them first, never loads them into Node.
 */
export function customerAudienceSql(audience: FlowDefinition['audience']): { join: string; where: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (audience.tags.length) {
    where.push('EXISTS (SELECT 1 FROM customer_tags t WHERE t.shop_id = c.shop_id AND t.customer_key = c.customer_key AND t.tag IN (?))');
    params.push(audience.tags);
  }
  if (audience.excludeTags.length) {
    where.push('NOT EXISTS (SELECT 1 FROM customer_tags x WHERE x.shop_id = c.shop_id AND x.customer_key = c.customer_key AND x.tag IN (?))');
    params.push(audience.excludeTags);
  }
  if (audience.minTotal !== undefined) {
    where.push('c.total_spent >= ?');
    params.push(audience.minTotal);
  }
  let join = '';
  if (audience.countries.length) {
    join = 'JOIN orders lo ON lo.shop_id = c.shop_id AND lo.order_id = c.last_order_id';
    where.push("JSON_VALUE(lo.snapshot, '$.billing.country') IN (?)");
    params.push(audience.countries);
  }
  return { join, where: where.length ? ` AND ${where.join(' AND ')}` : '', params };
}

/**
 * Enters customers into one customer flow straight from SQL (INSERT … SELECT): the hold-out drawn
 * per row, the first step due `delay` after the anchor (never before now), the unique subject key
 * keeping a repeated run from entering anyone twice. `select` yields c.* rows with subject_id,
 * anchor_at and the row's position (for spreading a campaign's sends).
 */
export async function enterCustomersFromSql(db: Queryable, shopId: number, flow: StoredFlow, from: { sql: string; params: unknown[] }, now: Date, spreadPerMinute?: number): Promise<number> {
  const firstDelayS = Math.round(delayMs(flow.definition.steps[0]!.delay) / 1000);
  const spread = spreadPerMinute ? `FLOOR((s.position - 1) / ${Number(spreadPerMinute)}) * 60` : '0';
  const [result] = await db.query<ResultSetHeader>(
    `INSERT IGNORE INTO enrollments (shop_id, flow, flow_version, subject_type, subject_id, status, step, next_step_at, entered_at, anchor_at, held_out, customer_key, spread_s)
     SELECT ?, ?, ?, 'customer', s.subject_id, 'active', 0, GREATEST(s.anchor_at + INTERVAL ? SECOND, ?) + INTERVAL ${spread} SECOND, ?, s.anchor_at, RAND() * 100 < ?, s.customer_key, ${spread}
       FROM (${from.sql}) s`,
    [shopId, flow.key, flow.version, firstDelayS, now, now, flow.definition.holdOutPercent, ...from.params],
  );
  return result.affectedRows;
}

/**
 * Win-back entries: every customer whose days since their last purchase passed their own average
 * gap × the flow's factor (a single purchase: the shop's default interval), and at least minDays.
 * The entry names the lapse (customer and last purchase), so buying again and lapsing again is a
 * new entry, while one lapse is entered once. Step delays count from the lapse; a lapse noticed
 * late (switching the flow on, downtime) counts from now, so the offers still escalate in order.
 */
export async function enterLapsedCustomers(db: Queryable, shopId: number, now: Date): Promise<number> {
  const flows = await flowsForTrigger(db, shopId, 'customer.lapsed');
  if (flows.length === 0) return 0;
  const { defaultIntervalDays } = await loadSegmentRules(db as Pool, shopId);
  let entered = 0;
  for (const flow of flows) {
    if (flow.definition.trigger.event !== 'customer.lapsed') continue;
    const { factor, minDays, perMinute } = flow.definition.trigger;
    const audience = customerAudienceSql(flow.definition.audience);
    const recent = new Date(now.getTime() - 2 * DAY_S * 1000);
    entered += await enterCustomersFromSql(
      db,
      shopId,
      flow,
      {
        // A lapse entered before (finished or not) is skipped here, by the unique subject key's
        // index, rather than by the INSERT IGNORE: every 15 minutes, most lapsed customers are.
        sql: `SELECT c.subject_id, c.customer_key, IF(c.lapse_at >= ?, c.lapse_at, ?) AS anchor_at, ROW_NUMBER() OVER (ORDER BY c.lapse_at DESC, c.id) AS position
                FROM (SELECT c.*, c.last_purchase_at + INTERVAL ROUND(GREATEST(?, COALESCE(c.avg_gap_days, ?) * ?) * ${DAY_S}) SECOND AS lapse_at,
                             CONCAT(c.id, ':', TIMESTAMPDIFF(SECOND, '1970-01-01', c.last_purchase_at)) AS subject_id
                        FROM customers c WHERE c.shop_id = ?) c ${audience.join}
               WHERE c.lapse_at <= ?${audience.where}
                 AND NOT EXISTS (SELECT 1 FROM enrollments a WHERE a.shop_id = c.shop_id AND a.flow = ? AND a.subject_type = 'customer' AND a.subject_id = c.subject_id)
                 AND NOT EXISTS (SELECT 1 FROM enrollments b WHERE b.shop_id = c.shop_id AND b.customer_key = c.customer_key AND b.status = 'active' AND b.flow = ?)`,
        params: [recent, now, minDays, defaultIntervalDays, factor, shopId, now, ...audience.params, flow.key, flow.key],
      },
      now,
      perMinute ?? undefined,
    );
  }
  return entered;
}

/** A stored loyalty event, as the flows need it. */
export type LoyaltyEventRef = { id: number; type: string; customerKey: string; payload: object };

/** Which flows an event starts: a voucher both its notice and its reminder before expiry. */
const TRIGGERS_OF: Record<string, TriggerEvent[]> = {
  'voucher.issued': ['voucher.issued', 'voucher.expiring'],
  'nps.request': ['nps.requested'],
  'points.balance': ['balance.updated'],
  'cashback.balance': ['balance.updated'],
  'birthday.today': ['customer.birthday'],
};
/** A newer one of these replaces what the customer still has waiting (an old balance, an old survey). */
const SUPERSEDING = new Set<TriggerEvent>(['balance.updated', 'nps.requested']);

/**
 * Enters a loyalty event into the flows it triggers, then marks it entered. The voucher reminder
 * counts from `daysBefore` days before expiry (now, for a voucher expiring sooner; never for one
 * already expired). A redeemed voucher ends the messages about it that are still waiting. Safe to
 * run again for the same event (one enrollment per event and flow): the sweep below does, for an
 * event whose entry was cut short.
 */
export async function enterLoyaltyFlows(db: Queryable, shopId: number, event: LoyaltyEventRef, now: Date): Promise<number> {
  const entered = event.type === 'voucher.redeemed' ? (await exitVoucherMessages(db, shopId, event, now), 0) : await enterEventFlows(db, shopId, event, now);
  await db.query('UPDATE loyalty_events SET flows_entered_at = ? WHERE id = ?', [now, event.id]);
  return entered;
}

/** Events stored but not yet entered into their flows (the request or the process died in between), oldest first. */
export async function enterPendingLoyaltyEvents(pool: Pool, now: Date, graceMs = 60_000): Promise<number> {
  const [rows] = await pool.query<RowDataPacket[]>(
    'SELECT id, shop_id, type, customer_key, payload FROM loyalty_events WHERE flows_entered_at IS NULL AND created_at < ? ORDER BY id LIMIT 500',
    [new Date(now.getTime() - graceMs)],
  );
  let entered = 0;
  for (const r of rows) {
    const event = { id: Number(r.id), type: String(r.type), customerKey: String(r.customer_key), payload: jsonColumn<object>(r.payload) ?? {} };
    entered += await enterLoyaltyFlows(pool, Number(r.shop_id), event, now);
  }
  return entered;
}

async function enterEventFlows(db: Queryable, shopId: number, event: LoyaltyEventRef, now: Date): Promise<number> {
  let entered = 0;
  for (const trigger of TRIGGERS_OF[event.type] ?? []) {
    for (const flow of await flowsForTrigger(db, shopId, trigger)) {
      let anchor = now;
      if (flow.definition.trigger.event === 'voucher.expiring') {
        const expiresAt = voucherOf(event)?.expiresAt;
        if (!expiresAt || new Date(expiresAt).getTime() <= now.getTime()) continue;
        anchor = new Date(Math.max(now.getTime(), new Date(expiresAt).getTime() - flow.definition.trigger.daysBefore * DAY_S * 1000));
      }
      if (SUPERSEDING.has(trigger)) {
        // Only older events are replaced; an event older than one already in the flow (two
        // arriving at once, a late sweep) is itself the one replaced.
        const [others] = await db.query<RowDataPacket[]>(
          "SELECT id, CAST(subject_id AS UNSIGNED) AS event_id FROM enrollments WHERE shop_id = ? AND flow = ? AND customer_key = ? AND subject_type = 'event' AND subject_id <> ?",
          [shopId, flow.key, event.customerKey, String(event.id)],
        );
        if (others.some((r) => Number(r.event_id) > event.id)) continue;
        await exitEnrollments(db, others.map((r) => Number(r.id)), 'superseded', now);
      }
      const facts = { customerKey: event.customerKey, country: null, total: 0 };
      if ((await enterFlow(db, shopId, flow, { type: 'event', id: String(event.id) }, facts, anchor, now)) === 'entered') entered++;
    }
  }
  return entered;
}

async function exitVoucherMessages(db: Queryable, shopId: number, redeemed: LoyaltyEventRef, now: Date): Promise<void> {
  const code = voucherOf(redeemed)?.code;
  if (!code) return;
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT e.id FROM enrollments e JOIN loyalty_events l ON l.shop_id = e.shop_id AND l.id = CAST(e.subject_id AS UNSIGNED)
      WHERE e.shop_id = ? AND e.subject_type = 'event' AND e.status = 'active' AND e.customer_key = ? AND l.type = 'voucher.issued' AND JSON_VALUE(l.payload, '$.voucher.code') = ?`,
    [shopId, redeemed.customerKey, code],
  );
  await exitEnrollments(db, rows.map((r) => Number(r.id)), 'voucher used', now);
}

/**
 * Birthdays: customers whose birthday it is today in their own zone (the one they told the
 * program, else their country's, else the shop's) get a `birthday.today` event, once a year
 * (its source id names the year), which enters the birthday flows. 29 February is celebrated on
 * the 28th in other years. Run hourly: each zone's day is caught as it starts.
 */
export async function enterBirthdays(pool: Pool, shopId: number, now: Date): Promise<number> {
  if ((await flowsForTrigger(pool, shopId, 'customer.birthday')).length === 0) return 0;
  // Candidates: a birthday between yesterday and tomorrow in UTC covers every zone's today.
  const days = [-1, 0, 1].map((d) => new Date(now.getTime() + d * DAY_S * 1000)).map((d) => [d.getUTCMonth() + 1, d.getUTCDate()]);
  if (days.some(([m, d]) => m === 2 && d === 28)) days.push([2, 29]);
  const [rows] = await pool.query<RowDataPacket[]>(
    'SELECT customer_key, birth_month, birth_day FROM customer_profiles WHERE shop_id = ? AND (birth_month, birth_day) IN (?)',
    [shopId, days],
  );
  if (rows.length === 0) return 0;
  const shopZone = (await loadShopProfile(pool, shopId)).timeZone;
  const { customers } = await loadCustomerSubjects(pool, shopId, { keys: rows.map((r) => String(r.customer_key)), eventIds: [] });
  let entered = 0;
  for (const row of rows) {
    const key = String(row.customer_key);
    const customer = customers.get(key);
    const zone = customer?.timeZone ?? customerTimeZone(customer?.country ?? null, shopZone);
    const local = localParts(now, zone);
    const leap = new Date(Date.UTC(local.y, 1, 29)).getUTCMonth() === 1;
    const [month, day] = Number(row.birth_month) === 2 && Number(row.birth_day) === 29 && !leap ? [2, 28] : [Number(row.birth_month), Number(row.birth_day)];
    if (local.m !== month || local.d !== day) continue;
    const sourceId = `birthday:${local.y}:${key}`.slice(0, 128);
    const [inserted] = await pool.query<ResultSetHeader>(
      "INSERT IGNORE INTO loyalty_events (shop_id, source_id, type, customer_key, payload, occurred_at) VALUES (?, ?, 'birthday.today', ?, ?, ?)",
      [shopId, sourceId, key, JSON.stringify({ year: local.y }), now],
    );
    if (inserted.affectedRows === 0) continue;
    entered += await enterLoyaltyFlows(pool, shopId, { id: inserted.insertId, type: 'birthday.today', customerKey: key, payload: {} }, now);
  }
  return entered;
}
