import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { RenderContext } from '../messages/render-context.ts';
import {
  emailLook,
  shopEmailDocumentSchema,
  shopSender,
  type EmailLook,
  type ShopEmail,
  type ShopEmailSource,
} from '../messages/shop-email.ts';
import { localeSchema } from '../messages/message-templates.ts';
import { defaultShopFormats, shopFormatsSchema, type ShopFormats } from '../messages/shop-formats.ts';
import { ttlCache, type TtlCache } from '../ttl-cache.ts';
import { gatewaysFromRest, paymentGatewaysSchema, type PaymentGateway } from './payment-gateways.ts';
import type { WooClient } from './rest-client.ts';
import { settingsDocument, upsertSettingsDocument } from './settings-store.ts';
import { setShopName, setShopTimezone, shopDisplayName, shopIdentity } from './shop-store.ts';

/**
 * The company data and bank accounts a bank-transfer reminder shows. The plugin keeps it equal to
 * what WooCommerce shows (issue C); without WordPress the merchant enters it through the API, and
 * connecting a shop seeds name and address from WooCommerce's general settings.
 */
export const companySchema = z.object({
  name: z.string().trim().min(1).max(200),
  address: z.array(z.string().trim().max(200)).max(8).default([]),
  taxId: z.string().trim().max(64).optional(),
  bankAccounts: z
    .array(
      z.object({
        accountName: z.string().trim().max(200).default(''),
        bankName: z.string().trim().max(200).default(''),
        accountNumber: z.string().trim().max(64).default(''),
        iban: z.string().trim().max(64).optional(),
        bic: z.string().trim().max(16).optional(),
        sortCode: z.string().trim().max(16).optional(),
      }),
    )
    .max(10)
    .default([]),
});
export type Company = z.infer<typeof companySchema>;

export const loadCompany = (pool: Pool, shopId: number) => loadDocument(pool, shopId, 'company', companySchema);
/** Stores the company data; an unchanged document is not written again (the plugin reports it at every sweep). */
export const saveCompany = (pool: Pool, shopId: number, company: Company) => saveDocument(pool, shopId, 'company', companySchema, company);

/** How the shop writes prices and dates (see messages/shop-formats.ts). */
export const loadFormats = (pool: Pool, shopId: number) => loadDocument(pool, shopId, 'formats', shopFormatsSchema);
export const saveFormats = (pool: Pool, shopId: number, formats: ShopFormats) =>
  saveDocument(pool, shopId, 'formats', shopFormatsSchema, formats);

/** The shop's languages as WordPress locales, as its plugin last reported them (see plugin-profile.ts); [] until then. */
const shopLanguagesSchema = z.array(localeSchema).max(200);
export const loadShopLanguages = async (pool: Pool, shopId: number): Promise<string[]> =>
  (await loadDocument(pool, shopId, 'languages', shopLanguagesSchema)) ?? [];
export const saveShopLanguages = (pool: Pool, shopId: number, languages: string[]) =>
  saveDocument(pool, shopId, 'languages', shopLanguagesSchema, languages);

/** The shop's WooCommerce email settings: its sender, colours and header image (see messages/shop-email.ts), and where they were read. */
export const loadShopEmail = (pool: Pool, shopId: number) => loadDocument(pool, shopId, 'email', shopEmailDocumentSchema);
export const saveShopEmail = (pool: Pool, shopId: number, email: ShopEmail, source?: ShopEmailSource) =>
  saveDocument(pool, shopId, 'email', shopEmailDocumentSchema, { ...email, source });

/** The shop's enabled payment gateways (titles, instructions), as last read from its plugin or over REST; [] until then. */
export const loadPaymentGateways = async (pool: Pool, shopId: number): Promise<PaymentGateway[]> =>
  (await loadDocument(pool, shopId, 'gateways', paymentGatewaysSchema)) ?? [];
export const savePaymentGateways = (pool: Pool, shopId: number, gateways: z.input<typeof paymentGatewaysSchema>) =>
  saveDocument(pool, shopId, 'gateways', paymentGatewaysSchema, gateways);

