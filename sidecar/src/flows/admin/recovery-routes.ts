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
  UNPAID_FLOW,
  type RecoverySettings,
} from '../definition/recovery-settings.ts';
import type { FlowStep } from '../definition/flow-definition.ts';
import { loadFlow } from '../definition/flow-store.ts';
import { textContextOf } from '../definition/flow-texts.ts';

type FieldError = ValidationError & { field: string };

/**
 * GET/PUT /api/settings/recovery. A save is refused, with every problem at once, when a text has
 * an unknown or broken shortcode (line, column, reason, the valid names) or one that makes no
 * sense for its kind of order ([payment_link] in the bank-transfer body, [bank_details] in the
 * online one) or prints nothing in an unpaid-order reminder ([tracking_number]; [coupon_code]
 * unless the flow editor gave the reminder's step a coupon). Nothing is stored unless everything is valid. A saved form is a saved flow: the
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
    const steps = (await loadFlow(pool, req.shopId!, UNPAID_FLOW))?.definition.steps ?? [];
    const errors = templateErrors(settings, steps);
    if (errors.length) throw AppError.badRequest('invalid_template', `${errors.length} problem(s) in the reminder texts`, errors);
    await saveRecoverySettings(pool, req.shopId!, settings);
    await deps.onSaved?.(req.shopId!);
    res.json(await loadRecoverySettings(pool, req.shopId!));
  });
  return router;
}

/** The reminders' problems; reminder i becomes the flow's i-th email step and keeps that step's coupon (saveRecoverySettings). */
export function templateErrors(settings: RecoverySettings, steps: FlowStep[]): FieldError[] {
  const emailSteps = steps.filter((s) => s.email);
  return settings.reminders.flatMap((reminder, i) => {
    const context = (part: 'subject' | 'body' | 'offlineBody') => textContextOf('order.unpaid', part, emailSteps[i]);
    return [
      ...validate(reminder.subject, context('subject')).map((e) => ({ ...e, field: `reminders.${i}.subject` })),
      ...validate(reminder.onlineBody, context('body')).map((e) => ({ ...e, field: `reminders.${i}.onlineBody` })),
      ...validate(reminder.offlineBody, context('offlineBody')).map((e) => ({ ...e, field: `reminders.${i}.offlineBody` })),
    ];
  });
}
