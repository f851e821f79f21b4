import type { Queryable } from '../db/queryable.ts';
import { insertAttribution, lastClickBefore, lastMessageSent, orderTotal } from './attribution-store.ts';
import { clicksPerStepAndDay, creditedOrdersPerStepAndDay, messagesSentPerStepAndDay, type StepDayCount } from './recovery-report-store.ts';

/**
 * The instant after the second a payment was made in. WooCommerce's date_paid has one-second
 * resolution: a message sent, a click or an entry within that second came before the payment.
 */
export function endOfPaymentSecond(paidAt: Date): Date {
  return new Date(Math.floor(paidAt.getTime() / 1000) * 1000 + 1000);
}

/** A payment more than this long after the last reminder is not credited to it. */
export const ATTRIBUTION_WINDOW_MS = 30 * 86_400_000;

/**
 * Credits a paid order to its recovery: the last reminder sent before the payment (within the
 * attribution window) and the last click on it. Orders paid before any reminder went out are recorded too (outbox_id NULL), so
 * reports can tell "paid after a reminder" from "paid anyway". Safe to call twice.
 */
export async function recordPaidOrder(
  db: Queryable,
  shopId: number,
  orderId: number,
  enrollmentId: number,
  flow: string,
  paidAt: Date,
): Promise<void> {
  const order = await orderTotal(db, shopId, orderId);
  if (!order) return;
  const paidBy = endOfPaymentSecond(paidAt);
  const message = await lastMessageSent(db, enrollmentId, new Date(paidAt.getTime() - ATTRIBUTION_WINDOW_MS), paidBy);
  const clickId = await lastClickBefore(db, enrollmentId, paidBy);
  await insertAttribution(db, {
    shopId,
    orderId,
    enrollmentId,
    flow,
    message,
    clickId,
    revenue: order.total,
    currency: order.currency,
    paidAt,
  });
}

type Revenue = Array<{ currency: string | null; amount: string }>;
/**
 * `clicks` every click on the reminders' links; `uniqueClicks` the messages clicked (a message's
 * first click counts once, its repeats only in `clicks`).
 */
type Counts = { sent: number; clicks: number; uniqueClicks: number; orders: number; revenue: Revenue };

export type RecoveryReport = {
  remindersSent: number;
  /** Every click on a reminder's links, repeats included. */
  clicks: number;
  /** The reminders clicked at least once (each message's first click). */
  uniqueClicks: number;
  ordersRecovered: number;
  revenue: Revenue;
  /** Per reminder (step, 0-based) and channel. */
  byReminder: Array<Counts & { step: number; channel: string }>;
  /** Per day in the shop's time zone (at the end of the range), oldest first, days without activity included. */
  daily: Array<Counts & { day: string }>;
};

/**
 * What recovery did for a shop between two times: messages of flows (a [Test] send is none),
 * clicks, paid orders credited to a message, revenue. One computation: the tiles are the
 * reminders table added up, and the days table counts the same rows, so the three always agree.
 */
export async function recoveryReport(db: Queryable, shopId: number, from: Date, to: Date, timeZone = 'UTC'): Promise<RecoveryReport> {
  const { byReminder, daily } = await breakdown(db, shopId, from, to, timeZone);
  const revenue: Revenue = [];
  for (const r of byReminder) for (const amount of r.revenue) addRevenue(revenue, amount.currency, Number(amount.amount));
  return {
    remindersSent: byReminder.reduce((sum, r) => sum + r.sent, 0),
    clicks: byReminder.reduce((sum, r) => sum + r.clicks, 0),
    uniqueClicks: byReminder.reduce((sum, r) => sum + r.uniqueClicks, 0),
    ordersRecovered: byReminder.reduce((sum, r) => sum + r.orders, 0),
    revenue: revenue.sort((a, b) => (a.currency ?? '').localeCompare(b.currency ?? '')),
    byReminder,
    daily,
  };
}

/**
 * The same counts per reminder and channel and per day. Days are the shop's: the zone's offset at
 * the end of the range is applied in SQL (a DST change inside the range shifts that day's edge by
 * an hour, which a chart of 30 days does not show), so the database groups and Node only labels.
 */
async function breakdown(
  db: Queryable,
  shopId: number,
  from: Date,
  to: Date,
  timeZone: string,
): Promise<Pick<RecoveryReport, 'byReminder' | 'daily'>> {
  const offset = offsetMinutes(to, timeZone);
  const sent = await messagesSentPerStepAndDay(db, shopId, from, to, offset);
  const clicks = await clicksPerStepAndDay(db, shopId, from, to, offset);
  const paid = await creditedOrdersPerStepAndDay(db, shopId, from, to, offset);
  const byReminder = new Map<string, Counts & { step: number; channel: string }>();
  const daily = new Map<string, Counts & { day: string }>();
  for (const d of daysBetween(from, to, offset)) daily.set(d, { day: d, ...emptyCounts() });
  // The reminder's and the day's counts a row adds to.
  const countsOf = (r: StepDayCount) => {
    const key = `${r.step}|${r.channel ?? 'email'}`;
    if (!byReminder.has(key)) byReminder.set(key, { step: r.step ?? 0, channel: r.channel ?? 'email', ...emptyCounts() });
    if (!daily.has(r.day)) daily.set(r.day, { day: r.day, ...emptyCounts() });
    return [byReminder.get(key)!, daily.get(r.day)!];
  };
  for (const r of sent) for (const c of countsOf(r)) c.sent += r.n;
  for (const r of clicks) {
    for (const c of countsOf(r)) {
      c.clicks += r.n;
      c.uniqueClicks += r.unique;
    }
  }
  for (const r of paid) {
    for (const c of countsOf(r)) {
      c.orders += r.n;
      addRevenue(c.revenue, r.currency, r.amount);
    }
  }
  return {
    byReminder: [...byReminder.values()].sort((a, b) => a.step - b.step || a.channel.localeCompare(b.channel)),
    daily: [...daily.values()].sort((a, b) => a.day.localeCompare(b.day)),
  };
}

const emptyCounts = (): Counts => ({ sent: 0, clicks: 0, uniqueClicks: 0, orders: 0, revenue: [] });

function addRevenue(revenue: Revenue, currency: string | null, amount: number): void {
  const entry = revenue.find((r) => r.currency === currency);
  if (entry) entry.amount = (Number(entry.amount) + amount).toFixed(2);
  else revenue.push({ currency, amount: amount.toFixed(2) });
}

/** The zone's offset from UTC at a moment, in minutes ("+02:00"-style zones included). */
function offsetMinutes(at: Date, timeZone: string): number {
  const fixed = /^([+-])(\d{2}):(\d{2})$/.exec(timeZone);
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3]));
  try {
    const name =
      new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName')
        ?.value ?? 'GMT';
    const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  } catch {
    return 0;
  }
}

function daysBetween(from: Date, to: Date, offset: number): string[] {
  const days: string[] = [];
  const last = new Date(to.getTime() - 1 + offset * 60_000).toISOString().slice(0, 10);
  for (let t = from.getTime() + offset * 60_000; days.length < 400; t += 86_400_000) {
    const d = new Date(t).toISOString().slice(0, 10);
    days.push(d);
    if (d >= last) break;
  }
  return days;
}
