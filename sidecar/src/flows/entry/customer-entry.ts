import type { Pool } from 'mysql2/promise';
import { insertLoyaltyEventOnce } from '../../loyalty/loyalty-store.ts';
import { loadSegmentRules } from '../../segments/segment-tags.ts';
import { loadShopProfile } from '../../woo/shop-profile.ts';
import { loadCustomerSubjects, voucherOf } from '../../customers/customer-subjects.ts';
import { enterFlow, exitEnrollments } from './enrollment.ts';
import { delayMs, type TriggerEvent } from '../definition/flow-definition.ts';
import { flowsForTrigger, type StoredFlow } from '../definition/flow-store.ts';
import { localParts } from '../../zoned-time.ts';
import { customerTimeZone } from '../steps/send-window.ts';
import type { Queryable } from '../../db/queryable.ts';
import { customersBornOn, lapsedCustomersSql, loyaltyEventsNotEntered, markLoyaltyEventEntered } from './customer-entry-store.ts';
import { activeVoucherEnrollments, insertCustomerEnrollments, otherEventEnrollments } from './enrollment-store.ts';

const DAY_S = 86_400;

/**
 * Enters customers into one customer flow straight from SQL (INSERT … SELECT): the hold-out drawn
 * per row, the first step due `delay` after the anchor (never before now), the unique subject key
 * keeping a repeated run from entering anyone twice. `select` yields c.* rows with subject_id,
 * anchor_at and the row's position (for spreading a campaign's sends).
 */
export async function enterCustomersFromSql(
  db: Queryable,
  shopId: number,
  flow: StoredFlow,
  from: { sql: string; params: unknown[] },
  now: Date,
  spreadPerMinute?: number,
): Promise<number> {
  const firstDelayS = Math.round(delayMs(flow.definition.steps[0]!.delay) / 1000);
  const target = { key: flow.key, version: flow.version, holdOutPercent: flow.definition.holdOutPercent };
  return insertCustomerEnrollments(db, shopId, target, from, { firstDelayS, perMinute: spreadPerMinute, now });
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
    const recent = new Date(now.getTime() - 2 * DAY_S * 1000);
    const lapsed = lapsedCustomersSql(
      shopId,
      { flow: flow.key, factor, minDays, defaultIntervalDays, audience: flow.definition.audience },
      { now, recent },
    );
    entered += await enterCustomersFromSql(db, shopId, flow, lapsed, now, perMinute ?? undefined);
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
/** The loyalty event types that start flows of this trigger (what a notice to a customer is about). */
export function loyaltyEventTypesOf(trigger: TriggerEvent): string[] {
  return Object.keys(TRIGGERS_OF).filter((type) => TRIGGERS_OF[type]!.includes(trigger));
}

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
  const entered =
    event.type === 'voucher.redeemed'
      ? (await exitVoucherMessages(db, shopId, event, now), 0)
      : await enterEventFlows(db, shopId, event, now);
  await markLoyaltyEventEntered(db, event.id, now);
  return entered;
}

/** Events stored but not yet entered into their flows (the request or the process died in between), oldest first. */
export async function enterPendingLoyaltyEvents(pool: Pool, now: Date, graceMs = 60_000): Promise<number> {
  let entered = 0;
  for (const { shopId, event } of await loyaltyEventsNotEntered(pool, new Date(now.getTime() - graceMs))) {
    entered += await enterLoyaltyFlows(pool, shopId, event, now);
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
        const others = await otherEventEnrollments(db, shopId, flow.key, event.customerKey, String(event.id));
        if (others.some((o) => o.eventId > event.id)) continue;
        await exitEnrollments(
          db,
          others.map((o) => o.id),
          'superseded',
          now,
        );
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
  await exitEnrollments(db, await activeVoucherEnrollments(db, shopId, redeemed.customerKey, code), 'voucher used', now);
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
  const born = await customersBornOn(pool, shopId, days);
  if (born.length === 0) return 0;
  const shopZone = (await loadShopProfile(pool, shopId)).timeZone;
  const { customers } = await loadCustomerSubjects(pool, shopId, { keys: born.map((b) => b.customerKey), eventIds: [] });
  let entered = 0;
  for (const { customerKey: key, month: bornMonth, day: bornDay } of born) {
    const customer = customers.get(key);
    const zone = customer?.timeZone ?? customerTimeZone(customer?.country ?? null, shopZone);
    const local = localParts(now, zone);
    const leap = new Date(Date.UTC(local.y, 1, 29)).getUTCMonth() === 1;
    const [month, day] = bornMonth === 2 && bornDay === 29 && !leap ? [2, 28] : [bornMonth, bornDay];
    if (local.m !== month || local.d !== day) continue;
    const sourceId = `birthday:${local.y}:${key}`.slice(0, 128);
    const eventId = await insertLoyaltyEventOnce(pool, {
      shopId,
      sourceId,
      type: 'birthday.today',
      customerKey: key,
      payload: { year: local.y },
      occurredAt: now,
    });
    if (eventId === null) continue;
    entered += await enterLoyaltyFlows(pool, shopId, { id: eventId, type: 'birthday.today', customerKey: key, payload: {} }, now);
  }
  return entered;
}
