import { createDevOutboxProvider, type DevOutboxSettings } from './dev-outbox/dev-outbox-provider.ts';
import type { ChannelProvider, ProviderDeps, ProviderId } from './provider.ts';
import { createSmtpProvider, type SmtpConfig } from './smtp/smtp-provider.ts';
import { createTwilioProvider, type TwilioProviderSettings } from './twilio/twilio-provider.ts';
import { createWhatsAppCloudProvider, type WhatsAppProviderSettings } from './whatsapp/whatsapp-provider.ts';

/** Any factory: `never` accepts each provider's own settings type. */
type ProviderFactory = (settings: never, deps: ProviderDeps) => ChannelProvider;

/** Every provider by id; `satisfies` makes a new ProviderId fail to compile until it has a factory. */
export const providerFactories = {
  smtp: (settings: SmtpConfig) => createSmtpProvider(settings),
  'dev-outbox': (settings: DevOutboxSettings, deps: ProviderDeps) => createDevOutboxProvider(settings, deps),
  twilio: (settings: TwilioProviderSettings, deps: ProviderDeps) => createTwilioProvider(settings, deps),
  'whatsapp-cloud': (settings: WhatsAppProviderSettings, deps: ProviderDeps) => createWhatsAppCloudProvider(settings, deps),
} satisfies Record<ProviderId, ProviderFactory>;

export type ProviderSettings<Id extends ProviderId> = Parameters<(typeof providerFactories)[Id]>[0];

/** A provider and its settings, as the config names them (provider-config.ts). */
export type ProviderChoice = { [Id in ProviderId]: { provider: Id; settings: ProviderSettings<Id> } }[ProviderId];

/** The provider a choice names, built. */
export function createProvider(choice: ProviderChoice, deps: ProviderDeps): ChannelProvider {
  // TypeScript cannot follow that `settings` belongs to `provider` across the union; the
  // ProviderChoice type above guarantees it.
  const factory = providerFactories[choice.provider] as (settings: ProviderChoice['settings'], deps: ProviderDeps) => ChannelProvider;
  return factory(choice.settings, deps);
}
