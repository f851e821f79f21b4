import { _n, sprintf } from '@wordpress/i18n';
import { Router } from 'express';
import type { Pool } from 'mysql2/promise';
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
import { reminderTextErrors, type ReminderCoupon, type ShopTextFacts } from '../definition/flow-texts.ts';
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
    const coupons = reminderCoupons(steps);
    const errors = reminderTextErrors(settings.reminders, coupons, await shopTextFacts(pool, req.shopId!));
    if (errors.length) {
      // translators: %d: how many problems.
      const message = sprintf(
        _n('%d problem in the reminder texts', '%d problems in the reminder texts', errors.length, 'comeback'),
        errors.length,
      );
      throw AppError.badRequest('invalid_template', message, errors);
    }
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
export type RecoveryView = RecoverySettings & {
  paymentGateways: PaymentGateway[];
  textFacts: ShopTextFacts;
  /** Reminder i's coupon, as the flow editor gave its step (null: none): what its texts may print. */
  reminderCoupons: ReminderCoupon[];
};

async function recoveryView(pool: Pool, shopId: number): Promise<RecoveryView> {
  const [settings, paymentGateways, textFacts, flow] = await Promise.all([
    loadRecoverySettings(pool, shopId),
    loadPaymentGateways(pool, shopId),
    shopTextFacts(pool, shopId),
    loadFlow(pool, shopId, UNPAID_FLOW),
  ]);
  return { ...settings, paymentGateways, textFacts, reminderCoupons: reminderCoupons(flow?.definition.steps ?? []) };
}

/** Reminder i is the flow's i-th email step and keeps that step's coupon (saveRecoverySettings). */
function reminderCoupons(steps: FlowStep[]): ReminderCoupon[] {
  return steps.filter((s) => s.email).map((s) => ({ coupon: s.coupon ?? null }));
}
