import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import {
  DEFAULT_LINK_GRACE_HOURS,
  delayMs,
  delaySchema,
  gatewaysSchema,
  linkGraceHoursSchema,
  rangedNumber,
  type FlowDefinition,
} from './flow-definition.ts';
import { gatewayIdSchema, localeSchema, MAX_TRANSLATIONS, type Translations } from '../../messages/message-templates.ts';
import { loadFlow, saveFlow } from './flow-store.ts';
import { delayErrors, MAX_DELAY } from './flow-texts.ts';
import { DEFAULT_GATEWAYS, PRESETS } from './presets.ts';

/**
 * The merchant's "recover unpaid orders" form (the plugin's settings page and D's recovery
 * screen): on/off, one or more email reminders (each a delay after the order was placed, a
 * subject, the online body, a generic offline body and one per offline gateway), which gateways are online or offline, and how long after the last
 * reminder its link must still work (the order is kept from the auto-cancel until then). It is a view of the
 * unpaid-order flow, not a second engine: reading maps the flow's email steps to reminders,
 * saving writes a new version of the flow, keeping whatever else the flow editor set (SMS and
 * WhatsApp texts of a step, send window, hold-out).
 */
export const UNPAID_FLOW = 'unpaid-order';

/** A reminder goes at least one minute (hour, day) after the order: not at once, when the customer may still be paying. */
export const REMINDER_MIN_DELAY = 1;

const reminderTexts = {
  subject: z.string().min(1).max(300),
  onlineBody: z.string().min(1).max(20_000),
  /** For orders paid offline by a gateway with no text of its own (cash on delivery, others). */
  offlineBody: z.string().min(1).max(20_000),
  /**
   * A gateway's own offline text by its id (`bacs`: bank details, `cheque`: who to make it payable
   * to). Left out, the reminder keeps the texts it has: a form that does not show them never drops them.
   */
  offlineBodies: z.record(gatewayIdSchema, z.string().min(1).max(20_000)).optional(),
};

/** A reminder's texts in one more language: the same fields as its default texts (its step's email translation). */
export const reminderTranslationSchema = z.object(reminderTexts);
export type ReminderTranslation = z.infer<typeof reminderTranslationSchema>;

export const reminderSchema = z.object({
  delay: delaySchema.extend({ value: rangedNumber({ min: REMINDER_MIN_DELAY, max: MAX_DELAY }) }),
  ...reminderTexts,
  /**
   * The texts in other languages, by WordPress locale (a customer in a language without one gets
   * the default texts). Left out, the reminder keeps the translations it has; given, it is the
   * whole list (a language removed in the form loses its email text, its SMS and WhatsApp stay).
   */
  translations: z
    .record(localeSchema, reminderTranslationSchema)
    .refine((t) => Object.keys(t).length <= MAX_TRANSLATIONS, `at most ${MAX_TRANSLATIONS} languages`)
    .optional(),
});

export const recoverySettingsSchema = z
  .object({
    enabled: z.boolean(),
    reminders: z.array(reminderSchema).min(1).max(5),
    gateways: gatewaysSchema,
    /** Hours after the last reminder during which the order is kept from WooCommerce's auto-cancel (its link still works). */
    linkGraceHours: linkGraceHoursSchema.default(DEFAULT_LINK_GRACE_HOURS),
  })
  // The flow editor's rule for its steps: the reminders stay in the merchant's order, refused when out of it.
  .superRefine((settings, ctx) => {
    const problems = delayErrors(
      settings.reminders.map((r) => r.delay),
      { noun: 'reminder', min: REMINDER_MIN_DELAY, field: (i) => `reminders.${i}.delay` },
    );
    for (const p of problems) ctx.addIssue({ code: 'custom', path: p.field.split('.'), message: p.message });
  });

export type RecoverySettings = z.infer<typeof recoverySettingsSchema>;
export type Reminder = z.infer<typeof reminderSchema>;

export { DEFAULT_GATEWAYS };

export const DEFAULT_RECOVERY: RecoverySettings = toRecoverySettings(PRESETS[UNPAID_FLOW], false);

function toRecoverySettings(flow: FlowDefinition, enabled: boolean): RecoverySettings {
  const gateways = flow.trigger.event === 'order.unpaid' ? flow.trigger.gateways : DEFAULT_GATEWAYS;
  const linkGraceHours = (flow.trigger.event === 'order.unpaid' ? flow.trigger.linkGraceHours : undefined) ?? DEFAULT_LINK_GRACE_HOURS;
  const reminders = flow.steps
    .filter((s) => s.email)
    .map((s) => ({
      delay: s.delay,
      subject: s.email!.subject,
      onlineBody: s.email!.body,
      offlineBody: s.email!.offlineBody ?? s.email!.body,
      offlineBodies: s.email!.offlineBodies ?? {},
      translations: reminderTranslations(s.translations),
    }));
  return { enabled, reminders, gateways, linkGraceHours };
}

