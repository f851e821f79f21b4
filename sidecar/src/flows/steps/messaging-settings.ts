import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { loadDocument } from '../../woo/shop-profile.ts';

/**
 * Rules across all flows of a shop. The frequency cap counts every message a customer was sent
 * (any flow, any channel) in the last `hours`; a marketing step that would go over it is skipped
 * (and logged as capped). Messages about the customer's own order are never capped, but count.
 */
export const messagingSettingsSchema = z.object({
  frequencyCap: z
    .object({
      messages: z.number().int().min(1).max(50),
      hours: z
        .number()
        .int()
        .min(1)
        .max(24 * 30),
    })
    .nullable(),
});
export type MessagingSettings = z.infer<typeof messagingSettingsSchema>;

export const DEFAULT_MESSAGING: MessagingSettings = { frequencyCap: { messages: 2, hours: 24 } };

export async function loadMessagingSettings(pool: Pool, shopId: number): Promise<MessagingSettings> {
  return (await loadDocument(pool, shopId, 'messaging', messagingSettingsSchema)) ?? DEFAULT_MESSAGING;
}
