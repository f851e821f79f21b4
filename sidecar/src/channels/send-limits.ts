import { __ } from '@wordpress/i18n';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { ttlCache } from '../ttl-cache.ts';
import { loadSellingCountries, type SellingCountries } from '../woo/selling-countries.ts';
import { loadDocument, saveDocument } from '../woo/shop-profile.ts';
import type { ProvidersByChannel } from './dispatch.ts';
import { ChannelError, type OutboxRow, type SendOutcome } from './provider.ts';
import { returnSendSlot, takeSendSlot } from './send-budget-store.ts';

/** Texts cost the shop money per message: they are the channels with a budget and a country list. */
export const PAID_CHANNELS = ['sms', 'whatsapp'] as const;
type PaidChannel = (typeof PAID_CHANNELS)[number];

export const DEFAULT_DAILY_LIMIT = 500;
const country = z.string().regex(/^[A-Z]{2}$/, { error: () => __('a two-letter country code such as "PL"', 'comeback') });

/**
 * GET/PUT /api/settings/channels: the shop's abuse limits on SMS and WhatsApp. `smsPerDay` and
 * `whatsappPerDay` messages a UTC day at most (a message over it waits for the next day);
 * `countries` the numbers' countries messages may go to, `null` for the shop's selling countries.
 */
export const sendLimitsSchema = z.object({
  smsPerDay: z.number().int().min(0).max(100_000).default(DEFAULT_DAILY_LIMIT),
  whatsappPerDay: z.number().int().min(0).max(100_000).default(DEFAULT_DAILY_LIMIT),
  countries: z.array(country).max(300).nullable().default(null),
});
export type SendLimits = z.output<typeof sendLimitsSchema>;

const LIMITS_KEY = 'send-limits';

export async function loadSendLimits(pool: Pool, shopId: number): Promise<SendLimits> {
  return (await loadDocument(pool, shopId, LIMITS_KEY, sendLimitsSchema)) ?? sendLimitsSchema.parse({});
}

export async function saveSendLimits(pool: Pool, shopId: number, limits: SendLimits): Promise<void> {
  await saveDocument(pool, shopId, LIMITS_KEY, sendLimitsSchema, limits);
}

/** Whether a number of `numberCountry` may get the shop's texts: the merchant's list, else where the shop sells (unknown: anywhere). */
export function countryAllowed(numberCountry: string, limits: SendLimits, selling: SellingCountries | null): boolean {
  if (limits.countries) return limits.countries.includes(numberCountry);
  if (!selling || selling.mode === 'all') return true;
  return selling.mode === 'specific' ? selling.countries.includes(numberCountry) : !selling.countries.includes(numberCountry);
}

/** The UTC day a budget counts (YYYY-MM-DD), and when the next one starts. */
export function budgetDay(now: Date): { day: string; next: Date } {
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  return { day: now.toISOString().slice(0, 10), next };
}

const CHANNEL_NAMES: Record<PaidChannel, string> = { sms: 'SMS', whatsapp: 'WhatsApp' };

/**
 * The SMS and WhatsApp senders, each send first checked against the shop's limits (abuse: a
 * public cart form or a leaked key must not make the shop text the world at its expense):
 * a number outside the allowed countries fails for good with `country_not_allowed` (the flow
 * carries the step on its next channel; the reason stays on the message and in the step log);
 * over the day's budget the message waits, pending, for the next UTC day — never dropped. The
 * budget's slot is taken in MySQL before the provider is called (one count across sidecars) and
 * given back when the provider did not take the message.
 */
export function limitedSenders(pool: Pool, senders: ProvidersByChannel, clock: () => Date = () => new Date()): ProvidersByChannel {
  const limits = ttlCache((shopId: number) => loadSendLimits(pool, shopId), 10_000);
  const selling = ttlCache(async (shopId: number) => (await loadSellingCountries(pool, shopId)) ?? undefined, 60_000);
  const limited: ProvidersByChannel = { ...senders };
  for (const channel of PAID_CHANNELS) {
    const sender = senders[channel];
    if (!sender) continue;
    limited[channel] = {
      async send(row: OutboxRow): Promise<SendOutcome> {
        const shopLimits = await limits(row.shopId);
        const numberCountry = parsePhoneNumberFromString(row.message.to.replace(/^00/, '+'))?.country;
        if (numberCountry && !countryAllowed(numberCountry, shopLimits, (await selling(row.shopId)) ?? null))
          throw ChannelError.permanent(
            `${CHANNEL_NAMES[channel]} to ${numberCountry} numbers is off for this shop (allowed destination countries)`,
            'country_not_allowed',
          );
        const { day, next } = budgetDay(clock());
        const limit = channel === 'sms' ? shopLimits.smsPerDay : shopLimits.whatsappPerDay;
        const slot = { shopId: row.shopId, channel, day, limit };
        if (!(await takeSendSlot(pool, slot)))
          return {
            postponeUntil: next,
            reason: `the shop's daily ${CHANNEL_NAMES[channel]} budget (${limit}) is used up: sent after midnight UTC`,
          };
        try {
          const outcome = await sender.send(row);
          if ('postponeUntil' in outcome) await returnSendSlot(pool, slot);
          return outcome;
        } catch (error) {
          await returnSendSlot(pool, slot);
          throw error;
        }
      },
    };
  }
  return limited;
}
