import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { unpaidOrdersFromAnHourAgo } from '../fakes/fake-woo-shop.ts';
import { startUi } from './ui-harness.ts';

const require = createRequire(import.meta.url);
/** axe-core's browser build, injected into the page as is. */
const AXE_SOURCE = (require('axe-core') as { source: string }).source;

type Violation = { id: string; impact: string | null; help: string; nodes: Array<{ target: string[]; failureSummary?: string }> };

/**
 * Every screen of the admin, as a merchant opens it, checked with axe-core in Chromium (WCAG 2.x
 * A and AA rules): no serious or critical violation anywhere. A failure names the rule, the
 * element and why, so the fix is where the message says.
 */
describe('the admin UI is accessible (axe-core)', async () => {
  const ui = await startUi('ui_axe', unpaidOrdersFromAnHourAgo().orders);
  const { page } = ui;
  afterAll(() => ui.close());

  async function violations(): Promise<string[]> {
    // Evaluated as strings: the page's window and document are not this (Node) program's types.
    // Evaluated through the browser's debugging protocol, not as a <script> tag: /admin's content security policy
    // rightly refuses inline scripts.
    if (!(await page.evaluate("'axe' in window"))) await page.evaluate(AXE_SOURCE);
    const found = await page.evaluate(
      "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }).then((r) => r.violations)",
    );
    return (found as Violation[])
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${v.help} — ${n.target.join(' ')}: ${n.failureSummary ?? ''}`));
  }

  const screens = [
    'Flows',
    'Recovery',
    'Customers',
    'Segments',
    'Win-back',
    'Loyalty',
    'Campaigns',
    'Queue',
    'Outbox',
    'Reports',
    'Connection',
  ];

  it('signs in', async () => {
    await ui.signIn();
    await page.getByRole('tab', { name: 'Flows', selected: true }).waitFor();
  });

  for (const screen of screens) {
    it(`has no serious or critical violation on ${screen}`, async () => {
      await ui.tab(screen);
      await page.getByRole('tab', { name: screen, selected: true }).waitFor();
      // Let the screen load its data (no spinner left).
      await expect.poll(() => page.locator('.comeback-loading').count(), { timeout: 15_000 }).toBe(0);
      expect(await violations()).toEqual([]);
    });
  }

  it('has no serious or critical violation in the flow editor', async () => {
    await ui.tab('Flows');
    await page.getByRole('button', { name: 'Abandoned cart', exact: true }).click();
    await page.getByRole('button', { name: 'All flows' }).waitFor();
    await expect.poll(() => page.locator('.comeback-loading').count(), { timeout: 15_000 }).toBe(0);
    expect(await violations()).toEqual([]);
  });
});
