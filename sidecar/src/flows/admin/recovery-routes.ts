import { Router } from 'express';
import type { Pool } from 'mysql2/promise';
import { validate, type ValidationError } from '@comeback/shortcodes';
import { AppError } from '../../errors.ts';
import type { AdminRequest } from '../../http/admin-auth.ts';
import { validBody } from '../../http/json-body.ts';
import {
  loadRecoverySettings,
  recoverySettingsSchema,
  saveRecoverySettings,
  type RecoverySettings,
} from '../definition/recovery-settings.ts';

type FieldError = ValidationError & { field: string };

/**
 * GET/PUT /api/settings/recovery. A save is refused, with every problem at once, when a text has
 * an unknown or broken shortcode (line, column, reason, the valid names) or one that makes no
 * sense for its kind of order ([payment_link] in the bank-transfer body, [bank_details] in the
 * online one). Nothing is stored unless everything is valid. A saved form is a saved flow: the
 * orders it would have taken in are offered to it (onSaved).
 */
export function recoveryRoutes(deps: { pool: Pool; onSaved?: (shopId: number) => Promise<void> }): Router {
  const { pool } = deps;
  const router = Router();
  router.get('/settings/recovery', async (req: AdminRequest, res) => {
    res.json(await loadRecoverySettings(pool, req.shopId!));
  });
  router.put('/settings/recovery', async (req: AdminRequest, res) => {
    const settings = validBody(req, recoverySettingsSchema, 'invalid_settings');
    const errors = templateErrors(settings);
    if (errors.length) throw AppError.badRequest('invalid_template', `${errors.length} problem(s) in the reminder texts`, errors);
    await saveRecoverySettings(pool, req.shopId!, settings);
    await deps.onSaved?.(req.shopId!);
    res.json(await loadRecoverySettings(pool, req.shopId!));
  });
  return router;
}

export function templateErrors(settings: RecoverySettings): FieldError[] {
  return settings.reminders.flatMap((reminder, i) => [
    ...validate(reminder.subject, 'any').map((e) => ({ ...e, field: `reminders.${i}.subject` })),
    ...validate(reminder.onlineBody, 'online').map((e) => ({ ...e, field: `reminders.${i}.onlineBody` })),
    ...validate(reminder.offlineBody, 'offline').map((e) => ({ ...e, field: `reminders.${i}.offlineBody` })),
  ]);
}
