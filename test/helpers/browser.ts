/**
 * Headless Chromium for the end-to-end tests: Debian's `chromium` driven by playwright-core (the
 * playwright browser download cannot run here), and the built web app those tests open.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const root = join(__dirname, '..', '..');

export const chromiumPath = process.env.BATON_CHROMIUM ?? '/usr/bin/chromium';
/** Where the e2e tests save their screenshots (git-ignored); look at them after a run. */
export const screenshotsDir = join(root, 'test-artifacts', 'screenshots');

/** Builds `designer/dist` when a fresh checkout has not (scripts/bootstrap.sh normally does). */
export function ensureWebAppBuilt(): void {
  if (!existsSync(join(root, 'designer', 'dist', 'index.html'))) {
    execFileSync('npx', ['--no-install', 'vite', 'build', 'designer'], { cwd: root, stdio: 'inherit' });
  }
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `chromium is not installed at ${chromiumPath}: the end-to-end tests need it. Install Debian's chromium ` +
        '(apt-get install chromium; scripts/bootstrap.sh does it as root when CI or BATON_INSTALL_CHROMIUM is set) or set BATON_CHROMIUM.',
    );
  }
  mkdirSync(screenshotsDir, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** The page's globals the helpers read, typed without the DOM library (the tests compile for Node). */
type PageDocument = { document: { querySelectorAll(selector: string): { length: number } } };

/**
 * Waits until exactly `count` elements match `selector`. A function, never a string: the web app's
 * Content-Security-Policy forbids eval, and Playwright evals a string predicate again on each poll
 * after the first, which the page reports as an EvalError (CI saw it once).
 */
export async function waitForCount(page: Page, selector: string, count: number, timeout?: number): Promise<void> {
  await page.waitForFunction(
    ([matching, wanted]) =>
      (globalThis as unknown as PageDocument).document.querySelectorAll(matching).length === wanted,
    [selector, count] as const,
    timeout === undefined ? undefined : { timeout },
  );
}
