import type { FlowDefinition, FlowStep } from './flow-definition.ts';

/**
 * The preset flows that speak to a customer rather than about an order: win-back and the loyalty
 * notices. Switched off until the merchant turns them on; ordinary flows once saved.
 */
export const CUSTOMER_PRESET_KEYS = [
  'win-back',
  'voucher-issued',
  'voucher-expiring',
  'birthday',
  'nps-survey',
  'balance-reminder',
] as const;
export type CustomerPresetKey = (typeof CUSTOMER_PRESET_KEYS)[number];

const base = (): Pick<FlowDefinition, 'audience' | 'exit' | 'holdOutPercent'> => ({
  audience: { countries: [], tags: [], excludeTags: [] },
  exit: { onPurchase: true, events: [] },
  holdOutPercent: 0,
});

/** One message right when the trigger happens, by WhatsApp first (the loyalty programs' channel), then SMS, then email. */
function notice(
  whatsapp: { name: string; parameters: string[]; text: string },
  sms: string,
  email: { subject: string; body: string },
): FlowStep {
  return {
    delay: { value: 0, unit: 'minutes' },
    channels: ['whatsapp', 'sms', 'email'],
    conditions: [],
    whatsapp: { template: { name: whatsapp.name, language: 'en_US', parameters: whatsapp.parameters }, text: { body: whatsapp.text } },
    sms: { body: sms },
    email,
  };
}

/**
 * A win-back offer: an email (and an SMS to those without one) with the step's personal coupon,
 * worded by [coupon_offer] ("10% off", "€5.00 off", "a free Blue mug"), so the texts stay true when
 * the merchant switches the offer to another type. The SMS is marketing: it ends with the opt-out.
 */
export function winBackOffer(days: number, coupon: NonNullable<FlowStep['coupon']>, subject: string, lead: string): FlowStep {
  return {
    delay: { value: days, unit: 'days' },
    channels: ['email', 'sms'],
    conditions: [],
    coupon,
    email: {
      subject,
      body: `Hello [customer_first_name],\n\n${lead}\n\nYour personal code: [coupon_code] ([coupon_offer]), valid until [coupon_expiry].\n\n[shop_name]`,
    },
    // After the shop's name the sentence runs on, as in every preset SMS ("Mugs & More: it has been…").
    sms: {
      body: `[shop_name]: ${lead.charAt(0).toLowerCase()}${lead.slice(1)} Code [coupon_code] gives you [coupon_offer], valid until [coupon_expiry]. Reply STOP to opt out.`,
    },
  };
}

