import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
/** axe-core's browser build, injected into the page as is. */
const AXE_SOURCE = (require('axe-core') as { source: string }).source;

type Violation = { id: string; impact: string | null; help: string; nodes: Array<{ target: string[]; failureSummary?: string }> };

/**
 * The serious and critical WCAG 2.x A/AA (and best-practice) violations axe-core finds on the page
 * as it is now, each naming the rule, the element and why, so the fix is where the message says.
 */
export async function axeViolations(page: Page): Promise<string[]> {
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
