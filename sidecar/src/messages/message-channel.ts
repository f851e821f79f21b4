/** The channels a message can go by; each has its providers (channels/registry.ts). */
export const MESSAGE_CHANNELS = ['email', 'sms', 'whatsapp'] as const;
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];

/** Each channel by name, as a heading or a screen says it: "Email", "SMS", "WhatsApp". */
export const CHANNEL_LABELS: Record<MessageChannel, string> = { email: 'Email', sms: 'SMS', whatsapp: 'WhatsApp' };

/** A channel by name; `inSentence`: within a sentence ("by email", "by SMS"). One we do not know stays as given. */
export function channelName(channel: string, inSentence = false): string {
  if (inSentence && channel === 'email') return 'email';
  return (Object.hasOwn(CHANNEL_LABELS, channel) ? CHANNEL_LABELS[channel as MessageChannel] : undefined) ?? channel;
}
