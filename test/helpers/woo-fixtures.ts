import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The recorded WooCommerce 9.9.5 deliveries (test/fixtures/woocommerce, copied from a real shop; see its README). */
export const FIXTURES = fileURLToPath(new URL('../fixtures/woocommerce/', import.meta.url));
/** The secret the recorded webhooks were created with (fixtures README). */
export const FIXTURE_SECRET = 'sidecar-test-secret-ÄÖ&"<>';
export const FIXTURE_SHOP_URL = 'http://127.0.0.1:8080';

export type Delivery = { seq: number; label: string; headers: Record<string, string>; body: Buffer };

type IndexLine = { seq: number; label: string; kind?: string; topic: string | null };

/** Every webhook delivery (pings included), in the order WooCommerce sent them. */
export function deliveries(): Delivery[] {
  const lines = readFileSync(`${FIXTURES}index.jsonl`, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as IndexLine);
  return lines
    .filter((l) => (l.kind ?? 'webhook') === 'webhook')
    .map((l) => {
      const base = `${FIXTURES}${String(l.seq).padStart(3, '0')}-${l.label}`;
      const recorded = JSON.parse(readFileSync(`${base}.headers.json`, 'utf8')) as { headers: Record<string, string> };
      return { seq: l.seq, label: l.label, headers: recorded.headers, body: readFileSync(`${base}.body`) };
    });
}

/** The headers to replay: WooCommerce's own, minus the hop-by-hop ones supertest sets itself. */
export function replayHeaders(delivery: Delivery): Record<string, string> {
  const { host: _host, connection: _connection, 'content-length': _length, 'accept-encoding': _encoding, ...rest } = delivery.headers;
  return rest;
}

/**
 * Deliveries 001–010 come from an earlier recording, before the shop was reset, so their order
 * ids repeat in 011–159 (order 16 is a bacs order there and a tpayblik order here). Tests that
 * follow one shop's timeline replay only the scenario run.
 */
export function scenarioDeliveries(): Delivery[] {
  return deliveries().filter((d) => d.seq >= 11);
}
