import { sampleCart, sampleContext, sampleCustomer, sampleOrder } from '../../messages/sample-context.ts';
import { defaultEmailLook } from '../../messages/shop-email.ts';
import { renderStep, stepContext, type MessageSubject, type StepCoupon } from '../../messages/step-render.ts';
import type { ShopProfile } from '../../woo/shop-profile.ts';
import type { FlowDefinition, FlowStep } from './flow-definition.ts';
import { subjectTypeOf } from './flow-texts.ts';

/**
 * What a preset's texts are read against, as the editor's preview shows them: the sample shop as a
 * shop profile, its links, and the sample order, cart or customer a flow's trigger is about. The
 * preset copy tests (English and Polish) render every preset step through here.
 */
export const PRESET_NOW = new Date('2026-03-02T09:00:00Z');

const { shop, formats, timeZone } = sampleContext();
export const presetProfile: ShopProfile = {
  ...shop,
  timeZone,
  formats,
  sender: null,
  senderSource: null,
  look: defaultEmailLook,
  gateways: [],
};
export const presetLinks = {
  payment: 'https://shop.example/pay/1042?t=abc',
  cart: 'https://shop.example/?comeback=cart-sample',
  unsubscribe: 'https://shop.example/u/xyz',
  nps: 'https://shop.example/nps/xyz',
};

/** Every string a value holds (subjects, bodies, offline bodies, WhatsApp texts and parameters), with where it is. */
export function stringsOf(value: unknown, at = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringsOf(v, `${at}.${i}`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringsOf(v, at ? `${at}.${k}` : k));
  return [];
}

/** The sample a flow's messages are about: an order (paid online, for the unpaid-order flow), a cart or a customer. */
export function sampleSubjectFor(flow: FlowDefinition): MessageSubject {
  const type = subjectTypeOf(flow.trigger.event);
  if (type === 'cart') return { kind: 'cart', cart: sampleCart(PRESET_NOW) };
  if (type === 'order')
    return { kind: 'order', order: sampleOrder('stripe'), gateway: flow.trigger.event === 'order.unpaid' ? 'online' : null };
  return { kind: 'customer', ...sampleCustomer(PRESET_NOW, flow.trigger.event.startsWith('voucher.')) };
}

/** The step's coupon as a message carries it, valid for 14 days. */
export const sampleCouponOf = (step: FlowStep): StepCoupon | undefined =>
  step.coupon && { code: 'CB-PREVIEW00000', offer: step.coupon.offer, expiresAt: new Date(PRESET_NOW.getTime() + 14 * 86_400_000) };

/** One step's message on one channel for the flow's sample, rendered as it is sent (to a customer of that locale, when given). */
export function renderPresetStep(
  flow: FlowDefinition,
  step: FlowStep,
  channel: 'email' | 'sms' | 'whatsapp',
  cacheKey: string,
  locale?: string,
) {
  const subject = sampleSubjectFor(flow);
  return renderStep(
    cacheKey,
    step,
    channel,
    subject,
    stepContext(presetProfile, subject, presetLinks, sampleCouponOf(step)),
    presetProfile.look,
    locale,
  );
}
