import { Router } from 'express';
import type { Pool } from 'mysql2/promise';
import { AppError } from '../../errors.ts';
import { hasAdminToken } from '../../http/admin-auth.ts';
import { latestMessages, messageById } from '../../messages/outbox-store.ts';

/**
 * /dev/outbox: what the development channel "sent". Mount only in development; the pages show
 * every shop's messages with live payment and unsubscribe links, so they are `open` only when
 * the developer asked (COMEBACK_DEV_OUTBOX=on) on a sidecar nobody else can reach (bound to
 * loopback); otherwise they need the admin token as a bearer. Everything is escaped; the message
 * HTML renders in a sandboxed iframe (no scripts, no same origin) from an escaped srcdoc.
 */
export function devOutboxRoutes(deps: { pool: Pool; open: boolean; adminToken: string | undefined }): Router {
  const { pool } = deps;
  const router = Router();
  if (!deps.open) {
    router.use('/dev/outbox', (req, _res, next) => {
      if (!hasAdminToken(req, deps.adminToken))
        throw AppError.unauthorized('the dev outbox needs the admin token, unless COMEBACK_DEV_OUTBOX=on on a sidecar bound to loopback');
      next();
    });
  }

  router.get('/dev/outbox', async (_req, res) => {
    const rows = await latestMessages(pool, 100);
    const body = rows
      .map(
        (r) => `<tr><td>${esc(time(r.sentAt ?? r.createdAt))}</td><td>${esc(r.to)}</td>
<td><a href="/dev/outbox/${r.id}">${esc(r.subject || '(no subject)')}</a></td>
<td>${esc(r.status)}${r.lastError ? ` <small title="${esc(r.lastError)}">(${esc(r.attempts)} attempts)</small>` : ''}</td></tr>`,
      )
      .join('\n');
    send(
      res,
      'Dev outbox',
      `<h1>Dev outbox</h1><p>The latest ${rows.length} messages. Nothing here left this machine.</p>
<table><thead><tr><th>time</th><th>to</th><th>subject</th><th>status</th></tr></thead><tbody>
${body || '<tr><td colspan="4">No messages yet.</td></tr>'}
</tbody></table>`,
    );
  });

  router.get('/dev/outbox/:id', async (req, res) => {
    const id = /^\d{1,18}$/.test(req.params.id) ? req.params.id : null;
    const row = id ? await messageById(pool, id) : null;
    if (!row) {
      res.status(404);
      send(res, 'Not found', `<h1>No message ${esc(req.params.id)}</h1><p><a href="/dev/outbox">Back to the outbox</a></p>`);
      return;
    }
    const headers: Array<[string, unknown]> = [['To', row.to], ['Subject', row.subject], ...Object.entries(row.headers)];
    // Headers are stored as text; anything else there (an object) is shown as its JSON.
    const headerRows = headers
      .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(typeof v === 'string' || v === null ? v : JSON.stringify(v))}</td></tr>`)
      .join('\n');
    send(
      res,
      String(row.subject ?? ''),
      `<p><a href="/dev/outbox">← outbox</a></p>
<h1>${esc(row.subject || '(no subject)')}</h1>
<p>${esc(row.status)} · created ${esc(time(row.createdAt))}${row.sentAt ? ` · sent ${esc(time(row.sentAt))}` : ''}${
        row.providerMessageId ? ` · ${esc(row.providerMessageId)}` : ''
      }${row.lastError ? ` · last error: ${esc(row.lastError)}` : ''}</p>
<h2>Headers</h2><table>${headerRows}</table>
<h2>HTML</h2><iframe sandbox="" referrerpolicy="no-referrer" title="message html" srcdoc="${esc(row.html ?? '')}"></iframe>
<h2>Text</h2><pre>${esc(row.text ?? '')}</pre>`,
    );
  });

  return router;
}

function send(res: import('express').Response, title: string, body: string): void {
  res
    .set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; frame-ancestors 'none'")
    .set('X-Content-Type-Options', 'nosniff')
    .type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse}
td,th{border-bottom:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}
iframe{width:100%;height:40em;border:1px solid #ccc}pre{white-space:pre-wrap;background:#f6f6f6;padding:1em}</style>
</head><body>${body}</body></html>`);
}

function time(value: Date | string | null): string {
  return value instanceof Date ? value.toISOString().replace('T', ' ').slice(0, 19) + 'Z' : (value ?? '');
}

/** Text and attribute values alike. */
export function esc(value: string | number | null | undefined): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** An address only this machine reaches: 127.0.0.0/8, ::1 or localhost. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
