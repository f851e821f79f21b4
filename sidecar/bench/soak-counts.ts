import { messageIdFor } from '../src/channels/smtp/smtp-provider.ts';

/** One message the soak's SMTP sink accepted: its Message-ID, its recipient, when the sink answered 250. */
export type Received = { messageId: string; to: string; acceptedAt: number };

export type SoakFacts = {
  /** Every message the sink accepted, in order of acceptance. */
  received: Received[];
  /** The outbox rows of the run: a received Message-ID is mapped back to its enrollment step through its key. */
  outbox: Array<{ idempotencyKey: string; enrollmentId: number; step: number }>;
  /** Recipients whose reminder was due and not paid before it: each must receive it. */
  expected: Set<string>;
  /** Recipients who paid, and when their payment webhook was stored (its 200). */
  paidStoredAt: Map<string, number>;
  /** When each Message-ID was first seen recorded as sent in the outbox. */
  recordedAt: Map<string, number>;
  /** When each sidecar was killed. */
  kills: number[];
};

/**
 * What the kill -9 soak counts (sidecar/bench/soak.ts), from what the sink received and the outbox
 * holds: duplicates by Message-ID and by enrollment step, missing, paid reminded, the drain's end,
 * and the window a duplicate needs (acceptance → recorded as sent; for each duplicate, acceptance
 * of its first copy → the kill that followed it).
 */
export function soakCounts(facts: SoakFacts) {
  const { received } = facts;
  const domain = received[0]?.messageId.replace(/^<[^@]*@|>$/g, '') ?? 'example.test';
  const rowOfMessageId = new Map(facts.outbox.map((row) => [messageIdFor(row.idempotencyKey, domain), row]));
  const copies = new Map<string, Received[]>();
  for (const r of received) copies.set(r.messageId, [...(copies.get(r.messageId) ?? []), r]);
  const duplicates = [...copies.values()].filter((c) => c.length > 1);

  const stepsReceived = new Map<string, Set<string>>();
  let unknown = 0;
  for (const messageId of copies.keys()) {
    const row = rowOfMessageId.get(messageId);
    if (!row) {
      unknown++;
      continue;
    }
    const key = `${row.enrollmentId}:${row.step}`;
    stepsReceived.set(key, (stepsReceived.get(key) ?? new Set()).add(messageId));
  }
  const stepTwice = [...stepsReceived.values()].filter((ids) => ids.size > 1).length;

  const firstByRecipient = new Map<string, number>();
  const lastByRecipient = new Map<string, number>();
  for (const r of received) {
    if (!firstByRecipient.has(r.to)) firstByRecipient.set(r.to, r.acceptedAt);
    lastByRecipient.set(r.to, r.acceptedAt);
  }
  const missing = [...facts.expected].filter((e) => !firstByRecipient.has(e));
  const paidReminded = [...facts.paidStoredAt].filter(([email, storedAt]) => (lastByRecipient.get(email) ?? 0) > storedAt);
  const lastDueArrival = Math.max(0, ...[...facts.expected].map((e) => firstByRecipient.get(e) ?? 0));

  const windows: number[] = [];
  for (const [messageId, got] of copies) {
    const seen = facts.recordedAt.get(messageId);
    if (got.length === 1 && seen) windows.push(seen - got[0]!.acceptedAt);
  }
  windows.sort((a, b) => a - b);
  const duplicateWindows = duplicates.map((got) => {
    const killAfter = facts.kills.find((at) => at >= got[0]!.acceptedAt);
    return {
      acceptedToKillMs: killAfter !== undefined ? killAfter - got[0]!.acceptedAt : Number.NaN,
      betweenCopiesMs: got[1]!.acceptedAt - got[0]!.acceptedAt,
    };
  });
  return { copies, duplicates, stepTwice, unknown, missing, paidReminded, lastDueArrival, windows, duplicateWindows };
}
