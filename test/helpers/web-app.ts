/**
 * The API with the built web app, served on a free local port for the browser tests, and what a
 * page reports as an error while they run.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createApp, type ApiOptions } from '@baton/server/api';
import { webAppDir } from '@baton/cli/dev/stack';
import type { TestStack } from './stack';

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
