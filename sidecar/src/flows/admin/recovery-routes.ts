import { Router } from 'express';
import type { Pool } from 'mysql2/promise';
import { validate } from '@comeback/shortcodes';
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
import { offlineTextErrors, textContextOf, textFacts, type FieldError, type ShopTextFacts } from '../definition/flow-texts.ts';
import { shopTextFacts } from '../definition/shop-text-facts.ts';
import type { PaymentGateway } from '../../woo/payment-gateways.ts';
import { loadPaymentGateways } from '../../woo/shop-profile.ts';

/**
 * GET/PUT /api/settings/recovery. A save is refused, with every problem at once, when a text has
 * an unknown or broken shortcode (line, column, reason, the valid names) or one that makes no
 * sense for its kind of order ([payment_link] in an offline body, [bank_details] in the online one
 * or, in a shop without bank accounts, outside the bank-transfer body) or prints nothing in an
 * unpaid-order reminder ([tracking_number]; [coupon_code] unless the flow editor gave the
 * reminder's step a coupon). Nothing is stored unless everything is valid. A saved form is a saved flow: the
 * orders it would have taken in are offered to it (onSaved).
 */
export function recoveryRoutes(deps: { pool: Pool; onSaved?: (shopId: number) => Promise<void> }): Router {
  const { pool } = deps;
  const router = Router();
  router.get('/settings/recovery', async (req: AdminRequest, res) => {
    res.json(await recoveryView(pool, req.shopId!));
  });
  router.put('/settings/recovery', async (req: AdminRequest, res) => {
    const settings = validBody(req, recoverySettingsSchema, 'invalid_settings');
    const steps = (await loadFlow(pool, req.shopId!, UNPAID_FLOW))?.definition.steps ?? [];
    const errors = templateErrors(settings, steps, await shopTextFacts(pool, req.shopId!));
    if (errors.length) throw AppError.badRequest('invalid_template', `${errors.length} problem(s) in the reminder texts`, errors);
    await saveRecoverySettings(pool, req.shopId!, settings);
    await deps.onSaved?.(req.shopId!);
    res.json(await recoveryView(pool, req.shopId!));
  });
  return router;
}

/**
 * GET /api/settings/recovery: the form, with what its texts depend on: the shop's enabled payment
 * gateways (a text per offline one, titled as at checkout) and whether it has bank accounts.
 * A client sending it back as it came is fine: a save takes only the settings.
 */
export type RecoveryView = RecoverySettings & { paymentGateways: PaymentGateway[]; textFacts: ShopTextFacts };

async function recoveryView(pool: Pool, shopId: number): Promise<RecoveryView> {
  const [settings, paymentGateways, textFacts] = await Promise.all([
    loadRecoverySettings(pool, shopId),
    loadPaymentGateways(pool, shopId),
    shopTextFacts(pool, shopId),
  ]);
  return { ...settings, paymentGateways, textFacts };
}

/**
 * Every problem of the form's texts; offline ones by the flow's own rules (flow-texts.ts), per
 * gateway. Reminder i becomes the flow's i-th email step and keeps that step's coupon
 * (saveRecoverySettings), so what its texts may print follows that step.
 */
export function templateErrors(settings: RecoverySettings, steps: FlowStep[], shop?: ShopTextFacts): FieldError[] {
  const emailSteps = steps.filter((s) => s.email);
  return settings.reminders.flatMap((reminder, i) => {
    const context = (part: 'subject' | 'body') => textContextOf('order.unpaid', part, emailSteps[i]);
    const facts = textFacts('order.unpaid', emailSteps[i]);
    return [
      ...validate(reminder.subject, context('subject')).map((e) => ({ ...e, field: `reminders.${i}.subject` })),
      ...validate(reminder.onlineBody, context('body')).map((e) => ({ ...e, field: `reminders.${i}.onlineBody` })),
      ...offlineTextErrors(reminder.offlineBody, null, `reminders.${i}.offlineBody`, shop, facts),
      ...Object.entries(reminder.offlineBodies ?? {}).flatMap(([gateway, body]) =>
        offlineTextErrors(body, gateway, `reminders.${i}.offlineBodies.${gateway}`, shop, facts),
      ),
    ];
  });
}
