import { getCountry } from 'countries-and-timezones';
import type { Contact } from './channel-choice.ts';
import type { SendWindow } from '../definition/flow-definition.ts';
import type { MessageSubject } from '../../messages/step-message.ts';
import { localParts, zonedInstant } from '../../zoned-time.ts';

/**
 * The customer's zone, from their billing country: the shop's own zone when the country uses it
 * (or the country is unknown), else the country's first listed zone (its most populous for the
 * countries that span several). A guess, but a far better one than the server's clock.
 */
export function customerTimeZone(country: string | null | undefined, shopTimeZone: string): string {
  const zones: string[] = country ? (getCountry(country.toUpperCase())?.timezones ?? []) : [];
  if (zones.length === 0 || zones.includes(shopTimeZone)) return shopTimeZone;
  return zones[0]!;
}

/** The zone a message goes by: the one the customer told their loyalty program, else their country's. */
export function subjectTimeZone(subject: MessageSubject, contact: Contact, shopTimeZone: string): string {
  if (subject.kind === 'customer' && subject.customer.timeZone) return subject.customer.timeZone;
  return customerTimeZone(contact.country, shopTimeZone);
}

const minutesOf = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

/**
 * When a message due at `now` may go: now if the customer's local time is inside the window,
 * else the window's next opening. A window may run over midnight (22:00–06:00).
 */
export function nextSendTime(now: Date, window: SendWindow | null, timeZone: string): Date {
  if (!window) return now;
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  const local = localParts(now, timeZone);
  const inside = start < end ? local.minutes >= start && local.minutes < end : local.minutes >= start || local.minutes < end;
  if (inside) return now;
  // Outside: the next opening is today if it is still ahead, else tomorrow.
  const today = new Date(Date.UTC(local.y, local.m - 1, local.d));
  if (local.minutes >= start) today.setUTCDate(today.getUTCDate() + 1);
  return zonedInstant(today.getUTCFullYear(), today.getUTCMonth() + 1, today.getUTCDate(), start, timeZone);
}

/**
 * Where a spread send (a campaign's, `spreadS` seconds after its first) lands when it is moved to
 * the window's opening `opensAt`: at the same offset inside the window, a day later for each
 * window's length of spread. So the campaign's rate holds inside quiet hours, and a campaign too
 * big for one day's window goes on the next, instead of every deferred send going at the opening.
 */
export function spreadInWindow(opensAt: Date, spreadS: number, window: SendWindow): Date {
  if (spreadS <= 0) return opensAt;
  const lengthS = ((((minutesOf(window.end) - minutesOf(window.start)) % 1440) + 1440) % 1440) * 60;
  return new Date(opensAt.getTime() + (spreadS % lengthS) * 1000 + Math.floor(spreadS / lengthS) * 86_400_000);
}
