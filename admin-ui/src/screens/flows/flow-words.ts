import { __, _n, sprintf } from '@wordpress/i18n';
import type { CouponExpiry, CouponOffer, Delay, FlowDefinition, FlowStep, Trigger, TriggerEvent } from '@comeback/sidecar/api-contracts';
import { CHANNEL_LABELS } from '../../components/channel-words.ts';
import { money } from '../../components/shop-format.ts';

export { CHANNEL_LABELS } from '../../components/channel-words.ts';

/** What starts the flow, as the merchant would say it. */
export function triggerInWords(trigger: Trigger): string {
  switch (trigger.event) {
    case 'order.unpaid':
      return __('An order is waiting for payment', 'comeback');
    case 'cart.abandoned':
      return sprintf(
        _n(
          'A cart is left without an order for %d minute',
          'A cart is left without an order for %d minutes',
          trigger.afterMinutes,
          'comeback',
        ),
        trigger.afterMinutes,
      );
    case 'order.placed':
      return __('An order is placed (paid, or cash on delivery)', 'comeback');
    case 'order.completed':
      return __('An order is completed', 'comeback');
    case 'order.shipped':
      return __('An order is shipped (a tracking number appears)', 'comeback');
    case 'customer.lapsed':
      return lapsedInWords(trigger.factor, trigger.minDays);
    case 'campaign':
      return __('A campaign is sent', 'comeback');
    case 'voucher.issued':
      return __('The loyalty program issues a voucher', 'comeback');
    case 'voucher.expiring':
      return sprintf(
        _n('%d day before a voucher expires', '%d days before a voucher expires', trigger.daysBefore, 'comeback'),
        trigger.daysBefore,
      );
    case 'customer.birthday':
      return __('On the customer’s birthday', 'comeback');
    case 'nps.requested':
      return __('The loyalty program asks for a satisfaction survey (NPS)', 'comeback');
    case 'balance.updated':
      return __('A points or cashback balance changes', 'comeback');
  }
}

/** The win-back rule as the merchant reads it. */
export function lapsedInWords(factor: number, minDays: number): string {
  return sprintf(
    _n(
      'Customers who have not bought for %1$s× their usual interval (at least %2$d day)',
      'Customers who have not bought for %1$s× their usual interval (at least %2$d days)',
      minDays,
      'comeback',
    ),
    String(factor),
    minDays,
  );
}

/** What step delays count from: the trigger, never the step before. */
export function delayAnchor(event: TriggerEvent): string {
  switch (event) {
    case 'cart.abandoned':
      return __('after the cart was abandoned', 'comeback');
    case 'order.completed':
      return __('after the order was completed', 'comeback');
    case 'order.shipped':
      return __('after the order was shipped', 'comeback');
    case 'customer.lapsed':
      return __('after the customer lapsed', 'comeback');
    case 'campaign':
      return __('after the campaign is sent', 'comeback');
    case 'voucher.issued':
      return __('after the voucher was issued', 'comeback');
    case 'voucher.expiring':
      return __('after the reminder day (before the voucher expires)', 'comeback');
    case 'customer.birthday':
      return __('after the start of the birthday', 'comeback');
    case 'nps.requested':
      return __('after the survey was asked for', 'comeback');
    case 'balance.updated':
      return __('after the balance changed', 'comeback');
    default:
      return __('after the order was placed', 'comeback');
  }
}

/** "day 3", "after 2 h", "at once": when a step goes, short enough for the flow list. */
export function delayShort(delay: Delay): string {
  if (delay.value === 0) return __('at once', 'comeback');
  if (delay.unit === 'days') return sprintf(__('day %d', 'comeback'), delay.value);
  if (delay.unit === 'hours') return sprintf(__('after %d h', 'comeback'), delay.value);
  return sprintf(__('after %d min', 'comeback'), delay.value);
}

/** "SMS / WhatsApp day 1": the channels in preference order and when. */
export function stepInWords(step: FlowStep): string {
  return `${step.channels.map((c) => CHANNEL_LABELS[c]).join(' / ')} ${delayShort(step.delay)}`;
}

/** "SMS day 1 → Email day 3 → …" */
export function stepsInWords(definition: FlowDefinition): string {
  return definition.steps.map(stepInWords).join(' → ');
}

/** "$10.00 off" (the shop's money), "15 % off", "product 123 free". */
export function offerInWords(offer: CouponOffer): string {
  if (offer.type === 'fixed_cart') return sprintf(__('%s off', 'comeback'), money(offer.amount));
  if (offer.type === 'percent') return sprintf(__('%s %% off', 'comeback'), String(offer.amount));
  return sprintf(__('product %d free', 'comeback'), offer.productId);
}

export function expiryInWords(expiry: CouponExpiry): string {
  if (expiry.mode === 'days') return sprintf(_n('valid %d day', 'valid %d days', expiry.days, 'comeback'), expiry.days);
  return sprintf(__('valid until before their next expected visit (%1$d–%2$d days)', 'comeback'), expiry.minDays, expiry.maxDays);
}
