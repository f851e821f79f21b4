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

/** A notice's texts in one language: the WhatsApp text, the SMS, the email. */
type NoticeTexts = { whatsapp: string; sms: string; email: { subject: string; body: string } };

/**
 * One message right when the trigger happens, by WhatsApp first (the loyalty programs' channel),
 * then SMS, then email; in English and in Polish, the Polish WhatsApp going by the same template's
 * Polish version.
 */
function notice(template: { name: string; parameters: string[] }, en: NoticeTexts, pl: NoticeTexts): FlowStep {
  return {
    delay: { value: 0, unit: 'minutes' },
    channels: ['whatsapp', 'sms', 'email'],
    conditions: [],
    whatsapp: { template: { ...template, language: 'en_US' }, text: { body: en.whatsapp } },
    sms: { body: en.sms },
    email: en.email,
    translations: {
      pl_PL: {
        whatsapp: { template: { ...template, language: 'pl' }, text: { body: pl.whatsapp } },
        sms: { body: pl.sms },
        email: pl.email,
      },
    },
  };
}

/** A win-back offer's own words in Polish: the subject, the email's lead, and a shorter lead for the SMS (two UCS-2 parts are 134 characters). */
export type WinBackPolish = { subject: string; lead: string; smsLead: string };

/**
 * A win-back offer: an email (and an SMS to those without one) with the step's personal coupon,
 * worded by [coupon_offer] ("10% off", "€5.00 off", "a free Blue mug"), so the texts stay true when
 * the merchant switches the offer to another type. The SMS is marketing: it ends with the opt-out.
 */
