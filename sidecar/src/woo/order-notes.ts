import type { Pool } from 'mysql2/promise';
import type { Logger } from '../logger.ts';
import { escapeHtml } from '../messages/html-escape.ts';
import { channelName } from '../messages/message-channel.ts';
import {
  clearUnneededNotes,
  markNoted,
  pendingClickNotes,
  pendingRecoveryNotes,
  pendingSendNotes,
  type NoteKind,
  type PendingNote,
} from './order-note-store.ts';
import type { WooClient } from './rest-client.ts';

/** Notes added to one shop at once: WooCommerce has no batch endpoint for notes. */
const PER_SHOP = 4;

/**
 * The note's text: flow, reminder, channel; never an address or the message's content. The
 * flow's name is the merchant's text, escaped (WooCommerce shows notes as HTML).
 */
export function noteText(note: Pick<PendingNote, 'kind' | 'step' | 'channel' | 'flowName'>): string {
  const reminder = `reminder ${(note.step ?? 0) + 1} of “${escapeHtml(note.flowName)}”`;
  const channel = escapeHtml(channelName(note.channel ?? '', true));
  if (note.kind === 'sent') return `Comeback: ${reminder} sent by ${channel}.`;
  if (note.kind === 'clicked') return `Comeback: the payment link in ${reminder} (${channel}) was clicked.`;
  return `Comeback: order recovered — paid after ${reminder} (${channel}), which is credited.`;
}

/**
 * Tells the merchant the story in the order screen, as private order notes: a reminder sent, its
 * payment link clicked (first click only), the order recovered. Nothing is written on the send
 * path: the notes are read from the rows sending, clicking and paying write anyway, each flagged
 * `noted` once its note is on the order. Sends go first, then clicks and recoveries of sends
 * already told, so the notes come in the order things happened. A shop that fails is left for the
 * next round (its rows stay unflagged); an order gone from the shop needs no note.
 */
export async function pushOrderNotes(
  pool: Pool,
  wooClient: (shopId: number) => Promise<WooClient>,
  logger: Logger,
  limit = 200,
): Promise<number> {
  await clearUnneededNotes(pool);
  let told = await push(pool, 'sent', await pendingSendNotes(pool, limit), wooClient, logger);
  const clicks = await pendingClickNotes(pool, limit);
  await markNoted(
    pool,
    'clicked',
    clicks.filter((c) => !c.first).map((c) => c.rowId),
  );
  told += await push(
    pool,
    'clicked',
    clicks.filter((c) => c.first),
    wooClient,
    logger,
  );
  told += await push(pool, 'recovered', await pendingRecoveryNotes(pool, limit), wooClient, logger);
  return told;
}

async function push(
  pool: Pool,
  kind: NoteKind,
  notes: PendingNote[],
  wooClient: (shopId: number) => Promise<WooClient>,
  logger: Logger,
): Promise<number> {
  const byShop = new Map<number, PendingNote[]>();
  for (const note of notes) byShop.set(note.shopId, [...(byShop.get(note.shopId) ?? []), note]);
  let told = 0;
  for (const [shopId, shopNotes] of byShop) {
    const done: number[] = [];
    try {
      const client = await wooClient(shopId);
      for (let i = 0; i < shopNotes.length; i += PER_SHOP) {
        const batch = shopNotes.slice(i, i + PER_SHOP);
        const results = await Promise.allSettled(batch.map((n) => client.addOrderNote(n.orderId, noteText(n))));
        results.forEach((r, j) => r.status === 'fulfilled' && done.push(batch[j]!.rowId));
        const failed = results.find((r) => r.status === 'rejected');
        if (failed) throw failed.reason;
      }
    } catch (error) {
      logger.warn({ err: error, shopId }, 'could not add order notes; the next round tries again');
    }
    await markNoted(pool, kind, done);
    told += done.length;
  }
  return told;
}