/** Part of the sweep (and of connecting) for a shop with a REST key and no plugin: the plugin's profile carries the same. */
export async function refreshGatewaysFromRest(pool: Pool, shopId: number, client: Pick<WooClient, 'paymentGateways'>): Promise<void> {
  await savePaymentGateways(pool, shopId, gatewaysFromRest(await client.paymentGateways()));
}

export async function loadDocument<S extends z.ZodType>(pool: Pool, shopId: number, key: string, schema: S): Promise<z.infer<S> | null> {
  const stored = await settingsDocument(pool, shopId, key);
  return stored ? schema.parse(stored.value) : null;
}

/** Unchanged documents are not written again; caches are dropped after the write, so no read in between re-caches the old one. */
export async function saveDocument<S extends z.ZodType>(
  pool: Pool,
  shopId: number,
  key: string,
  schema: S,
  document: z.input<S>,
): Promise<void> {
  const value = JSON.stringify(schema.parse(document));
  const stored = await settingsDocument(pool, shopId, key);
  if (stored && JSON.stringify(stored.value) === value) return;
  await upsertSettingsDocument(pool, shopId, key, value);
  for (const cache of profileCaches) cache.invalidate();
}

/**
 * Stores the shop's name, its WordPress site title (from the plugin's profile, or WordPress's REST
 * index without it); the next message shows it at once.
 */
export async function saveShopName(pool: Pool, shopId: number, name: string): Promise<void> {
  if (await setShopName(pool, shopId, name)) for (const cache of profileCaches) cache.invalidate();
}

/**
 * Stores the shop's time zone read from WordPress's REST index (a shop without the plugin; the
 * plugin's profile, when there is one, says it too and wins); the next message and screen use it.
 */
export async function saveShopTimezone(pool: Pool, shopId: number, timeZone: string): Promise<void> {
  if (await setShopTimezone(pool, shopId, timeZone)) for (const cache of profileCaches) cache.invalidate();
}

/** What every message for a shop shows about the shop: one read per shop and run, not per message. */
export async function loadShopProfile(
  pool: Pool,
  shopId: number,
): Promise<
  RenderContext['shop'] & {
    timeZone: string;
    formats: ShopFormats;
    /** The shop's own From and Reply-To (WooCommerce's email sender options); null: the global sender. */
    sender: { from: string; replyTo: string } | null;
    /** Where the shop's email settings were read (null: not known, or none stored). */
    senderSource: ShopEmailSource | null;
    look: EmailLook;
    /** The enabled payment gateways: a reminder shows its order's gateway's instructions. */
    gateways: PaymentGateway[];
  }
> {
  const shop = await shopIdentity(pool, shopId);
  if (!shop) throw AppError.notFound(`shop ${shopId} does not exist`);
  const name = shopDisplayName(shop);
  const [company, formats, email, gateways] = await Promise.all([
    loadCompany(pool, shopId),
    loadFormats(pool, shopId),
    loadShopEmail(pool, shopId),
    loadPaymentGateways(pool, shopId),
  ]);
  return {
    name,
    url: shop.url,
    company: { name: company?.name ?? name, address: company?.address ?? [], ...(company?.taxId ? { taxId: company.taxId } : {}) },
    bankAccounts: company?.bankAccounts ?? [],
    timeZone: formats?.timeZone ?? shop.timezone ?? 'UTC',
    formats: formats ?? defaultShopFormats,
    sender: shopSender(email, name),
    senderSource: email?.source ?? null,
    look: emailLook(email),
    gateways,
  };
}

export type ShopProfile = Awaited<ReturnType<typeof loadShopProfile>>;

/** Every profile cache of this process, so a company saved here shows in the next message at once. */
const profileCaches = new Set<TtlCache<number, ShopProfile>>();

/**
 * Shop profiles remembered for a short while: a run of reminders for one shop reads the shop and
 * its company once. An edit through this process shows at once; one made through another
 * sidecar shows in messages queued after `ttlMs`.
 */
export function shopProfileCache(pool: Pool, ttlMs = 30_000): TtlCache<number, ShopProfile> {
  const cache = ttlCache((shopId: number) => loadShopProfile(pool, shopId), ttlMs);
  profileCaches.add(cache);
  return cache;
}
