import { describe, expect, it } from 'vitest';
import { NEW_CAMPAIGN_EMAIL, NEW_CAMPAIGN_TRANSLATIONS } from '../../campaigns/campaign-texts.ts';
import type { TextTranslation } from '../../messages/message-templates.ts';
import { countSms } from '../../messages/sms-segments.ts';
import type { Offer } from '../../offers/coupons.ts';
import { checkedFlowDefinitionSchema, type FlowDefinition, type FlowStep } from './flow-definition.ts';
import { flowTemplateErrors } from './flow-texts.ts';
import { renderPresetStep, stringsOf as texts } from './preset-samples.ts';
import { PRESETS } from './presets.ts';

// Every preset in Polish, read as a Polish shop's customer gets it: every channel a step sends by
// has its Polish text, nothing English is left, the greeting and the bank-transfer wording are
// what a Polish shop writes, and a marketing text message ends with the opt-out within two SMS
// once filled (Polish letters make it UCS-2: 70 characters, 67 per part of a longer one).

const STOP = 'Odpowiedz STOP, aby zrezygnować.';
const POLISH = 'pl_PL';

/** English a Polish text must not hold (shortcodes taken out first: their names are English). */
const ENGLISH =
  /\b(hello|hi|dear|your|you|the|and|order|cart|items?|reply|stop to|opt out|thank|please|valid|until|voucher|points?|off|free|wishes|payment|transfer|reference|shop)\b/i;
const prose = (text: string) => text.replace(/\[[^\]]*\]/g, ' ');

/** The step as a Polish customer's message is made of it: its Polish texts in place of the default ones. */
function inPolish(step: FlowStep): FlowStep {
  const pl = step.translations?.[POLISH] as TextTranslation;
  return {
    ...step,
    ...(pl.email && { email: pl.email }),
    ...(pl.sms && { sms: pl.sms }),
    ...(pl.whatsapp && { whatsapp: { template: pl.whatsapp.template!, text: pl.whatsapp.text! } }),
  };
}

/** Every Polish string of every preset step and of the new campaign's text, with where it is. */
const polishTexts = (): Array<[string, string]> => [
  ...Object.entries(PRESETS).flatMap(([key, flow]) =>
    flow.steps.flatMap((step, i) => texts(step.translations?.[POLISH] ?? {}, `${key}.${i}`).filter(([at]) => !at.endsWith('.language'))),
  ),
  ...texts(NEW_CAMPAIGN_TRANSLATIONS[POLISH], 'campaign'),
];

/** The message on one channel as a Polish customer gets it: the step's Polish translation, rendered in Polish. */
function rendered(flow: FlowDefinition, step: FlowStep, channel: 'email' | 'sms' | 'whatsapp', cacheKey: string) {
  return renderPresetStep(flow, step, channel, `pl:${cacheKey}`, POLISH);
}

