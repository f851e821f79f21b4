import { __ } from '@wordpress/i18n';
import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { AdminRequest } from '../http/admin-auth.ts';
import { validBody } from '../http/json-body.ts';
import { erasePerson, type EraseDeps } from './erase.ts';
import { exportPage } from './export.ts';
import { personOf, type Person } from './person.ts';
import { loadRetention, retentionSchema, saveRetention } from './retention-settings.ts';

export type { PrivacyEraseResult } from './erase.ts';
export type { ExportItem, PrivacyExportPage } from './export.ts';
export type { RetentionSettings } from './retention-settings.ts';

const requestSchema = z.strictObject({
  email: z
    .string({ error: () => __('The email must be text.', 'comeback') })
    .max(255, { error: () => __('The email is longer than 255 characters.', 'comeback') })
    .optional(),
  phone: z
    .string({ error: () => __('The phone must be text.', 'comeback') })
    .max(64, { error: () => __('The phone is longer than 64 characters.', 'comeback') })
    .optional(),
  /** The country a number without its +prefix is read in (ISO code). */
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, { error: () => __('The country is a two-letter code, like PL.', 'comeback') })
    .optional(),
  page: z
    .number({ error: () => __('The page must be a number.', 'comeback') })
    .int({ error: () => __('The page must be a whole number.', 'comeback') })
    .min(1, { error: () => __('Pages start at 1.', 'comeback') })
    .max(100_000, { error: () => __('The page is too far.', 'comeback') })
    .default(1),
});

/** The person the body names; 400 when neither an email nor a phone number is given or usable. */
function personIn(req: AdminRequest): { person: Person; page: number } {
  const body = validBody(req, requestSchema, 'invalid_privacy_request');
  const person = personOf(body);
  if (!person)
    throw AppError.badRequest('invalid_privacy_request', __('Name the person by an email address or a phone number.', 'comeback'), [
      {
        field: 'email',
        message:
          body.email || body.phone
            ? __('Neither the email nor the phone is an address we can look up.', 'comeback')
            : __('Give an email or a phone.', 'comeback'),
      },
    ]);
  return { person, page: body.page };
}

/**
 * Privacy requests of one person of the shop (WordPress's exporters and erasers call these, signed,
 * and so do the admin token and `npm run privacy`): POST /api/privacy/export pages through what is
 * held about them, POST /api/privacy/erase erases it and suppresses their addresses. GET/PUT
 * /api/settings/retention: how long personal data is kept.
 */
export function privacyRoutes(deps: EraseDeps): Router {
  const router = Router();
  router.post('/privacy/export', async (req: AdminRequest, res) => {
    const { person, page } = personIn(req);
    res.json(await exportPage(deps.pool, req.shopId!, person, page));
  });
  router.post('/privacy/erase', async (req: AdminRequest, res) => {
    const { person } = personIn(req);
    res.json(await erasePerson(deps, req.shopId!, person));
  });
  router.get('/settings/retention', async (req: AdminRequest, res) => {
    res.json(await loadRetention(deps.pool, req.shopId!));
  });
  router.put('/settings/retention', async (req: AdminRequest, res) => {
    res.json(await saveRetention(deps.pool, req.shopId!, validBody(req, retentionSchema, 'invalid_retention')));
  });
  return router;
}
