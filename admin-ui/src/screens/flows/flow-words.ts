import { __, _n, sprintf } from '@wordpress/i18n';
import type { TemplateContext } from '../../components/TemplateEditor.tsx';
import type { Channel, Delay, FlowDefinition, FlowStep, Trigger, TriggerEvent } from './flow-types.ts';

export const CHANNEL_LABELS: Record<Channel, string> = {
  sms: __('SMS', 'comeback'),
  whatsapp: __('WhatsApp', 'comeback'),
  email: __('Email', 'comeback'),
};

/** What starts the flow, as the merchant would say it. */
export function triggerInWords(trigger: Trigger): string {
  switch (trigger.event) {
    case 'order.unpaid':
      return __('An order is waiting for payment', 'comeback');
    case 'cart.abandoned':
      return sprintf(
        _n('A cart is left without an order for %d minute', 'A cart is left without an order for %d minutes', trigger.afterMinutes, 'comeback'),
        trigger.afterMinutes,
      );
    case 'order.placed':
      return __('An order is placed (paid, or cash on delivery)', 'comeback');
    case 'order.completed':
      return __('An order is completed', 'comeback');
    case 'order.shipped':
      return __('An order is shipped (a tracking number appears)', 'comeback');
  }
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

/**
 * The validator's context for each text, as the sidecar checks a save: unpaid-order texts are
 * for orders paid online (the bank-transfer variant for offline ones), cart texts know a cart and
 * no order, other order flows speak of an order however it was paid.
 */
export function textContext(event: TriggerEvent, part: 'subject' | 'body' | 'offlineBody'): TemplateContext {
  if (part === 'offlineBody') return 'offline';
  if (event === 'cart.abandoned') return 'cart';
  if (part === 'body' && event === 'order.unpaid') return 'online';
  return 'any';
}

/** Unpaid-order flows have a second text per channel for bank transfer and cheque orders. */
export const hasOfflineTexts = (event: TriggerEvent) => event === 'order.unpaid';
