import type { Config } from '../config.ts';
import type { ProviderChoice } from './registry.ts';
import { smtpConfigFromUrl } from './smtp/smtp-url.ts';

/** A provider the config asks for, and whether it sends its channel's rows or only takes its webhooks. */
export type PlannedProvider = ProviderChoice & { sends: boolean };

/**
 * The providers this config asks for. Without COMEBACK_SMTP_URL (development) email, SMS and
 * WhatsApp all go to the dev outbox, at the paces the real providers would keep: nothing leaves
 * the machine, and /dev/outbox shows them. Otherwise each channel goes to its configured provider,
 * and rows of a channel without one wait in the outbox. A provider whose keys are set takes its
 * webhooks even in development (they are checked with its keys).
 */
export function plannedProviders(config: Config): PlannedProvider[] {
  const development = !config.mail.smtpUrl;
  const { twilio } = config.sms;
  const { cloudApi } = config.whatsapp;
  const planned: PlannedProvider[] = [];
  if (config.mail.smtpUrl)
    planned.push({
      provider: 'smtp',
      settings: { ...smtpConfigFromUrl(config.mail.smtpUrl), envelopeFrom: config.mail.from },
      sends: true,
    });
  if (twilio) planned.push({ provider: 'twilio', settings: { ...twilio, perSecond: config.sms.perSecond }, sends: !development });
  if (cloudApi)
    planned.push({ provider: 'whatsapp-cloud', settings: { ...cloudApi, perSecond: config.whatsapp.perSecond }, sends: !development });
  if (development) {
    planned.push(
      { provider: 'dev-outbox', settings: { channel: 'email' }, sends: true },
      { provider: 'dev-outbox', settings: { channel: 'sms', perSecond: config.sms.perSecond }, sends: true },
      { provider: 'dev-outbox', settings: { channel: 'whatsapp', perSecond: config.whatsapp.perSecond }, sends: true },
    );
  }
  return planned;
}
