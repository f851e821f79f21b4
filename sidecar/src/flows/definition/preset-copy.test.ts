import { describe, expect, it } from 'vitest';
import { NEW_CAMPAIGN_EMAIL } from '../../campaigns/campaign-texts.ts';
import { countSms } from '../../messages/sms-segments.ts';
import type { Offer } from '../../offers/coupons.ts';
import { winBackOffer } from './customer-presets.ts';
import type { FlowStep } from './flow-definition.ts';
import { flowTemplateErrors } from './flow-texts.ts';
import { presetLinks as links, renderPresetStep, stringsOf as texts } from './preset-samples.ts';
import { PRESETS } from './presets.ts';

// Every preset text read as the shop's customer gets it: the words a native speaker would sign,
// the opt-out a marketing text message owes, and the filled SMS within two parts (what the
// editor's preview counts). preset-polish.test.ts holds the Polish texts to the same rules.

const STOP = 'Reply STOP to opt out.';

const messageTexts = (step: FlowStep) => texts({ email: step.email, sms: step.sms, whatsapp: step.whatsapp });
const presetTexts = (): Array<[string, string]> =>
  Object.entries(PRESETS).flatMap(([key, flow]) =>
    flow.steps.flatMap((step, i) => messageTexts(step).map(([at, t]) => [`${key}.${i}.${at}`, t] as [string, string])),
  );

const rendered = renderPresetStep;

