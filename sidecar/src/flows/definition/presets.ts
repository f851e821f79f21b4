import { CUSTOMER_PRESET_KEYS, CUSTOMER_PRESETS } from './customer-presets.ts';
import type { FlowDefinition } from './flow-definition.ts';
import { GENERIC_OFFLINE_BODY, GENERIC_OFFLINE_BODY_PL, OFFLINE_BODY_PRESETS, OFFLINE_BODY_PRESETS_PL } from './offline-texts.ts';

/**
 * The flows every shop starts with, switched off until the merchant turns them on. They are
 * ordinary flows: the merchant edits them like any other, and the engine has no special case
 * for any of them beyond what its trigger means. Every step speaks English by default and Polish
 * to customers whose message goes in Polish (`translations.pl_PL`, held to the same rules by
 * preset-polish.test.ts); a WhatsApp template keeps its name and asks for its Polish version ("pl").
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
        translations: {
          pl_PL: {
            email: {
              subject: 'Twoje zamówienie [order_number] czeka na płatność',
              body: 'Dzień dobry [customer_first_name],\n\nTwoje zamówienie [order_number] w sklepie [shop_name] nie zostało jeszcze opłacone. Płatność możesz dokończyć tutaj: [payment_link text="Zapłać za zamówienie"]\n\n[order_items]',
              offlineBody: GENERIC_OFFLINE_BODY_PL,
              offlineBodies: { ...OFFLINE_BODY_PRESETS_PL },
            },
          },
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
        translations: {
          pl_PL: {
            sms: { body: '[shop_name]: Twój koszyk czeka. Dokończ zakupy: [cart_link] Odpowiedz STOP, aby zrezygnować.' },
            whatsapp: {
              template: { name: 'cart_reminder', language: 'pl', parameters: ['[customer_first_name]', '[cart_link]'] },
              text: {
                body: 'Cześć [customer_first_name], Twój koszyk w sklepie [shop_name] wciąż na Ciebie czeka: [cart_link] Odpowiedz STOP, aby zrezygnować.',
              },
            },
            email: {
              subject: 'Twój koszyk w sklepie [shop_name] czeka',
              body: 'Dzień dobry [customer_first_name],\n\nW Twoim koszyku zostały te produkty:\n\n[cart_items]\n\n[cart_link text="Wróć do koszyka"]',
            },
          },
        },
      },
      {
        delay: { value: 3, unit: 'days' },
        channels: ['email'],
        conditions: [],
        email: {
          subject: 'You left items in your cart',
          body: 'Hello [customer_first_name],\n\nYour cart at [shop_name] ([item_count]) is still saved:\n\n[cart_items]\n\nTotal: [cart_total]\n\n[cart_link text="Finish your order"]',
        },
        translations: {
          pl_PL: {
            email: {
              subject: 'Produkty w Twoim koszyku wciąż czekają',
              body: 'Dzień dobry [customer_first_name],\n\nTwój koszyk w sklepie [shop_name] ([item_count]) wciąż jest zapisany:\n\n[cart_items]\n\nRazem: [cart_total]\n\n[cart_link text="Dokończ zamówienie"]',
            },
          },
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
        translations: {
          pl_PL: {
            email: {
              subject: 'Produkty z Twojego koszyka mogą się wkrótce wyprzedać',
              body: 'Dzień dobry [customer_first_name],\n\nNiektórych produktów z Twojego koszyka zostało już niewiele, a nie możemy ich dla Ciebie zarezerwować:\n\n[cart_items]\n\n[cart_link text="Dokończ zamówienie"]',
            },
          },
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
        translations: {
          pl_PL: {
            sms: { body: '[shop_name]: ostatnie przypomnienie o Twoim koszyku: [cart_link] Odpowiedz STOP, aby zrezygnować.' },
            whatsapp: {
              template: { name: 'cart_last_reminder', language: 'pl', parameters: ['[customer_first_name]', '[cart_link]'] },
              text: {
                body: 'Cześć [customer_first_name], przypominamy ostatni raz, że Twój koszyk w sklepie [shop_name] wciąż jest zapisany: [cart_link] Odpowiedz STOP, aby zrezygnować.',
              },
            },
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
        translations: {
          pl_PL: {
            sms: { body: '[shop_name]: dziękujemy za zamówienie [order_number] ([order_total]). Damy znać, gdy je wyślemy.' },
            whatsapp: {
              template: { name: 'order_confirmation', language: 'pl', parameters: ['[order_number]', '[order_total]'] },
              text: {
                body: 'Dziękujemy za zamówienie [order_number] ([order_total]) w sklepie [shop_name]. Damy Ci znać, gdy je wyślemy.',
              },
            },
          },
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
        translations: {
          pl_PL: {
            email: {
              subject: 'Jak Ci się podoba zamówienie [order_number]?',
              body: 'Dzień dobry [customer_first_name],\n\nDziękujemy za zakupy w sklepie [shop_name]. Mamy nadzieję, że zamówienie przypadnie Ci do gustu:\n\n[order_items]\n\nOdpowiedz na tę wiadomość i podziel się z nami wrażeniami.',
            },
          },
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
        translations: {
          pl_PL: {
            sms: { body: '[shop_name]: zamówienie [order_number] jest już w drodze. Numer przesyłki: [tracking_number]' },
            whatsapp: {
              template: { name: 'shipment_update', language: 'pl', parameters: ['[order_number]', '[tracking_number]'] },
              text: { body: 'Zamówienie [order_number] ze sklepu [shop_name] jest już w drodze. Numer przesyłki: [tracking_number]' },
            },
            email: {
              subject: 'Zamówienie [order_number] jest w drodze',
              body: 'Dzień dobry [customer_first_name],\n\nTwoje zamówienie [order_number] zostało wysłane. Numer przesyłki: [tracking_number]\n\n[order_items]',
            },
          },
        },
      },
    ],
  },
};
