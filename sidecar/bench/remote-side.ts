import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { SMTPServer } from 'smtp-server';
import { startStandInShop } from '../src/demo/stand-in-shop.ts';

// The remote side of the reminders benchmark, in its own process: the stand-in shop answering
// the REST re-check (OAuth 1.0a checked on every request) and an SMTP sink that accepts and
// counts. Placed two days ago, the orders are outside the first sweep and the enrolment window:
// the benchmark enrolls them itself.
const count = Number(process.env.BENCH_ORDERS);
const [template] = JSON.parse(readFileSync(new URL('../src/demo/data/orders.json', import.meta.url), 'utf8')) as Array<Record<string, unknown>>;
const placed = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 19);
const orders = new Map<number, Record<string, unknown>>();
for (let i = 0; i < count; i++) {
  const id = 500_000 + i;
  const billing = { ...(template!.billing as Record<string, unknown>), email: `customer${i}@example.test`, first_name: `Ada${i}` };
  orders.set(id, { ...template, id, number: String(id), billing, date_created_gmt: placed, date_modified_gmt: placed });
}
const shop = await startStandInShop({ orders });
let received = 0;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, _session, callback) {
    stream.on('data', () => undefined);
    stream.on('end', () => {
      received++;
      callback();
    });
  },
});
await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
process.send!({ shop: { url: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret, orders: [...orders.values()] }, smtpPort: (smtp.server.address() as AddressInfo).port });
process.on('message', async (message) => {
  if (message === 'count') return process.send!({ received });
  await shop.close();
  smtp.close(() => process.exit(0));
});
