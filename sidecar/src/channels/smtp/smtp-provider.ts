import { createHash } from 'node:crypto';
import type tls from 'node:tls';
import nodemailer from 'nodemailer';
import { singleEmailAddress } from '../../customers/email-address.ts';
import { BouncedError, ChannelError, type ChannelProvider } from '../provider.ts';
import { addressFailed, enhancedStatusOf } from './bounce-codes.ts';
import { noDelaySocket } from './no-delay-socket.ts';

export type SmtpConfig = {
  host: string;
  port: number;
  /** true for implicit TLS (465); false upgrades with STARTTLS when the server offers it. */
  secure: boolean;
  user?: string;
  pass?: string;
  /** Domain for the Message-ID; the envelope sender's (else the From address's) domain when absent. */
  messageIdDomain?: string;
  /**
   * The global sender (COMEBACK_MAIL_FROM): the SMTP MAIL FROM (where bounces go, what SPF checks)
   * and, when a message comes From a shop's own address, its Sender header. The relay must be
   * authorised for the shop's domain (SPF include, DKIM signing) or DMARC fails (see the README).
   */
  envelopeFrom?: string;
  /** Connection and socket timeouts (ms); nodemailer's defaults are minutes. */
  timeoutMs?: number;
  maxConnections?: number;
  /** TLS options, e.g. `ca` for a relay with a private certificate authority. */
  tls?: tls.ConnectionOptions;
};

/** Message-ID derived from the idempotency key, so a duplicate after a crash is recognisable. */
export function messageIdFor(idempotencyKey: string, domain: string): string {
  const hash = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32);
  return `<${hash}@${domain}>`;
}

/**
 * Email through an SMTP relay, over a pooled nodemailer transport. The relay's answer is all SMTP
 * reports: bounces come back later as mail, so this provider has no webhooks. Its pace is the
 * pool's connection count.
 */
export function createSmtpProvider(config: SmtpConfig): ChannelProvider {
  const timeout = config.timeoutMs ?? 30_000;
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: config.maxConnections ?? 10,
    host: config.host,
    port: config.port,
    secure: config.secure,
    auth: config.user ? { user: config.user, pass: config.pass ?? '' } : undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    ...(config.tls ? { tls: config.tls } : {}),
    getSocket: noDelaySocket(timeout),
  } as nodemailer.TransportOptions);

  return {
    id: 'smtp',
    repeatsSafely: true,
    channel: 'email',
    async send({ message }) {
      // nodemailer splits "a@x.com, b@y.com" into two recipients: only a single address is sent to.
      if (singleEmailAddress(message.to) === null)
        throw ChannelError.permanent('the recipient is not exactly one email address', 'bad_recipient');
      const envelopeFrom = config.envelopeFrom ? senderAddress(config.envelopeFrom) : undefined;
      const messageId = messageIdFor(message.idempotencyKey, config.messageIdDomain ?? domainOf(envelopeFrom ?? message.from));
      const fromShop = envelopeFrom !== undefined && senderAddress(message.from).toLowerCase() !== envelopeFrom.toLowerCase();
      try {
        await transport.sendMail({
          from: message.from,
          // nodemailer writes `sender` as the Sender header; `envelope` sets MAIL FROM / RCPT TO.
          ...(fromShop ? { sender: config.envelopeFrom } : {}),
          ...(envelopeFrom ? { envelope: { from: envelopeFrom, to: message.to } } : {}),
          to: message.to,
          replyTo: message.replyTo,
          subject: message.subject,
          html: message.html,
          text: message.text,
          messageId,
          headers: preparedHeaders(message.headers),
          // Native base64 rather than nodemailer's JavaScript quoted-printable encoder, which
          // with its per-text encoding scan was the largest part of a send's CPU in a profile.
          textEncoding: 'base64',
        });
      } catch (error) {
        throw classifySmtpError(error);
      }
      return { providerMessageId: messageId };
    },
    async close() {
      transport.close();
    },
  };
}

/**
 * 5xx answers are permanent (recipient unknown, message refused), except authentication:
 * that is our configuration, and a fixed config should send the queued mail. A 5xx to RCPT TO or
 * to the message (DATA) is a bounce, with the server's reply. 4xx, network errors and timeouts are
 * retryable; a message nodemailer refuses to build is permanent.
 */
export function classifySmtpError(error: unknown): ChannelError {
  if (error instanceof ChannelError) return error;
  const e = error as { message?: string; code?: string; responseCode?: number; command?: string; response?: string };
  const message = `${e.command ? `${e.command}: ` : ''}${e.message ?? String(error)}`;
  const code = e.code;
  if (typeof e.responseCode === 'number') {
    if (e.responseCode >= 500 && (e.command === 'RCPT TO' || e.command === 'DATA')) {
      const reply = (e.response ?? message).trim();
      const onRecipient = e.command === 'RCPT TO';
      return new BouncedError(message, code ?? `smtp_${e.responseCode}`, reply, addressFailed(enhancedStatusOf(reply), onRecipient), error);
    }
    const permanent = e.responseCode >= 500 && code !== 'EAUTH';
    return new ChannelError(message, permanent, code ?? `smtp_${e.responseCode}`, { cause: error });
  }
  const permanent = code === 'EENVELOPE' || code === 'EMESSAGE';
  return new ChannelError(message, permanent, code, { cause: error });
}

type PreparedHeaders = Record<string, { prepared: true; value: string }>;

/** Headers passed as prepared, so nodemailer neither folds nor re-encodes them. */
function preparedHeaders(headers: Record<string, string>): PreparedHeaders {
  const out: PreparedHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!/^[!-9;-~]+$/.test(name) || /[\r\n]/.test(value) || /[^\x20-\x7e\t]/.test(value)) {
      throw ChannelError.permanent(`header ${JSON.stringify(name)} is not a single printable ASCII line`, 'bad_header');
    }
    out[name] = { prepared: true, value };
  }
  return out;
}

/** The bare address of a From value ("Name <a@b>" or "a@b"). */
function senderAddress(from: string): string {
  return (/<([^<>]+)>\s*$/.exec(from)?.[1] ?? from).trim();
}

function domainOf(address: string): string {
  const match = /@([^\s<>@]+?)>?\s*$/.exec(address);
  if (!match?.[1]) throw ChannelError.permanent(`from address has no domain: ${address}`, 'bad_from');
  return match[1];
}
