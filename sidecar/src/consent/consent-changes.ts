import { __ } from '@wordpress/i18n';
import { z } from 'zod';
import { localeSchema } from '../messages/message-templates.ts';
import { shopSecret } from '../woo/shop-store.ts';
import { CHANNELS, consentAddress, hashIp, PURPOSES, recordConsent, type ConsentOutcome } from './consent.ts';
import { loadConsentSettings, sendConfirmation, type DoubleOptInDeps } from './double-opt-in.ts';

/** One change the plugin (checkout, My Account) or the admin UI (admin) asks for. */
export const consentChangeSchema = z
  .object({
    purpose: z.enum(PURPOSES),
    channel: z.enum(CHANNELS),
    address: z.string().trim().min(3).max(255),
    /** The customer's billing country, for a phone number typed without its country code. */
    country: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional(),
    granted: z.boolean(),
    /** The wording the customer was shown. */
    text: z.string().max(1000).optional(),
    source: z.enum(['checkout', 'my-account', 'admin']),
    /** The WordPress user whose own address it is (My Account). */
    userId: z.number().int().positive().optional(),
    /** The customer's IP: kept only hashed with the shop's secret. */
    ip: z.string().max(64).optional(),
    /** The language the customer asked in (WordPress locale, the shop page's): the confirmation email and page speak it. */
    locale: localeSchema.optional(),
    /** Why the shop changes it: required for an admin edit. */
    reason: z.string().trim().max(500).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.source === 'admin' && !c.reason)
      ctx.addIssue({ code: 'custom', path: ['reason'], message: __('Say why you change this customer’s consent.', 'comeback') });
    if (c.source === 'my-account' && !c.userId)
      ctx.addIssue({ code: 'custom', path: ['userId'], message: __('A My Account change names the signed-in customer.', 'comeback') });
  });
export type ConsentChangeRequest = z.infer<typeof consentChangeSchema>;

export const consentChangesSchema = z.object({ changes: z.array(consentChangeSchema).min(1).max(50) });

export type ChangeResult = { outcome: ConsentOutcome['outcome']; reason?: string };

/**
 * Records each change with its proof (the IP hashed, the user, the reason) at the sidecar's own
 * time, and sends the confirmation email of a marketing email grant that waits for it.
 */
export async function applyConsentChanges(deps: DoubleOptInDeps, shopId: number, changes: ConsentChangeRequest[]): Promise<ChangeResult[]> {
  const [settings, secret] = await Promise.all([loadConsentSettings(deps.pool, shopId), shopSecret(deps.pool, shopId)]);
  const results: ChangeResult[] = [];
  for (const c of changes) {
    // An unticked box at checkout is no answer: it withdraws nothing the customer agreed to elsewhere.
    if (c.source === 'checkout' && !c.granted) {
      results.push({ outcome: 'refused', reason: 'an unticked box at checkout changes nothing' });
      continue;
    }
    const outcome = await recordConsent(
      deps.pool,
      {
        shopId,
        purpose: c.purpose,
        channel: c.channel,
        address: c.address,
        country: c.country ?? null,
        status: c.granted ? 'granted' : 'withdrawn',
        source: c.source,
        text: c.text ?? null,
        userId: c.userId ?? null,
        ipHash: c.ip && secret ? hashIp(secret, c.ip) : null,
        reason: c.reason ?? null,
      },
      { doubleOptIn: settings.doubleOptIn },
    );
    if (outcome.outcome === 'pending-confirmation' && outcome.logId)
      await sendConfirmation(deps, shopId, outcome.logId, consentAddress('email', c.address)!, new Date(), c.locale ?? null);
    results.push({ outcome: outcome.outcome, ...(outcome.reason ? { reason: outcome.reason } : {}) });
  }
  return results;
}