describe('preset copy a native speaker would sign', () => {
  it('starts the sentence after a greeting line with a capital letter', () => {
    const all = [...presetTexts(), ['campaign.email.body', NEW_CAMPAIGN_EMAIL.body] as [string, string]];
    for (const [at, text] of all) {
      const lines = text.split('\n');
      lines.forEach((line, i) => {
        if (!/^(Hello|Hi|Dear)\b.*,$/.test(line.trim())) return;
        const next = lines.slice(i + 1).find((l) => l.trim() !== '');
        if (next) expect(next.trim()[0], `${at}: "${next}"`).not.toMatch(/[a-z]/);
      });
    }
  });

  it('says "payment reference", never "transfer title", and uses no placeholder or "…" in any default', () => {
    const all = [...presetTexts(), ...texts(NEW_CAMPAIGN_EMAIL, 'campaign.email')];
    for (const [at, text] of all) {
      expect(text, at).not.toMatch(/transfer title/i);
      expect(text, at).not.toMatch(/…|\.\.\.|lorem|todo|xxx|your text here/i);
    }
    expect(PRESETS['unpaid-order'].steps[0]!.email!.offlineBodies!.bacs).toContain('payment reference');
  });

  it('talks about stock as people do, and only in a step sent when an item really is low in stock', () => {
    for (const [key, flow] of Object.entries(PRESETS))
      flow.steps.forEach((step, i) => {
        const lowStock = step.conditions.some((c) => c.kind === 'low_stock');
        for (const [at, text] of messageTexts(step)) {
          expect(text, `${key}.${i}.${at}`).not.toMatch(/getting out of stock/i);
          if (!lowStock) expect(text, `${key}.${i}.${at}`).not.toMatch(/stock|sell out|sold out|running low/i);
        }
      });
    const lowStock = PRESETS['abandoned-cart'].steps.find((s) => s.conditions.some((c) => c.kind === 'low_stock'))!;
    expect(lowStock.email!.subject).toMatch(/may sell out|running low/i);
  });

  it('ends every cart and marketing SMS and WhatsApp text with the opt-out, within two SMS once filled with the sample', async () => {
    let checked = 0;
    for (const [key, flow] of Object.entries(PRESETS)) {
      if (flow.purpose === 'order') continue;
      for (const [i, step] of flow.steps.entries()) {
        if (step.sms) {
          expect(step.sms.body, `${key}.${i}.sms`).toMatch(/Reply STOP to opt out\.$/);
          const sms = await rendered(flow, step, 'sms', `copy:${key}:${i}`);
          expect(sms.text.endsWith(STOP), `${key}.${i}.sms: ${sms.text}`).toBe(true);
          expect(countSms(sms.text).segments, `${key}.${i}.sms: ${sms.text}`).toBeLessThanOrEqual(2);
          checked++;
        }
        if (step.whatsapp) {
          const whatsapp = await rendered(flow, step, 'whatsapp', `copy:${key}:${i}`);
          expect(whatsapp.text.endsWith(STOP), `${key}.${i}.whatsapp: ${whatsapp.text}`).toBe(true);
          checked++;
        }
      }
    }
    // abandoned cart (2 SMS, 2 WhatsApp), win-back (3 SMS), birthday, balance, both vouchers and NPS (SMS and WhatsApp each)
    expect(checked).toBe(17);
  });

  it('words a coupon by its type: "10% off", "€5.00 off", and a free product never "off"', async () => {
    const offers: Array<[Offer, RegExp]> = [
      [{ type: 'percent', amount: 10 }, /\b10% off\b/],
      [{ type: 'fixed_cart', amount: 5 }, /€5\.00 off\b/],
      [{ type: 'product', productId: 7 }, /a free product/],
    ];
    const winBack = PRESETS['win-back'];
    for (const [offer, says] of offers) {
      const step = winBackOffer(
        0,
        { offer, expiry: { mode: 'days', days: 14 } },
        'We miss you at [shop_name]',
        'We would love to see you again.',
      );
      expect(flowTemplateErrors({ ...winBack, steps: [step] }), offer.type).toEqual([]);
      for (const channel of ['email', 'sms'] as const) {
        const message = await rendered(winBack, step, channel, `copy:offer:${offer.type}`);
        expect(message.text, `${offer.type} ${channel}`).toMatch(says);
        if (offer.type === 'product') expect(message.text, `${offer.type} ${channel}`).not.toMatch(/\boff\b/);
      }
    }
    // The shipped offers are percentages: each says so.
    for (const [i, step] of winBack.steps.entries()) {
      const email = await rendered(winBack, step, 'email', `copy:win-back:${i}`);
      expect(email.text).toMatch(/\b\d+% off\b/);
    }
  });

  it('keeps its coupon words true when the merchant switches a shipped offer to another type without touching its texts', async () => {
    const winBack = PRESETS['win-back'];
    const shipped = winBack.steps[0]!;
    const cases: Array<[Offer, RegExp]> = [
      [{ type: 'product', productId: 7 }, /\(a free product\)|gives you a free product,/],
      [{ type: 'fixed_cart', amount: 5 }, /€5\.00 off\b/],
    ];
    for (const [offer, says] of cases) {
      const step: FlowStep = { ...shipped, coupon: { ...shipped.coupon!, offer } };
      for (const channel of ['email', 'sms'] as const) {
        const { text } = await rendered(winBack, step, channel, `copy:switched:${offer.type}`);
        expect(text, `${offer.type} ${channel}`).toMatch(says);
        expect(text, `${offer.type} ${channel}`).not.toMatch(/\d+% off|product off/);
      }
    }
  });

  it('leaves the unsubscribe link to the layout, which puts one under every email, so no email shows two', async () => {
    for (const [at, text] of [...presetTexts(), ...texts(NEW_CAMPAIGN_EMAIL, 'campaign.email')])
      expect(text, at).not.toContain('[unsubscribe_link]');
    const birthday = PRESETS.birthday;
    const email = await rendered(birthday, birthday.steps[0]!, 'email', 'copy:birthday');
    expect(email.text.split(links.unsubscribe)).toHaveLength(2);
  });

  it('keeps every preset valid under the editor’s rules', () => {
    for (const [key, flow] of Object.entries(PRESETS)) expect(flowTemplateErrors(flow), key).toEqual([]);
  });
});
