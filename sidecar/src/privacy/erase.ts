import type { Pool } from 'mysql2/promise';
import type { WooClient } from '../woo/rest-client.ts';
import {
  deletePersonRows,
  eraseClicks,
  eraseEnrollments,
  eraseEvents,
  eraseMessages,
  eraseNpsAnswers,
  forgetCouponOwners,
  markCouponRemoved,
  ordersToAnonymise,
  storeAnonymisedOrder,
  unusedCouponsOf,
} from './erase-store.ts';
import type { Person } from './person.ts';
import { findPerson, type PersonRows } from './person-store.ts';
import { suppressAddresses } from './suppression-store.ts';

/** Rows one erase call touches per table at most; WordPress's eraser calls again while `done` is false. */
export const ERASE_BATCH = 500;

/** POST /api/privacy/erase's answer, in the shape of WordPress's erasers (counts where WordPress takes booleans). */
export type PrivacyEraseResult = { itemsRemoved: number; itemsRetained: number; messages: string[]; done: boolean };

export type EraseDeps = {
  pool: Pool;
  wooClient(shopId: number): Promise<WooClient>;
  clock?: () => Date;
  /** Rows per table per call (default ERASE_BATCH). */
  batch?: number;
};

type Step = (found: PersonRows) => Promise<number>;

/**
 * Erases one batch of what the shop holds about the person, in an order that keeps every row
 * findable until its turn (a message is found by its enrollment, an enrollment by its order): the
 * suppression first (nobody enters them while the rest goes), coupons in WooCommerce, deliveries,
 * messages and clicks, survey answers, enrollments, the rows only about them, then orders.
 * Repeating it is harmless: each step only touches rows still naming the person.
 */
export async function erasePerson(deps: EraseDeps, shopId: number, person: Person): Promise<PrivacyEraseResult> {
  const db = deps.pool;
  const now = (deps.clock ?? (() => new Date()))();
  const batch = deps.batch ?? ERASE_BATCH;
  const messages: string[] = [];
  let removed = 0;
  let retained = 0;
  await suppressAddresses(db, shopId, person.addresses);

  const steps: Step[] = [
    async () => {
      const { removed: gone, kept } = await removeUnusedCoupons(deps, shopId, person, now, messages, batch);
      retained += kept;
      return gone;
    },
    async () => forgetCouponOwners(db, shopId, person, batch),
    async (found) => eraseEvents(db, shopId, person, found, batch),
    async (found) => eraseMessages(db, found, batch),
    async (found) => eraseClicks(db, found, batch),
    async (found) => eraseNpsAnswers(db, shopId, person, found, batch),
    async (found) => eraseEnrollments(db, found, now, batch),
    async (found) => deletePersonRows(db, shopId, person, found, batch),
    async (found) => {
      const orders = await ordersToAnonymise(db, shopId, found, batch);
      for (const order of orders) await storeAnonymisedOrder(db, shopId, order.orderId, anonymised(order.snapshot, person));
      return orders.length;
    },
  ];
  // Found once per call: each step touches only rows still naming the person, and a call that
  // stops early leaves the later steps' rows (orders last) for the next call to find again.
  const found = await findPerson(db, shopId, person);
  for (const step of steps) {
    const changed = await step(found);
    removed += changed;
    if (changed >= batch) return { itemsRemoved: removed, itemsRetained: retained, messages, done: false };
  }
  return { itemsRemoved: removed, itemsRetained: retained, messages, done: true };
}

/**
 * Coupons issued to the person and still unused are deleted in WooCommerce (its email restriction
 * names them, and a coupon without it would be anyone's); one the shop cannot delete now is
 * retained with a message saying which, and tried again by the next request.
 */
async function removeUnusedCoupons(deps: EraseDeps, shopId: number, person: Person, now: Date, messages: string[], batch: number) {
  const coupons = await unusedCouponsOf(deps.pool, shopId, person, batch);
  if (coupons.length === 0) return { removed: 0, kept: 0 };
  let removed = 0;
  let kept = 0;
  // A shop without REST keys (disconnected) keeps its coupons: each is named in the answer.
  const client = await deps.wooClient(shopId).catch(() => null);
  for (const coupon of coupons) {
    try {
      if (!client) throw new Error('no connection');
      await client.deleteCoupon(coupon.couponId);
      await markCouponRemoved(deps.pool, coupon.id, now);
      removed += 1;
    } catch {
      kept += 1;
      messages.push(`Coupon ${coupon.code} could not be deleted in WooCommerce now; delete it there, or erase again later.`);
    }
  }
  return { removed, kept };
}

const PERSONAL_FIELDS = ['first_name', 'last_name', 'company', 'address_1', 'address_2', 'city', 'postcode', 'email', 'phone'];
const ORDER_PERSONAL_FIELDS = ['customer_ip_address', 'customer_user_agent', 'customer_note'];

/**
 * The order without the person: billing and shipping names, addresses, email and phone emptied
 * (country and state kept, the reports' only geography), the IP, browser and note emptied, and any
 * other text naming their email or number (a meta field, a note) emptied too. Totals, items,
 * status and dates stay: the shop's reports and recovered revenue do not change.
 */
export function anonymised(snapshot: unknown, person: Person): unknown {
  const names = (text: string): boolean => {
    const lower = text.toLowerCase();
    if (person.emails.some((e) => lower.includes(e))) return true;
    const digits = text.replace(/\D/g, '');
    return digits.length >= 6 && person.phoneDigits.some((d) => digits.includes(d));
  };
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return names(value) ? '' : value;
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  const order = walk(snapshot) as Record<string, unknown>;
  if (!order || typeof order !== 'object') return order;
  for (const part of ['billing', 'shipping']) {
    const address = order[part];
    if (address && typeof address === 'object')
      order[part] = { ...address, ...Object.fromEntries(PERSONAL_FIELDS.filter((f) => f in address).map((f) => [f, ''])) };
  }
  for (const field of ORDER_PERSONAL_FIELDS) if (field in order) order[field] = '';
  return order;
}
