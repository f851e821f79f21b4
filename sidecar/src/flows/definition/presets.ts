import { CUSTOMER_PRESET_KEYS, CUSTOMER_PRESETS } from './customer-presets.ts';
import type { FlowDefinition } from './flow-definition.ts';
import { GENERIC_OFFLINE_BODY, OFFLINE_BODY_PRESETS } from './offline-texts.ts';

/**
 * The flows every shop starts with, switched off until the merchant turns them on. They are
 * ordinary flows: the merchant edits them like any other, and the engine has no special case
 * for any of them beyond what its trigger means.
 */
export const PRESET_KEYS = [
  'unpaid-order',
  'abandoned-cart',
  'order-confirmation',
  'post-sale',
  'shipment',
  ...CUSTOMER_PRESET_KEYS,
] as const;
export type PresetKey = (typeof PRESET_KEYS)[number];

export const DEFAULT_GATEWAYS = {
  // Core and the gateways merchants in our markets use; unknown gateways are treated as online.
  online: ['payu*', 'tpay*', 'przelewy24*', 'stripe*', 'ppcp-gateway', 'paypal*', 'woocommerce_payments', 'mollie_wc_gateway_*'],
  // WooCommerce puts these on hold: the customer pays by transfer or cheque.
  offline: ['bacs', 'cheque'],
  // Paid on delivery: there is nothing to remind about.
  never: ['cod'],
};

const base = (): Pick<FlowDefinition, 'audience' | 'exit' | 'holdOutPercent'> => ({
  audience: { countries: [], tags: [], excludeTags: [] },
  exit: { onPurchase: true, events: [] },
  holdOutPercent: 0,
});

export const PRESETS: Record<PresetKey, FlowDefinition> = {
  ...CUSTOMER_PRESETS,
  'unpaid-order': {
    ...base(),
    name: 'Unpaid order reminder',
    purpose: 'order',
    trigger: { event: 'order.unpaid', gateways: DEFAULT_GATEWAYS },
    sendWindow: null,
    steps: [
      {
        delay: { value: 1, unit: 'hours' },
        channels: ['email'],
        conditions: [],
        email: {
          subject: 'Your order [order_number] is waiting for payment',
          body: 'Hello [customer_first_name],\n\nYour order [order_number] at [shop_name] is not paid yet. You can finish the payment here: [payment_link text="Pay for your order"]\n\n[order_items]',
          offlineBody: GENERIC_OFFLINE_BODY,
          offlineBodies: { ...OFFLINE_BODY_PRESETS },
        },
      },
    ],
  },
  'abandoned-cart': {
    ...base(),
    name: 'Abandoned cart',
    purpose: 'cart',
    trigger: { event: 'cart.abandoned', afterMinutes: 60 },
    sendWindow: { start: '09:00', end: '20:00' },
    steps: [
      {
        delay: { value: 1, unit: 'days' },
        channels: ['sms', 'whatsapp', 'email'],
        conditions: [],
        sms: { body: '[shop_name]: your cart is waiting for you. Finish your order here: [cart_link] Reply STOP to opt out.' },
        whatsapp: {
          template: { name: 'cart_reminder', language: 'en_US', parameters: ['[customer_first_name]', '[cart_link]'] },
          text: { body: 'Hi [customer_first_name], your cart at [shop_name] is waiting for you: [cart_link] Reply STOP to opt out.' },
        },
        email: {
          subject: 'Your cart at [shop_name] is waiting',
          body: 'Hello [customer_first_name],\n\nYou left these items in your cart:\n\n[cart_items]\n\n[cart_link text="Back to your cart"]',
        },
      },
      {
        delay: { value: 3, unit: 'days' },
        channels: ['email'],
        conditions: [],
        email: {
          subject: 'You left items in your cart',
          body: 'Hello [customer_first_name],\n\nYour cart at [shop_name] is still saved:\n\n[cart_items]\n\nTotal: [cart_total]\n\n[cart_link text="Finish your order"]',
        },
      },
      {
        delay: { value: 7, unit: 'days' },
        channels: ['email'],
        // Urgency only when it is true.
        conditions: [{ kind: 'low_stock', below: 5 }],
        email: {
          subject: 'Items in your cart may sell out soon',
          body: 'Hello [customer_first_name],\n\nSome items in your cart are running low, and we cannot hold them for you:\n\n[cart_items]\n\n[cart_link text="Finish your order"]',
        },
      },
      {
        delay: { value: 10, unit: 'days' },
        channels: ['sms', 'whatsapp'],
        conditions: [],
        sms: { body: '[shop_name]: a last reminder that your cart is still saved: [cart_link] Reply STOP to opt out.' },
        whatsapp: {
          template: { name: 'cart_last_reminder', language: 'en_US', parameters: ['[customer_first_name]', '[cart_link]'] },
          text: {
            body: 'Hi [customer_first_name], a last reminder that your cart at [shop_name] is still saved: [cart_link] Reply STOP to opt out.',
          },
        },
      },
    ],
  },
  'order-confirmation': {
    ...base(),
    exit: { onPurchase: false, events: [] },
    name: 'Order confirmation',
    purpose: 'order',
    trigger: { event: 'order.placed' },
    sendWindow: null,
    steps: [
      {
        delay: { value: 0, unit: 'minutes' },
        channels: ['sms', 'whatsapp'],
        conditions: [],
        sms: { body: '[shop_name]: thank you for your order [order_number] ([order_total]). We will let you know when it ships.' },
        whatsapp: {
          template: { name: 'order_confirmation', language: 'en_US', parameters: ['[order_number]', '[order_total]'] },
          text: { body: 'Thank you for your order [order_number] ([order_total]) at [shop_name]. We will let you know when it ships.' },
        },
      },
    ],
  },
  'post-sale': {
    ...base(),
    exit: { onPurchase: false, events: [] },
    name: 'After the order is completed',
    purpose: 'marketing',
    trigger: { event: 'order.completed' },
    sendWindow: { start: '10:00', end: '19:00' },
    steps: [
      {
        delay: { value: 7, unit: 'days' },
        channels: ['email'],
        conditions: [],
        email: {
          subject: 'How do you like your order [order_number]?',
          body: 'Hello [customer_first_name],\n\nThank you for shopping at [shop_name]. We hope you enjoy your order:\n\n[order_items]\n\nReply to this email and tell us how it went.',
        },
      },
    ],
  },
  shipment: {
    ...base(),
    exit: { onPurchase: false, events: [] },
    name: 'Shipment update',
    purpose: 'order',
    trigger: { event: 'order.shipped' },
    sendWindow: { start: '08:00', end: '21:00' },
    steps: [
      {
        delay: { value: 0, unit: 'minutes' },
        channels: ['sms', 'whatsapp', 'email'],
        conditions: [],
        sms: { body: '[shop_name]: order [order_number] is on its way. Tracking number: [tracking_number]' },
        whatsapp: {
          template: { name: 'shipment_update', language: 'en_US', parameters: ['[order_number]', '[tracking_number]'] },
          text: { body: 'Order [order_number] from [shop_name] is on its way. Tracking number: [tracking_number]' },
        },
        email: {
          subject: 'Order [order_number] is on its way',
          body: 'Hello [customer_first_name],\n\nYour order [order_number] has shipped. Tracking number: [tracking_number]\n\n[order_items]',
        },
      },
    ],
  },
};
