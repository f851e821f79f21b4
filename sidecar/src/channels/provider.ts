import type { Router } from 'express';
import type { Pool } from 'mysql2/promise';
import type { Logger } from '../logger.ts';
import type { MessageChannel } from '../messages/message-channel.ts';
import type { StoredMessage } from '../messages/outbox-store.ts';

/**
 * The one contract between the outbox dispatcher and whatever carries a message out: SMTP, the
 * dev outbox, Twilio, WhatsApp Cloud. A provider sends one claimed outbox row and says what
 * happened; its webhooks (if it has any) report what happened later. The outbox queue
 * (messages/outbox.ts) writes rows knowing no provider; channels/ claims and sends them.
 */

/** Every provider this sidecar can send through; registry.ts has a factory for each. */
export type ProviderId = 'smtp' | 'dev-outbox' | 'twilio' | 'whatsapp-cloud';

/** A claimed outbox row, as a provider gets it: the stored message plus where it belongs. */
export type OutboxRow = {
  id: number;
  shopId: number;
  enrollmentId: number | null;
  step: number | null;
  channel: MessageChannel;
  /** Claims so far, this one included. */
  attempts: number;
  message: StoredMessage;
  /** What the channel needs besides the text: for WhatsApp, the approved template to use outside the 24-hour window. */
  payload: Record<string, unknown> | null;
  /** When an earlier claim handed it to a provider that cannot tell a repeat, its outcome never written (see ChannelProvider.repeatsSafely). */
  handedAt?: Date | null;
};

/**
 * What a send did: accepted by the provider (optionally replacing the row's payload, e.g. with how
 * a WhatsApp message went out), or not attempted now and back to 'pending' until `postponeUntil`
 * (a per-recipient rate): that claim does not count as an attempt.
 */
export type SendOutcome = { providerMessageId: string; payload?: Record<string, unknown> } | { postponeUntil: Date; reason: string };

/** A message that will not reach the customer on its channel: the flow may carry the step on another. */
export type UndeliverableRow = {
  outboxId: number;
  shopId: number;
  enrollmentId: number | null;
  step: number | null;
  channel: MessageChannel;
  reason: string;
};

export type OnUndeliverable = (row: UndeliverableRow) => Promise<void>;

/**
 * What a provider may use of the sidecar: the database (conversations, delivery statuses), the
 * log, the public URL its webhooks are reached on, and the flow's handler of messages that will
 * not arrive (which must not throw).
 */
export type ProviderDeps = { pool: Pool; logger: Logger; publicUrl: () => string; onUndeliverable: OnUndeliverable };

/** The one interface every provider implements. */
export interface ChannelProvider {
  readonly id: ProviderId;
  /** The channel whose rows this provider sends. */
  readonly channel: MessageChannel;
  /**
   * Sends one claimed row; throws ChannelError (permanent or retryable) when it did not go. The
   * outbox's lease keeps one row from being sent twice; a send repeated after a crash carries the
   * same idempotency key, which a provider uses where its protocol allows (see provider-spec.ts).
   */
  send(row: OutboxRow): Promise<SendOutcome>;
  /**
   * true: the same row sent twice is recognised as one message (SMTP's stable Message-ID, the dev
   * outbox's idempotency key), so a row whose send was cut off by a crash is simply sent again.
   * Otherwise a repeat is a second message: the row is marked handed before the send and, claimed
   * again with that mark, never sent again (dispatch.ts).
   */
  readonly repeatsSafely?: boolean;
  /** The provider's webhooks (delivery statuses, inbound messages), checked with its keys. */
  readonly routes?: Router;
  /** Stops its pacing and closes its connections. */
  close(): Promise<void>;
}

/**
 * A failed send. `permanent` means sending the same message again cannot succeed (recipient
 * rejected with 5xx, malformed message); otherwise the outbox retries it later.
 */
export class ChannelError extends Error {
  override name = 'ChannelError';
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly code?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  static permanent(message: string, code?: string, cause?: unknown): ChannelError {
    return new ChannelError(message, true, code, { cause });
  }
  static retryable(message: string, code?: string, cause?: unknown): ChannelError {
    return new ChannelError(message, false, code, { cause });
  }
}

/** A retryable failure the provider says must wait at least `waitMs` (WhatsApp's pair rate). */
export class RetryLaterError extends ChannelError {
  constructor(
    message: string,
    code: string,
    readonly waitMs: number,
    cause?: unknown,
  ) {
    super(message, false, code, { cause });
  }
}

/**
 * The recipient's side refused this message for good: an SMTP 5xx to RCPT TO or to the message
 * itself, or later a delivery status notification (RFC 3464) that says "failed". `reply` is the
 * server's words as it gave them; `addressFailed` says the address itself is bad (no such
 * mailbox, no such domain), as against a refusal of this message (its content, a policy).
 */
export class BouncedError extends ChannelError {
  constructor(
    message: string,
    code: string,
    readonly reply: string,
    readonly addressFailed: boolean,
    cause?: unknown,
  ) {
    super(message, true, code, { cause });
  }
}