export const CUSTOMER_PRESETS: Record<CustomerPresetKey, FlowDefinition> = {
  // Offer A when the customer lapses (for someone who buys monthly: about 30 days after their last
  // order), B 30 days later, C 30 days after that: the 30/60/90 escalation. Sent at 10:00 in the
  // customer's zone, the morning after the lapse is noticed. A purchase ends it.
  'win-back': {
    ...base(),
    name: 'Win back lapsed customers',
    purpose: 'marketing',
    trigger: { event: 'customer.lapsed', factor: 1.25, minDays: 14, perMinute: 60 },
    sendWindow: { start: '10:00', end: '11:00' },
    steps: [
      winBackOffer(
        0,
        { offer: { type: 'percent', amount: 10 }, expiry: { mode: 'rhythm', minDays: 7, maxDays: 30 } },
        'We miss you at [shop_name]',
        'It has been a while since your last order, so here is a little something for the next one.',
      ),
      winBackOffer(
        30,
        { offer: { type: 'percent', amount: 15 }, expiry: { mode: 'days', days: 14 } },
        'A bigger thank-you from [shop_name]',
        'We would love to see you again, so we have made your offer even better.',
      ),
      winBackOffer(
        60,
        { offer: { type: 'percent', amount: 20 }, expiry: { mode: 'days', days: 14 } },
        'Our best offer, just for you',
        'This is the best offer we have, and it is yours alone.',
      ),
    ],
  },
  // Notices about the customer's loyalty account: marketing (a program's events key must not make the shop email anyone).
  'voucher-issued': {
    ...base(),
    exit: { onPurchase: false, events: [] },
    name: 'Voucher issued',
    purpose: 'marketing',
    trigger: { event: 'voucher.issued' },
    sendWindow: { start: '09:00', end: '20:00' },
    steps: [
      notice(
        {
          name: 'voucher_issued',
          parameters: ['[customer_first_name]', '[voucher_value]', '[voucher_code]', '[voucher_expiry]'],
          text: 'Hi [customer_first_name], a voucher worth [voucher_value] is yours: [voucher_code], valid until [voucher_expiry]. [portal_link] Reply STOP to opt out.',
        },
        '[shop_name]: a voucher worth [voucher_value] is yours: [voucher_code], valid until [voucher_expiry]. Reply STOP to opt out.',
        {
          subject: 'A voucher worth [voucher_value] for you',
          body: 'Hello [customer_first_name],\n\nYou have a new voucher at [shop_name]: [voucher_code], worth [voucher_value], valid until [voucher_expiry].\n\n[portal_link text="See your rewards"]',
        },
      ),
    ],
  },
  'voucher-expiring': {
    ...base(),
    exit: { onPurchase: false, events: [] },
    name: 'Voucher about to expire',
    purpose: 'marketing',
    trigger: { event: 'voucher.expiring', daysBefore: 7 },
    sendWindow: { start: '09:00', end: '20:00' },
    steps: [
      notice(
        {
          name: 'voucher_expiring',
          parameters: ['[customer_first_name]', '[voucher_code]', '[voucher_expiry]'],
          text: 'Hi [customer_first_name], your voucher [voucher_code] ([voucher_value]) expires on [voucher_expiry]. Use it before then! Reply STOP to opt out.',
        },
        '[shop_name]: your voucher [voucher_code] ([voucher_value]) expires on [voucher_expiry]. Reply STOP to opt out.',
        {
          subject: 'Your voucher expires on [voucher_expiry]',
          body: 'Hello [customer_first_name],\n\nYour voucher [voucher_code] worth [voucher_value] expires on [voucher_expiry]. Use it at [shop_name] before then.\n\n[portal_link text="See your rewards"]',
        },
      ),
    ],
  },
  birthday: {
    ...base(),
    exit: { onPurchase: false, events: [] },
    name: 'Birthday wishes',
    purpose: 'marketing',
    trigger: { event: 'customer.birthday' },
    sendWindow: { start: '09:00', end: '12:00' },
    steps: [
      notice(
        {
          name: 'birthday_wishes',
          parameters: ['[customer_first_name]', '[shop_name]'],
          text: 'Happy birthday, [customer_first_name]! Everyone at [shop_name] wishes you a wonderful day. Reply STOP to opt out.',
        },
        'Happy birthday, [customer_first_name]! Best wishes from [shop_name]. Reply STOP to opt out.',
        {
          subject: 'Happy birthday, [customer_first_name]!',
          body: 'Hello [customer_first_name],\n\nEveryone at [shop_name] wishes you a happy birthday.',
        },
      ),
    ],
  },
  'nps-survey': {
    ...base(),
    exit: { onPurchase: false, events: [] },
    name: 'NPS survey',
    purpose: 'marketing',
    trigger: { event: 'nps.requested' },
    sendWindow: { start: '10:00', end: '19:00' },
    steps: [
      notice(
        {
          name: 'nps_survey',
          parameters: ['[customer_first_name]', '[nps_link]'],
          text: 'Hi [customer_first_name], how likely are you to recommend [shop_name]? One click: [nps_link] Reply STOP to opt out.',
        },
        '[shop_name]: how likely are you to recommend us? Answer in 10 seconds: [nps_link] Reply STOP to opt out.',
        {
          subject: 'One question from [shop_name]',
          body: 'Hello [customer_first_name],\n\nHow likely are you to recommend [shop_name] to a friend?\n\n[nps_link text="Answer in 10 seconds"]',
        },
      ),
    ],
  },
  // A day after the balance changes, unless they bought meanwhile; a newer balance replaces it.
  'balance-reminder': {
    ...base(),
    name: 'Points and cashback balance',
    purpose: 'marketing',
    trigger: { event: 'balance.updated' },
    sendWindow: { start: '10:00', end: '19:00' },
    steps: [
      {
        ...notice(
          {
            name: 'balance_reminder',
            parameters: ['[customer_first_name]', '[points_balance]', '[cashback_balance]'],
            text: 'Hi [customer_first_name], you have [points_balance] and [cashback_balance] cashback at [shop_name]. [portal_link] Reply STOP to opt out.',
          },
          '[shop_name]: you have [points_balance] and [cashback_balance] cashback to spend. Reply STOP to opt out.',
          {
            subject: 'Your rewards at [shop_name]',
            body: 'Hello [customer_first_name],\n\nYou have [points_balance] and [cashback_balance] cashback to spend at [shop_name].\n\n[portal_link text="See your rewards"]',
          },
        ),
        delay: { value: 1, unit: 'days' },
      },
    ],
  },
};