export async function loadRecoverySettings(pool: Pool, shopId: number): Promise<RecoverySettings> {
  const flow = (await loadFlow(pool, shopId, UNPAID_FLOW))!;
  return toRecoverySettings(flow.definition, flow.enabled);
}

export async function saveRecoverySettings(pool: Pool, shopId: number, settings: z.input<typeof recoverySettingsSchema>): Promise<void> {
  const valid = recoverySettingsSchema.parse(settings);
  const current = (await loadFlow(pool, shopId, UNPAID_FLOW))!.definition;
  const definition: FlowDefinition = {
    ...current,
    trigger: { event: 'order.unpaid', gateways: valid.gateways, linkGraceHours: valid.linkGraceHours },
    steps: mergeReminders(current.steps, valid.reminders),
  };
  await saveFlow(pool, shopId, UNPAID_FLOW, definition, valid.enabled);
}

/**
 * The form's reminders are the flow's email steps, in order: reminder i replaces the i-th step
 * that has an email (keeping its other channels), extra reminders become email steps, and a
 * reminder removed in the form removes its step. A reminder sent without per-gateway texts keeps
 * its step's (an older plugin's form knows only one offline text). Steps without email (an SMS-only step made in
 * the flow editor) are not the form's to touch and stay, placed among the reminders by their time
 * (a stable sort: the reminders, already in order by the schema's rule, keep the merchant's order).
 */
function mergeReminders(steps: FlowDefinition['steps'], reminders: Reminder[]): FlowDefinition['steps'] {
  const withEmail = steps.filter((s) => s.email);
  const others = steps.filter((s) => !s.email);
  const mapped = reminders.map((reminder, i): FlowDefinition['steps'][number] => {
    const step = withEmail[i];
    const offlineBodies = reminder.offlineBodies ?? step?.email?.offlineBodies ?? {};
    const email = { subject: reminder.subject, body: reminder.onlineBody, offlineBody: reminder.offlineBody, offlineBodies };
    const translations = mergeTranslations(step?.translations, reminder.translations);
    const texts = translations ? { email, translations } : { email };
    return step
      ? { ...withoutTranslations(step), delay: reminder.delay, ...texts }
      : { delay: reminder.delay, channels: ['email'], ...texts, conditions: [] };
  });
  return [...mapped, ...others].sort((a, b) => delayMs(a.delay) - delayMs(b.delay));
}

/** A step's email translations as the form shows them (its SMS and WhatsApp translations are the flow editor's). */
function reminderTranslations(translations: Translations | undefined): Record<string, ReminderTranslation> {
  const out: Record<string, ReminderTranslation> = {};
  for (const [locale, t] of Object.entries(translations ?? {})) {
    if (!t.email) continue;
    const { subject, body, offlineBody, offlineBodies } = t.email;
    out[locale] = { subject, onlineBody: body, offlineBody: offlineBody ?? body, offlineBodies: offlineBodies ?? {} };
  }
  return out;
}

/**
 * The step's translations after the form's save: each language's email from the form (a language
 * sent without per-gateway texts keeps its step's), a language the form no longer has loses its
 * email, and the SMS and WhatsApp translations stay. A form that sent none keeps the step's as they are.
 */
function mergeTranslations(
  current: Translations | undefined,
  fromForm: Record<string, ReminderTranslation> | undefined,
): Translations | undefined {
  if (fromForm === undefined) return current;
  const merged: Translations = {};
  for (const [locale, t] of Object.entries(current ?? {})) {
    const { email, ...others } = t;
    if (others.sms || others.whatsapp) merged[locale] = others;
  }
  for (const [locale, t] of Object.entries(fromForm)) {
    const offlineBodies = t.offlineBodies ?? current?.[locale]?.email?.offlineBodies ?? {};
    const email = { subject: t.subject, body: t.onlineBody, offlineBody: t.offlineBody, offlineBodies };
    merged[locale] = { ...merged[locale], email };
  }
  return Object.keys(merged).length > 0 ? merged : undefined;
}

function withoutTranslations(step: FlowDefinition['steps'][number]): FlowDefinition['steps'][number] {
  const { translations, ...rest } = step;
  return rest;
}
