import { compileTemplate, render, sampleContext, type RenderContext } from '../src/messages/index.ts';

/** A realistic online-order reminder: greeting, items table, total, pay link, company footer. */
const TEMPLATE = {
  id: 'bench-reminder',
  version: 1,
  context: 'online' as const,
  subject: 'Your order #[order_number] at [shop_name] is waiting for payment',
  body: [
    'Hello [customer_first_name],',
    '',
    'You placed order #[order_number] on [order_date format="j F Y"] but the payment did not go through.',
    'You ordered:',
    '[order_items]',
    'The amount due is [order_total], to be paid by [payment_method].',
    '',
    '[payment_link text="Complete your payment"]',
    '',
    'Kind regards,',
    '[company_details]',
    '',
    "Don't want these reminders? [unsubscribe_link text=\"Unsubscribe here\"]",
  ].join('\n'),
};

/**
 * Renders per second with a warm template cache (the steady state of a reminder run): compile
 * once, then for ~2 s fetch from the cache and render subject + HTML + text for varying recipients.
 */
export async function renderThroughput(seconds = 2): Promise<number> {
  const contexts: RenderContext[] = Array.from({ length: 64 }, (_, i) =>
    sampleContext({ customer: { firstName: `Anna${i}`, lastName: 'Schmidt', email: `a${i}@example.com` } }),
  );
  const warm = await compileTemplate(TEMPLATE);
  for (let i = 0; i < 500; i++) render(warm, contexts[i % contexts.length]!);
  let n = 0;
  let sink = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  while (performance.now() < until) {
    for (let i = 0; i < 100; i++, n++) {
      const out = render(await compileTemplate(TEMPLATE), contexts[n % contexts.length]!);
      sink += out.html.length;
    }
  }
  if (sink === 0) throw new Error('renders produced nothing');
  return n / ((performance.now() - started) / 1000);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`renders/s (subject + html + text, warm cache): ${Math.round(await renderThroughput())}`);
}
