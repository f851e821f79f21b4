import type { MessageChannel } from '@comeback/sidecar/api-contracts';

/** Every channel a step can use, in the order the screens offer them. */
export const CHANNELS = ['sms', 'whatsapp', 'email'] as const satisfies readonly MessageChannel[];

// The sidecar's limits (its flow schema refuses more); the forms stop offering another one there.
export const MAX_STEPS = 10;
export const MAX_AUDIENCE_TAGS = 20;
export const MAX_CONDITIONS = 5;
export const MAX_PARAMETERS = 10;
