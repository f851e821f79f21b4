import { Router } from 'express';
import type { MessageChannel } from '../messages/message-channel.ts';
import type { ChannelSender } from './channel-runtime.ts';

/** GET /api/channels: per channel, who sends it and whether customers get it. */
export type ChannelSenders = Record<MessageChannel, ChannelSender | null>;

/**
 * What the merchant must know before trusting "sending": whether email really leaves (the dev
 * outbox keeps everything on this machine) and which of SMS and WhatsApp are set up at all.
 */
export function channelStatusRoutes(deps: { senders: ChannelSenders }): Router {
  const router = Router();
  router.get('/channels', (_req, res) => {
    res.json(deps.senders satisfies ChannelSenders);
  });
  return router;
}
