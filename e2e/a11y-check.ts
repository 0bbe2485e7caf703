/**
 * axe-core in a page under test: the browser tests call `seriousViolations(page)` and expect none.
 * axe's source is evaluated through the DevTools protocol, which the web app's Content-Security-Policy
 * (no inline scripts, no eval) does not apply to, so the page is checked exactly as it is served.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeNode {
  target: unknown[];
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: AxeNode[];
}

/** Serious and critical WCAG 2.1 A/AA and best-practice violations, one readable line each (rule, help, where). */
export async function seriousViolations(page: Page, selector?: string): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async (context) => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<unknown> } }).axe;
    const result = (await axe.run(context ?? { exclude: [] }, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    })) as { violations: unknown[] };
    return JSON.parse(JSON.stringify(result.violations)) as unknown;
  }, selector ?? null);
  return (violations as AxeViolation[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} — ${v.nodes
          .slice(0, 4)
          .map((n) => `${JSON.stringify(n.target)} (${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 160)})`)
          .join(', ')}${v.nodes.length > 4 ? ` (+${v.nodes.length - 4} more)` : ''}`,
    );
}
