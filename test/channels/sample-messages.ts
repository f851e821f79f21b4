import { unsubscribeHeaders } from '../../sidecar/src/messages/unsubscribe-headers.ts';
import type { OutboxMessage } from '../../sidecar/src/messages/outbox.ts';

export const UNSUBSCRIBE = unsubscribeHeaders(
  'https://reminders.example.test/u/7c1e9a52f0b34d6e7c1e9a52f0b34d6e',
  'unsubscribe@reminders.example.test?subject=unsub-7c1e9a52f0b34d6e7c1e9a52f0b34d6e',
);

/** A reminder email as the flows queue it. */
export function sampleEmail(overrides: Partial<OutboxMessage> = {}): Omit<OutboxMessage, 'shopId' | 'idempotencyKey'> {
  return {
    to: 'customer@example.test',
    from: 'Shop <shop@reminders.example.test>',
    replyTo: 'help@shop.example.test',
    subject: 'Your order 1234 is waiting for payment',
    html: '<p>Hello Ana, <a href="https://shop.example.test/pay/1234">pay order 1234</a>.</p>',
    text: 'Hello Ana, pay order 1234: https://shop.example.test/pay/1234',
    headers: { ...UNSUBSCRIBE },
    ...overrides,
  };
}

/** The fixtures' customer. */
export const CUSTOMER = '+48500000001';

/** An approved WhatsApp template as a flow step's payload names it. */
export const TEMPLATE = { name: 'cart_reminder', language: 'en_US', parameters: ['Ada', 'https://reminders.example.test/r/abc'] };

/** A reminder SMS as the flows queue it. */
export function sampleSms(to = CUSTOMER): Omit<OutboxMessage, 'shopId' | 'idempotencyKey'> {
  return {
    channel: 'sms',
    to,
    from: '',
    subject: '',
    html: '',
    text: 'Your order 1042 is waiting: https://reminders.example.test/r/abc',
    customerKey: to,
  };
}

let numbers = 0;
/** A number no other message of this test file went to: WhatsApp's pair rate and window are per number. */
export const freshNumber = () => `+4850001${String(++numbers).padStart(4, '0')}`;

/** A WhatsApp reminder as the flows queue it: the text for inside the 24-hour window, the template for outside. */
export function sampleWhatsApp(to = freshNumber()): Omit<OutboxMessage, 'shopId' | 'idempotencyKey'> {
  return {
    channel: 'whatsapp',
    to,
    from: '',
    subject: '',
    html: '',
    text: 'Your cart is waiting',
    payload: { template: TEMPLATE },
    customerKey: to,
  };
}
