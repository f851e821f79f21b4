import type { SmtpConfig } from './smtp-provider.ts';

/** nodemailer's settings from COMEBACK_SMTP_URL (smtp:// for STARTTLS on 587, smtps:// on 465). */
export function smtpConfigFromUrl(url: string): SmtpConfig {
  const u = new URL(url);
  const secure = u.protocol === 'smtps:';
  return {
    host: u.hostname,
    port: Number(u.port || (secure ? 465 : 587)),
    secure,
    ...(u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : {}),
  };
}
