import { createPacer } from '../pacing.ts';
import { ChannelError, type ChannelProvider, type ProviderDeps } from '../provider.ts';
import { smsSend } from '../sms-channel.ts';
import { createTwilioClient, TwilioError, type TwilioConfig } from './client.ts';
import { TWILIO_STATUS_PATH, twilioRoutes } from './twilio-routes.ts';

export type TwilioProviderSettings = TwilioConfig & {
  /** The sender's throughput: SMS started per second by this sidecar at most. */
  perSecond: number;
};

/**
 * SMS over Twilio's Messages API. Twilio's refusals become the outbox's terms: a STOP (21610) or
 * a number that takes no SMS fail the row for good (code `opted_out` / `invalid_number`, which
 * the runtime acts on); Twilio's own faults and throttling are retried with the outbox's backoff.
 * Each send asks for delivery statuses at our public URL, where the webhooks take them. Twilio
 * has no idempotency key for sends: only the outbox's lease keeps a row from going twice.
 */
export function createTwilioProvider(settings: TwilioProviderSettings, deps: ProviderDeps): ChannelProvider {
  const client = createTwilioClient(settings);
  const pacer = createPacer(settings.perSecond);
  const statusCallback = () => `${deps.publicUrl()}${TWILIO_STATUS_PATH}`;
  return {
    id: 'twilio',
    channel: 'sms',
    send: smsSend({
      pool: deps.pool,
      pace: pacer.pace,
      transport: async (message) => {
        try {
          return (await client.send({ to: message.to, body: message.body, statusCallback: statusCallback() })).sid;
        } catch (error) {
          if (error instanceof TwilioError) throw new ChannelError(error.message, error.permanent, error.kind, { cause: error });
          throw error;
        }
      },
    }),
    routes: twilioRoutes({
      pool: deps.pool,
      authToken: settings.authToken,
      publicUrl: deps.publicUrl,
      logger: deps.logger,
      onUndeliverable: deps.onUndeliverable,
    }),
    async close() {
      pacer.stop();
    },
  };
}
