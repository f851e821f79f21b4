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
    'Don\'t want these reminders? [unsubscribe_link text="Unsubscribe here"]',
  ].join('\n'),
};

/**
 * Renders per second with a warm template cache (the steady state of a reminder run): compile
 * once, then for ~2 s fetch from the cache and render subject + HTML + text for varying recipients.
 */
export async function renderThroughput(seconds = 2): Promise<number> {
  // Every recipient a different order (date, total, items): more than any cache in the render
  // path holds, so only what one message repeats (its date and amounts in subject, HTML and
  // text) can be reused, as in a real run.
  const base = sampleContext();
  const contexts: RenderContext[] = Array.from({ length: 4_096 }, (_, i) =>
    sampleContext({
      customer: { firstName: `Anna${i}`, lastName: 'Schmidt', email: `a${i}@example.com` },
      order: {
        ...base.order,
        number: String(10_000 + i),
        dateCreated: new Date(Date.UTC(2026, 0, 1) + i * 61_000),
        total: (20 + i / 100).toFixed(2),
        items: base.order.items.map((item, k) => ({ ...item, total: (10 + k + i / 100).toFixed(2) })),
      },
    }),
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
