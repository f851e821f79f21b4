import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pool, ResultSetHeader } from 'mysql2/promise';
import { newLinkRef } from '../../sidecar/src/links/link-token.ts';
import { npsLink } from '../../sidecar/src/loyalty/nps-page.ts';

export const NPS_SECRET = 'link-secret-for-nps-tests-0123456789abcdef';

export type SentSurvey = { outboxId: number; enrollmentId: number | null; ref: string; path: string };

/**
 * An NPS message as the flow engine leaves it: an enrollment and its outbox row carrying the
 * link ref, written with SQL; the path is the survey link's (npsLink, valid a week from `now`).
 */
export async function sentSurvey(
  pool: Pool,
  shopId: number,
  who: { customerKey: string; flow?: string | null },
  now = new Date(),
): Promise<SentSurvey> {
  let enrollmentId: number | null = null;
  if (who.flow !== null) {
    const [e] = await pool.query<ResultSetHeader>(
      "INSERT INTO enrollments (shop_id, flow, subject_type, subject_id, customer_key) VALUES (?, ?, 'customer', ?, ?)",
      [shopId, who.flow ?? 'nps-after-delivery', who.customerKey, who.customerKey],
    );
    enrollmentId = e.insertId;
  }
  const ref = newLinkRef();
  const [m] = await pool.query<ResultSetHeader>(
    "INSERT INTO outbox (idempotency_key, shop_id, enrollment_id, step, channel, recipient, customer_key, status, link_ref) VALUES (?, ?, ?, 0, 'email', ?, ?, 'sent', ?)",
    [`nps-${ref}`, shopId, enrollmentId, who.customerKey, who.customerKey, ref],
  );
  return { outboxId: m.insertId, enrollmentId, ref, path: new URL(npsLink('http://sidecar.test/', NPS_SECRET, ref, now, 7)).pathname };
}

export async function insertShop(pool: Pool, name: string): Promise<number> {
  const [r] = await pool.query<ResultSetHeader>('INSERT INTO shops (url, name, webhook_secret) VALUES (?, ?, ?)', [
    `https://${newLinkRef().toLowerCase()}.example.test`,
    name,
    'x',
  ]);
  return r.insertId;
}

/** The handler on a real port of 127.0.0.1, for a browser or a child process. */
export async function listening(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(handler).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
