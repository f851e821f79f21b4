import { createPacer } from '../pacing.ts';
import { ChannelError, RetryLaterError, type ChannelProvider, type ProviderDeps } from '../provider.ts';
import { PAIR_GAP_MS, whatsAppSend, type WhatsAppTemplate } from '../whatsapp-channel.ts';
import { createWhatsAppClient, WhatsAppError, type WhatsAppConfig } from './client.ts';
import { whatsAppRoutes } from './whatsapp-routes.ts';

export type WhatsAppProviderSettings = WhatsAppConfig & {
  /** Checks X-Hub-Signature-256 on the webhooks. */
  appSecret: string;
  /** Answers Meta's subscription check. */
  verifyToken: string;
  /** Messages started per second by this sidecar at most (Meta allows 80 per business number by default). */
  perSecond: number;
};

/**
 * WhatsApp over Meta's Cloud API. Graph's refusals become the outbox's terms: its pair-rate answer
 * (131056) waits at least the pair gap, its other rate limits, own faults and an expired token
 * are retried with backoff; the rest fail the row for good with Meta's kind as the code
 * (`use_next_channel` lets the step's next channel carry it), a refused template named in the
 * reason. Meta has no idempotency key for sends: only the outbox's lease keeps a row from going
 * twice.
 */
export function createWhatsAppCloudProvider(settings: WhatsAppProviderSettings, deps: ProviderDeps): ChannelProvider {
  const client = createWhatsAppClient(settings);
  const pacer = createPacer(settings.perSecond);
  return {
    id: 'whatsapp-cloud',
    channel: 'whatsapp',
    send: whatsAppSend({
      pool: deps.pool,
      pace: pacer.pace,
      transport: {
        text: (to, body) => sent(client.sendText(to, body)),
        template: (to, template) => sent(client.sendTemplate(to, template), template),
      },
    }),
    routes: whatsAppRoutes({
      pool: deps.pool,
      appSecret: settings.appSecret,
      verifyToken: settings.verifyToken,
      logger: deps.logger,
      onUndeliverable: deps.onUndeliverable,
    }),
    async close() {
      pacer.stop();
    },
  };
}

/** The message id Meta gave, or Meta's refusal in the outbox's terms. */
async function sent(request: Promise<{ id: string }>, template?: WhatsAppTemplate): Promise<string> {
  try {
    return (await request).id;
  } catch (error) {
    if (!(error instanceof WhatsAppError)) throw error;
    if (error.code === 131056) throw new RetryLaterError(error.message, 'pair_rate', PAIR_GAP_MS, error);
    if (error.kind === 'transient') throw ChannelError.retryable(error.message, 'transient', error);
    const named = template ? `template "${template.name}" (${template.language}): ` : '';
    throw ChannelError.permanent(`${named}${error.message}`, error.kind, error);
  }
}
