import { __ } from '@wordpress/i18n';
import { Router } from 'express';
import { z } from 'zod';
import type { AdminRequest } from '../http/admin-auth.ts';
import { validBody, validQuery } from '../http/json-body.ts';
import { AppError } from '../errors.ts';
import { applyConsentChanges, consentChangesSchema } from './consent-changes.ts';
import { importConsents } from './consent-import.ts';
import { consentView } from './consent-view.ts';
import { consentSettingsSchema, loadConsentSettings, saveConsentSettings, type DoubleOptInDeps } from './double-opt-in.ts';

const lookupSchema = z.object({
  email: z.string().max(255).optional(),
  phone: z.string().max(32).optional(),
  /** The billing country, for a phone typed without its country code. */
  country: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
});
const importSchema = z.object({ csv: z.string().min(1).max(900_000), dryRun: z.boolean() });

/**
 * The shop's consent calls (the plugin's checkout and My Account, the Customers screen):
 * POST /api/consents records changes (→ per change recorded, pending-confirmation or refused, with why);
 * GET /api/consents?email=&phone= answers the current state per purpose and channel and the history;
 * POST /api/consents/import counts (dry run) or records an import of opt-ins;
 * GET/PUT /api/consents/settings: double opt-in for marketing email.
 */
export function consentRoutes(deps: DoubleOptInDeps): Router {
  const router = Router();
  router.post('/consents', async (req: AdminRequest, res) => {
    const { changes } = validBody(req, consentChangesSchema);
    res.json({ results: await applyConsentChanges(deps, req.shopId!, changes) });
  });
  router.get('/consents', async (req: AdminRequest, res) => {
    const { email, phone, country } = validQuery(req, lookupSchema);
    if (!email && !phone) throw AppError.badRequest('invalid_query', __('give an email or a phone number', 'comeback'));
    res.json(await consentView(deps.pool, req.shopId!, { email, phone, country }));
  });
  router.post('/consents/import', async (req: AdminRequest, res) => {
    const { csv, dryRun } = validBody(req, importSchema);
    res.json(await importConsents(deps.pool, req.shopId!, csv, dryRun));
  });
  router.get('/consents/settings', async (req: AdminRequest, res) => {
    res.json(await loadConsentSettings(deps.pool, req.shopId!));
  });
  router.put('/consents/settings', async (req: AdminRequest, res) => {
    const settings = validBody(req, consentSettingsSchema);
    await saveConsentSettings(deps.pool, req.shopId!, settings);
    res.json(settings);
  });
  return router;
}
