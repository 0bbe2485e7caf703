/**
 * The API with the built web app, served on a free local port for the browser tests, what a page
 * reports as an error while they run, and the whole setup of a browser test in one call.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createApp, type ApiOptions } from '@baton/server/api';
import { webAppDir } from '@baton/cli/dev/stack';
import { ensureWebAppBuilt, launchChromium } from './browser';
import { startTestStack, type TestStack } from './stack';

type StackOptions = Parameters<typeof startTestStack>[0];

const root = join(__dirname, '..', '..');

/** The stack's API serving `designer/dist`, with fast event streams; access control off unless `overrides.auth` says. */
export function webApp(stack: TestStack, overrides: Partial<ApiOptions> = {}): ReturnType<typeof createApp> {
  return createApp({
    store: stack.store,
    conversations: stack.conversations,
    catalog: () => stack.store.listActivities(),
    streamPollMs: 100,
    log: () => undefined,
    staticDir: webAppDir(root),
    background: stack.background,
    auth: false,
    ...overrides,
  });
}

export interface Served {
  server: Server;
  /** http://127.0.0.1:<port> */
  base: string;
  close(): Promise<void>;
}

/** Listens on a free port of 127.0.0.1. */
export async function serve(handler: RequestListener): Promise<Served> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Uncaught exceptions and console errors of the page, into `errors` (failed resource loads are the tests' own business). */
export function collectPageErrors(page: Page, errors: string[]): void {
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      errors.push(message.text());
  });
}

export interface BrowserStack extends Served {
  stack: TestStack;
  browser: Browser;
  /** One page at 1440×900 whose errors go to `pageErrors`. */
  page: Page;
  pageErrors: string[];
  /** Closes the browser, the server and the stack. */
  stop(): Promise<void>;
}

/** What a browser test starts: the real stack, the web app on a free port, Chromium with one page. */
export async function startBrowserStack(options: StackOptions = {}): Promise<BrowserStack> {
  ensureWebAppBuilt();
  const stack = await startTestStack(options);
  const served = await serve(webApp(stack));
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const pageErrors: string[] = [];
  collectPageErrors(page, pageErrors);
  return {
    ...served,
    stack,
    browser,
    page,
    pageErrors,
    async stop() {
      await browser.close();
      await served.close();
      await stack.stop();
    },
  };
}
