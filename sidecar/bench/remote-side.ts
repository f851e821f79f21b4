import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { SMTPServer } from 'smtp-server';
import { startStandInShop } from '../src/demo/stand-in-shop.ts';
import { startFakeTwilio } from '../../test/fakes/fake-twilio.ts';
import { startFakeWhatsApp } from '../../test/fakes/fake-whatsapp.ts';
import { BENCH_TWILIO, BENCH_WHATSAPP } from './bench-providers.ts';

// The remote side of the reminders benchmark, in its own process: the stand-in shop answering
// the REST re-check (OAuth 1.0a checked on every request) and an SMTP sink that accepts and
// counts. Placed two days ago, the orders are outside the first sweep and the enrolment window:
// the benchmark enrolls them itself.
const count = Number(process.env.BENCH_ORDERS);

const [template] = JSON.parse(readFileSync(new URL('../src/demo/data/orders.json', import.meta.url), 'utf8')) as Array<
  Record<string, unknown>
>;
const placed = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 19);
const orders = new Map<number, Record<string, unknown>>();
for (let i = 0; i < count; i++) {
  const id = 500_000 + i;
  // Phones for the mixed-channel run: Polish mobiles, one per customer.
  const billing = {
    ...(template!.billing as Record<string, unknown>),
    email: `customer${i}@example.test`,
    first_name: `Ada${i}`,
    phone: `+48 6${String(100_000_000 + i).slice(1)}`,
    country: 'PL',
  };
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
// The SMS and WhatsApp providers at the HTTP boundary, as the tests have them (recorded formats).
const twilio = await startFakeTwilio({ accountSid: BENCH_TWILIO.accountSid, authToken: BENCH_TWILIO.authToken });
const whatsapp = await startFakeWhatsApp({ phoneNumberId: BENCH_WHATSAPP.phoneNumberId, accessToken: BENCH_WHATSAPP.accessToken });
process.send!({
  shop: { url: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret, orders: [...orders.values()] },
  smtpPort: (smtp.server.address() as AddressInfo).port,
  twilioUrl: twilio.url,
  whatsAppUrl: whatsapp.url,
});
// 'count' asks for the tallies; any other message means stop (a failure to close is shown and fails the process).
process.on('message', (message) => {
  if (message === 'count') {
    process.send!({ received, sms: twilio.requests.length, whatsapp: whatsapp.requests.length });
    return;
  }
  Promise.all([shop.close(), twilio.close(), whatsapp.close()]).then(
    () => smtp.close(() => process.exit(0)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
