import type { Response } from 'express';
import { escapeHtml } from '../messages/html-escape.ts';

/** A small page a customer can read (bad link, expired link, unsubscribe): escaped, never cached. */
export function customerPage(res: Response, status: number, title: string, text: string, trustedHtml = ''): void {
  res
    .status(status)
    .type('html')
    .set('Cache-Control', 'no-store')
    .send(
      `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem;color:#1e1e1e}h1{font-size:1.4rem}button{font:inherit;padding:.5rem 1rem}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>${trustedHtml}</body></html>`,
    );
}
