import { describe, expect, it } from 'vitest';
import { channelName, MESSAGE_CHANNELS } from './message-channel.ts';

describe('a channel by name', () => {
  it('says "Email", "SMS", "WhatsApp", "email" within a sentence, and leaves one it does not know as given', () => {
    expect(MESSAGE_CHANNELS.map((c) => channelName(c))).toEqual(['Email', 'SMS', 'WhatsApp']);
    expect(MESSAGE_CHANNELS.map((c) => channelName(c, true))).toEqual(['email', 'SMS', 'WhatsApp']);
    expect(channelName('push')).toBe('push');
    expect(channelName('toString')).toBe('toString');
  });
});
