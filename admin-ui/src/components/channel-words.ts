import { __ } from '@wordpress/i18n';
import type { MessageChannel } from '@comeback/sidecar/api-contracts';

/** Each channel as every screen names it: "Email", "SMS", "WhatsApp". */
export const CHANNEL_LABELS: Record<MessageChannel, string> = {
  sms: __('SMS', 'comeback'),
  whatsapp: __('WhatsApp', 'comeback'),
  email: __('Email', 'comeback'),
};

/** A channel an answer names ("email") in the screens' words; one we do not know yet capitalised, never shown raw. */
export function channelLabel(channel: string): string {
  return CHANNEL_LABELS[channel as MessageChannel] ?? channel.charAt(0).toUpperCase() + channel.slice(1);
}
