import { z } from 'zod';
import type { Queryable } from '../db/queryable.ts';
import { loadFlow } from '../flows/definition/flow-store.ts';
import { UNPAID_FLOW } from '../flows/definition/recovery-settings.ts';
import { hasSentTest } from '../messages/outbox-store.ts';
import { settingsDocument, upsertSettingsDocument } from '../woo/settings-store.ts';
import { shopConnectionRow } from '../woo/shop-store.ts';

/**
 * The first-run checklist: what a merchant does before the first reminder reaches a customer —
 * connect the shop, check who the mail comes from, read the unpaid-order reminder, send
 * themselves a test, switch it on. Each item is read from what exists (a REST key and webhooks,
 * a sent test, the flow switched on); only the two that are a judgement ("the sender is right",
 * "I have read the reminder") are ticked by hand and kept in the shop's `first-run` settings
 * document.
 */
export const FIRST_RUN_ITEMS = ['connect', 'sender', 'reminder', 'test', 'switch-on'] as const;
export type FirstRunItem = (typeof FIRST_RUN_ITEMS)[number];

/** The items a merchant ticks by hand; the others follow from what the shop has. */
export const TICKED_ITEMS = ['sender', 'reminder'] as const satisfies readonly FirstRunItem[];
export type TickedItem = (typeof TICKED_ITEMS)[number];

export type FirstRunChecklist = {
  /** Every item is done: the admin stops showing the checklist. */
  done: boolean;
  items: Array<{ key: FirstRunItem; done: boolean }>;
};

const SETTINGS_KEY = 'first-run';
const ticksSchema = z.object({ sender: z.boolean().default(false), reminder: z.boolean().default(false) }).catch({
  sender: false,
  reminder: false,
});

async function loadTicks(db: Queryable, shopId: number): Promise<Record<TickedItem, boolean>> {
  return ticksSchema.parse((await settingsDocument(db, shopId, SETTINGS_KEY))?.value ?? {});
}

export async function tickFirstRunItem(db: Queryable, shopId: number, item: TickedItem, done: boolean): Promise<void> {
  const ticks = await loadTicks(db, shopId);
  await upsertSettingsDocument(db, shopId, SETTINGS_KEY, JSON.stringify({ ...ticks, [item]: done }));
}

export async function firstRunChecklist(db: Queryable, shopId: number): Promise<FirstRunChecklist> {
  const [shop, ticks, flow, testSent] = await Promise.all([
    shopConnectionRow(db, shopId),
    loadTicks(db, shopId),
    loadFlow(db, shopId, UNPAID_FLOW),
    hasSentTest(db, shopId),
  ]);
  // Connected: WooCommerce answers with the key and its order webhooks deliver (the stand-in demo shop is connected by design).
  const webhooksActive = !!shop?.webhooks?.length && shop.webhooks.every((w) => w.status === 'active');
  const connected = !!shop && (shop.demo || (shop.hasKey && webhooksActive && !shop.connectionError));
  const state: Record<FirstRunItem, boolean> = {
    connect: connected,
    sender: ticks.sender,
    reminder: ticks.reminder,
    test: testSent,
    'switch-on': !!flow?.enabled,
  };
  const items = FIRST_RUN_ITEMS.map((key) => ({ key, done: state[key] }));
  return { done: items.every((i) => i.done), items };
}