export function winBackOffer(
  days: number,
  coupon: NonNullable<FlowStep['coupon']>,
  subject: string,
  lead: string,
  pl?: WinBackPolish,
): FlowStep {
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
    ...(pl && {
      translations: {
        pl_PL: {
          email: {
            subject: pl.subject,
            body: `Dzień dobry [customer_first_name],\n\n${pl.lead}\n\nTwój osobisty kod: [coupon_code] ([coupon_offer]), ważny do [coupon_expiry].\n\n[shop_name]`,
          },
          // "Z kodem X masz 10% rabatu" / "masz produkt gratis": true for every offer type.
          sms: {
            body: `[shop_name]: ${pl.smsLead} Z kodem [coupon_code] masz [coupon_offer] do [coupon_expiry]. Odpowiedz STOP, aby zrezygnować.`,
          },
        },
      },
    }),
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
        {
          subject: 'Tęsknimy za Tobą w sklepie [shop_name]',
          lead: 'Dawno nie było Cię w naszym sklepie, dlatego mamy dla Ciebie drobny prezent na kolejne zakupy.',
          smsLead: 'Dawno Cię u nas nie było!',
        },
      ),
      winBackOffer(
        30,
        { offer: { type: 'percent', amount: 15 }, expiry: { mode: 'days', days: 14 } },
        'A bigger thank-you from [shop_name]',
        'We would love to see you again, so we have made your offer even better.',
        {
          subject: 'Jeszcze lepsza oferta od [shop_name]',
          lead: 'Chcemy znów gościć Cię w naszym sklepie, dlatego Twoja oferta jest teraz jeszcze lepsza.',
          smsLead: 'Jeszcze lepsza oferta!',
        },
      ),
      winBackOffer(
        60,
        { offer: { type: 'percent', amount: 20 }, expiry: { mode: 'days', days: 14 } },
        'Our best offer, just for you',
        'This is the best offer we have, and it is yours alone.',
        {
          subject: 'Nasza najlepsza oferta, tylko dla Ciebie',
          lead: 'To nasza najlepsza oferta i jest tylko dla Ciebie.',
          smsLead: 'Nasza najlepsza oferta!',
        },
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
        { name: 'voucher_issued', parameters: ['[customer_first_name]', '[voucher_value]', '[voucher_code]', '[voucher_expiry]'] },
        {
          whatsapp:
            'Hi [customer_first_name], a voucher worth [voucher_value] is yours: [voucher_code], valid until [voucher_expiry]. [portal_link] Reply STOP to opt out.',
          sms: '[shop_name]: a voucher worth [voucher_value] is yours: [voucher_code], valid until [voucher_expiry]. Reply STOP to opt out.',
          email: {
            subject: 'A voucher worth [voucher_value] for you',
            body: 'Hello [customer_first_name],\n\nYou have a new voucher at [shop_name]: [voucher_code], worth [voucher_value], valid until [voucher_expiry].\n\n[portal_link text="See your rewards"]',
          },
        },
        {
          whatsapp:
            'Cześć [customer_first_name], masz nowy bon o wartości [voucher_value]: [voucher_code], ważny do [voucher_expiry]. [portal_link] Odpowiedz STOP, aby zrezygnować.',
          sms: '[shop_name]: masz bon o wartości [voucher_value]: [voucher_code], ważny do [voucher_expiry]. Odpowiedz STOP, aby zrezygnować.',
          email: {
            subject: 'Bon o wartości [voucher_value] dla Ciebie',
            body: 'Dzień dobry [customer_first_name],\n\nMasz nowy bon w sklepie [shop_name]: [voucher_code] o wartości [voucher_value], ważny do [voucher_expiry].\n\n[portal_link text="Zobacz swoje nagrody"]',
          },
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
        { name: 'voucher_expiring', parameters: ['[customer_first_name]', '[voucher_code]', '[voucher_expiry]'] },
        {
          whatsapp:
            'Hi [customer_first_name], your voucher [voucher_code] ([voucher_value]) expires on [voucher_expiry]. Use it before then! Reply STOP to opt out.',
          sms: '[shop_name]: your voucher [voucher_code] ([voucher_value]) expires on [voucher_expiry]. Reply STOP to opt out.',
          email: {
            subject: 'Your voucher expires on [voucher_expiry]',
            body: 'Hello [customer_first_name],\n\nYour voucher [voucher_code] worth [voucher_value] expires on [voucher_expiry]. Use it at [shop_name] before then.\n\n[portal_link text="See your rewards"]',
          },
        },
        {
          whatsapp:
            'Cześć [customer_first_name], Twój bon [voucher_code] ([voucher_value]) jest ważny tylko do [voucher_expiry]. Wykorzystaj go, póki możesz! Odpowiedz STOP, aby zrezygnować.',
          sms: '[shop_name]: Twój bon [voucher_code] ([voucher_value]) jest ważny tylko do [voucher_expiry]. Odpowiedz STOP, aby zrezygnować.',
          email: {
            subject: 'Twój bon jest ważny tylko do [voucher_expiry]',
            body: 'Dzień dobry [customer_first_name],\n\nTwój bon [voucher_code] o wartości [voucher_value] jest ważny tylko do [voucher_expiry]. Wykorzystaj go wcześniej w sklepie [shop_name].\n\n[portal_link text="Zobacz swoje nagrody"]',
          },
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
        { name: 'birthday_wishes', parameters: ['[customer_first_name]', '[shop_name]'] },
        {
          whatsapp: 'Happy birthday, [customer_first_name]! Everyone at [shop_name] wishes you a wonderful day. Reply STOP to opt out.',
          sms: 'Happy birthday, [customer_first_name]! Best wishes from [shop_name]. Reply STOP to opt out.',
          email: {
            subject: 'Happy birthday, [customer_first_name]!',
            body: 'Hello [customer_first_name],\n\nEveryone at [shop_name] wishes you a happy birthday.',
          },
        },
        {
          whatsapp:
            'Wszystkiego najlepszego, [customer_first_name]! Cały zespół [shop_name] życzy Ci wspaniałego dnia. Odpowiedz STOP, aby zrezygnować.',
          sms: 'Sto lat, [customer_first_name]! Najlepsze życzenia urodzinowe od [shop_name]. Odpowiedz STOP, aby zrezygnować.',
          email: {
            subject: 'Wszystkiego najlepszego, [customer_first_name]!',
            body: 'Cześć [customer_first_name],\n\nCały zespół [shop_name] życzy Ci wszystkiego najlepszego z okazji urodzin.',
          },
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
        { name: 'nps_survey', parameters: ['[customer_first_name]', '[nps_link]'] },
        {
          whatsapp: 'Hi [customer_first_name], how likely are you to recommend [shop_name]? One click: [nps_link] Reply STOP to opt out.',
          sms: '[shop_name]: how likely are you to recommend us? Answer in 10 seconds: [nps_link] Reply STOP to opt out.',
          email: {
            subject: 'One question from [shop_name]',
            body: 'Hello [customer_first_name],\n\nHow likely are you to recommend [shop_name] to a friend?\n\n[nps_link text="Answer in 10 seconds"]',
          },
        },
        {
          whatsapp:
            'Cześć [customer_first_name], czy polecisz [shop_name] znajomym? Oceń nas jednym kliknięciem: [nps_link] Odpowiedz STOP, aby zrezygnować.',
          sms: '[shop_name]: czy polecisz nas znajomym? Oceń nas w 10 sekund: [nps_link] Odpowiedz STOP, aby zrezygnować.',
          email: {
            subject: 'Jedno pytanie od [shop_name]',
            body: 'Dzień dobry [customer_first_name],\n\nJak bardzo prawdopodobne jest, że polecisz [shop_name] znajomym?\n\n[nps_link text="Odpowiedz w 10 sekund"]',
          },
        },
      ),
    ],
  },
  // A day after the balance changes, unless they bought meanwhile; a newer balance replaces it.
  // [points_balance] says its noun itself ("1,250 points", "1 250 punktów"), in the message's language.
  'balance-reminder': {
    ...base(),
    name: 'Points and cashback balance',
    purpose: 'marketing',
    trigger: { event: 'balance.updated' },
    sendWindow: { start: '10:00', end: '19:00' },
    steps: [
      {
        ...notice(
          { name: 'balance_reminder', parameters: ['[customer_first_name]', '[points_balance]', '[cashback_balance]'] },
          {
            whatsapp:
              'Hi [customer_first_name], you have [points_balance] and [cashback_balance] cashback at [shop_name]. [portal_link] Reply STOP to opt out.',
            sms: '[shop_name]: you have [points_balance] and [cashback_balance] cashback to spend. Reply STOP to opt out.',
            email: {
              subject: 'Your rewards at [shop_name]',
              body: 'Hello [customer_first_name],\n\nYou have [points_balance] and [cashback_balance] cashback to spend at [shop_name].\n\n[portal_link text="See your rewards"]',
            },
          },
          {
            whatsapp:
              'Cześć [customer_first_name], masz [points_balance] i [cashback_balance] cashbacku w sklepie [shop_name]. [portal_link] Odpowiedz STOP, aby zrezygnować.',
            sms: '[shop_name]: masz [points_balance] i [cashback_balance] cashbacku do wykorzystania. Odpowiedz STOP, aby zrezygnować.',
            email: {
              subject: 'Twoje nagrody w sklepie [shop_name]',
              body: 'Dzień dobry [customer_first_name],\n\nMasz [points_balance] i [cashback_balance] cashbacku do wykorzystania w sklepie [shop_name].\n\n[portal_link text="Zobacz swoje nagrody"]',
            },
          },
        ),
        delay: { value: 1, unit: 'days' },
      },
    ],
  },
};