describe('the presets in Polish', () => {
  it('give every step a Polish text for every channel it sends by, with every text the default has', () => {
    for (const [key, flow] of Object.entries(PRESETS))
      flow.steps.forEach((step, i) => {
        const pl = step.translations?.[POLISH];
        expect(pl, `${key}.${i}`).toBeDefined();
        for (const channel of step.channels) expect(pl![channel], `${key}.${i}.${channel}`).toBeDefined();
        if (step.email?.offlineBody) expect(pl!.email!.offlineBody, `${key}.${i}.email.offlineBody`).toBeDefined();
        for (const gateway of Object.keys(step.email?.offlineBodies ?? {}))
          expect(pl!.email!.offlineBodies?.[gateway], `${key}.${i}.email.offlineBodies.${gateway}`).toBeDefined();
        // The same approved template, asked for in Polish, with the same parameters.
        if (step.whatsapp) {
          expect(pl!.whatsapp!.template, `${key}.${i}.whatsapp.template`).toEqual({ ...step.whatsapp.template, language: 'pl' });
          expect(pl!.whatsapp!.text?.body, `${key}.${i}.whatsapp.text`).toBeDefined();
        }
      });
    expect(NEW_CAMPAIGN_TRANSLATIONS[POLISH].email.subject).not.toBe(NEW_CAMPAIGN_EMAIL.subject);
  });

  it('use the same shortcodes as the English text of the same channel', () => {
    const names = (text: string | undefined) => [...(text ?? '').matchAll(/\[([a-z_]+)/g)].map((m) => m[1]).sort();
    for (const [key, flow] of Object.entries(PRESETS))
      flow.steps.forEach((step, i) => {
        const pl = inPolish(step);
        const pairs: Array<[string, string | undefined, string | undefined]> = [
          ['email.subject', step.email?.subject, pl.email?.subject],
          ['email.body', step.email?.body, pl.email?.body],
          ['email.offlineBody', step.email?.offlineBody, pl.email?.offlineBody],
          ...Object.entries(step.email?.offlineBodies ?? {}).map(
            ([g, body]) => [`email.offlineBodies.${g}`, body, pl.email?.offlineBodies?.[g]] as [string, string, string | undefined],
          ),
          ['sms.body', step.sms?.body, pl.sms?.body],
          ['whatsapp.text', step.whatsapp?.text.body, pl.whatsapp?.text.body],
        ];
        for (const [at, en, polish] of pairs) expect(names(polish), `${key}.${i}.${at}`).toEqual(names(en));
      });
    expect(names(NEW_CAMPAIGN_TRANSLATIONS[POLISH].email.body)).toEqual(names(NEW_CAMPAIGN_EMAIL.body));
  });

  it('leave no English behind, in the texts or in what the shortcodes print in Polish', async () => {
    for (const [at, text] of polishTexts()) expect(prose(text), at).not.toMatch(ENGLISH);
    for (const [key, flow] of Object.entries(PRESETS))
      for (const [i, step] of flow.steps.entries())
        for (const channel of step.channels) {
          const { text } = await rendered(flow, step, channel, `words:${key}:${i}`);
          expect(text, `${key}.${i}.${channel}`).not.toMatch(/Reply STOP|your order|\bHi\b|\boff\b|a free|\bpoints?\b|\bitems?\b/i);
        }
  });

  it('start the sentence after the greeting with a capital letter', () => {
    let greetings = 0;
    for (const [at, text] of polishTexts()) {
      const lines = text.split('\n');
      lines.forEach((line, i) => {
        if (!/^(Dzień dobry|Cześć|Witaj)\b.*,$/.test(line.trim())) return;
        greetings++;
        const next = lines.slice(i + 1).find((l) => l.trim() !== '');
        if (next) expect(next.trim()[0], `${at}: "${next}"`).toMatch(/[A-ZĄĆĘŁŃÓŚŹŻ]/);
      });
    }
    expect(greetings).toBeGreaterThanOrEqual(15);
  });

  it('ask a bank transfer for "dane do przelewu" and the order number in "tytuł przelewu"', () => {
    const bacs = PRESETS['unpaid-order'].steps[0]!.translations![POLISH]!.email!.offlineBodies!.bacs!;
    expect(bacs).toContain('Dane do przelewu:');
    expect(bacs).toMatch(/W tytule przelewu wpisz numer zamówienia: \[order_number\]/);
    const cheque = PRESETS['unpaid-order'].steps[0]!.translations![POLISH]!.email!.offlineBodies!.cheque!;
    expect(cheque).toMatch(/\[payable_to\][\s\S]*\[company_details\]/);
  });

  it('speak of stock only in the step sent when an item really is low in stock', () => {
    for (const [key, flow] of Object.entries(PRESETS))
      flow.steps.forEach((step, i) => {
        const lowStock = step.conditions.some((c) => c.kind === 'low_stock');
        for (const [at, text] of texts(step.translations?.[POLISH] ?? {}))
          if (!lowStock) expect(text, `${key}.${i}.${at}`).not.toMatch(/wyprzeda|magazyn|zostało już niewiele|kończą się/i);
      });
    const lowStock = PRESETS['abandoned-cart'].steps.find((s) => s.conditions.some((c) => c.kind === 'low_stock'))!;
    expect(lowStock.translations![POLISH]!.email!.subject).toMatch(/wyprzedać/);
  });

  it('end every cart and marketing SMS and WhatsApp text with the Polish opt-out, within two UCS-2 SMS once filled', async () => {
    let checked = 0;
    for (const [key, flow] of Object.entries(PRESETS))
      for (const [i, step] of flow.steps.entries()) {
        if (step.sms) {
          const sms = await rendered(flow, step, 'sms', `stop:${key}:${i}`);
          const count = countSms(sms.text);
          expect(count.encoding, `${key}.${i}.sms: ${sms.text}`).toBe('UCS-2');
          expect(count.segments, `${key}.${i}.sms (${count.characters}): ${sms.text}`).toBeLessThanOrEqual(2);
          if (flow.purpose !== 'order') {
            expect(inPolish(step).sms!.body, `${key}.${i}.sms`).toMatch(/Odpowiedz STOP, aby zrezygnować\.$/);
            expect(sms.text.endsWith(STOP), `${key}.${i}.sms: ${sms.text}`).toBe(true);
            checked++;
          } else expect(sms.text, `${key}.${i}.sms`).not.toContain('STOP');
        }
        if (step.whatsapp && flow.purpose !== 'order') {
          const whatsapp = await rendered(flow, step, 'whatsapp', `stop:${key}:${i}`);
          expect(whatsapp.text.endsWith(STOP), `${key}.${i}.whatsapp: ${whatsapp.text}`).toBe(true);
          checked++;
        }
      }
    // abandoned cart (2 SMS, 2 WhatsApp), win-back (3 SMS), birthday, balance, both vouchers and NPS (SMS and WhatsApp each)
    expect(checked).toBe(17);
  });

  it('word a coupon by its type in Polish, whatever type the merchant switches the shipped offer to', async () => {
    const winBack = PRESETS['win-back'];
    const shipped = winBack.steps[0]!;
    const offers: Array<[Offer, RegExp]> = [
      [{ type: 'percent', amount: 10 }, /\b10% rabatu\b/],
      [{ type: 'fixed_cart', amount: 5 }, /€5\.00 rabatu\b/],
      [{ type: 'product', productId: 7 }, /produkt gratis/],
    ];
    for (const [offer, says] of offers) {
      const step: FlowStep = { ...shipped, coupon: { ...shipped.coupon!, offer } };
      for (const channel of ['email', 'sms'] as const) {
        const { text } = await rendered(winBack, step, channel, `offer:${offer.type}`);
        expect(text, `${offer.type} ${channel}`).toMatch(says);
        if (offer.type === 'product') expect(text, `${offer.type} ${channel}`).not.toMatch(/rabatu/);
      }
    }
  });

  it('count products and points with the Polish noun for the number', async () => {
    const cart = PRESETS['abandoned-cart'];
    const saved = await rendered(cart, cart.steps[1]!, 'email', 'count:cart');
    // The sample cart holds 2 × Blue mug and 1 × Teapot.
    expect(saved.text).toContain('(3 produkty)');
    const balance = PRESETS['balance-reminder'];
    const sms = await rendered(balance, balance.steps[0]!, 'sms', 'count:balance');
    expect(sms.text).toContain('masz 1,250 punktów i');
  });

  it('parse as flows and pass the editor’s template checks in Polish', () => {
    for (const [key, flow] of Object.entries(PRESETS)) {
      expect(checkedFlowDefinitionSchema.safeParse(flow).success, key).toBe(true);
      expect(flowTemplateErrors({ ...flow, steps: flow.steps.map(inPolish) }), key).toEqual([]);
    }
  });
});
