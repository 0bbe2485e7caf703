/**
 * BATON_TRUST_PROXY behind the committed HAProxy config: customers reaching the API through the proxy
 * from different addresses get separate per-IP limits (HAProxy's `option forwardfor`, believed from
 * the proxy's address only), and an X-Forwarded-For forged by a client (directly, or through the
 * proxy) never becomes the address the limit counts. Customers get their own loopback addresses
 * (127.0.0.0/8 is all this machine's); the proxy reaches the API from 127.0.0.1.
 */
import { existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { startTestStack, type TestStack } from '@baton/test-support/stack';
import type { ManagedProcess } from '@baton/cli/services';
import { createApp, trustProxyFromEnv } from '@baton/server/api';
import { createLogger } from '@baton/server/api/logger';
import { freeProdPorts } from '../ports';
import { startProxy } from '../stack';

const haproxyFound = ['/usr/sbin/haproxy', '/usr/bin/haproxy'].some((path) => existsSync(path));
if (!haproxyFound)
  console.warn(
    'SKIPPED the trusted-proxy test: HAProxy is not installed (`bash scripts/stack-prod-setup.sh` installs it).',
  );
const describeWithProxy = haproxyFound ? describe : describe.skip;

/** POST /api/conversations with an empty body (400, counted by the limit) from `localAddress`. */
function post(url: string, localAddress: string, forwardedFor?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}/api/conversations`,
      {
        method: 'POST',
        localAddress,
        agent: false,
        headers: { 'content-type': 'application/json', ...(forwardedFor && { 'x-forwarded-for': forwardedFor }) },
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.once('error', reject);
    req.end('{}');
  });
}

describeWithProxy('BATON_TRUST_PROXY behind HAProxy', () => {
  let stack: TestStack;
  let server: Server;
  let proxy: ManagedProcess;
  let apiUrl: string;
  let proxyUrl: string;

  beforeAll(async () => {
    stack = await startTestStack();
    const app = createApp({
      store: stack.store,
      conversations: stack.conversations,
      catalog: () => [],
      log: () => undefined,
      logger: createLogger({ level: 'silent' }),
      auth: false,
      security: { rateLimitPerMinute: 3 },
      trustProxy: trustProxyFromEnv({ BATON_TRUST_PROXY: '127.0.0.1' }),
    });
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    const apiPort = (server.address() as AddressInfo).port;
    apiUrl = `http://127.0.0.1:${apiPort}`;
    const ports = await freeProdPorts();
    // Both backends are this one API, so every request is counted by the same limiter.
    proxy = await startProxy({ proxy: ports.proxy, proxyStats: ports.proxyStats, apis: [apiPort, apiPort] }, undefined);
    proxyUrl = `http://127.0.0.1:${ports.proxy}`;
  }, 180_000);

  afterAll(async () => {
    await proxy?.stop(10_000);
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await stack?.stop();
  }, 60_000);

  it('gives two customers behind the proxy separate limits, and a forged X-Forwarded-For counts for nothing', async () => {
    // Customer A uses up its 3 requests through the proxy; the 4th is refused.
    for (let i = 0; i < 3; i += 1) expect(await post(proxyUrl, '127.0.0.3')).toBe(400);
    expect(await post(proxyUrl, '127.0.0.3')).toBe(429);
    // Customer B, behind the same proxy, has its own count.
    for (let i = 0; i < 3; i += 1) expect(await post(proxyUrl, '127.0.0.4')).toBe(400);
    expect(await post(proxyUrl, '127.0.0.4')).toBe(429);
    // A claiming to be someone new through the proxy: HAProxy appends A's real address, which counts.
    expect(await post(proxyUrl, '127.0.0.3', '203.0.113.7')).toBe(429);
    // C, through the proxy, pretending to be A (already limited): counted as C.
    expect(await post(proxyUrl, '127.0.0.5', '127.0.0.3')).toBe(400);

    // D reaches the API directly (not a trusted proxy) with a new forged address each time: the
    // header is ignored and D's own address is counted.
    for (let i = 0; i < 3; i += 1) expect(await post(apiUrl, '127.0.0.6', `198.51.100.${i + 1}`)).toBe(400);
    expect(await post(apiUrl, '127.0.0.6', '198.51.100.99')).toBe(429);
    // E, directly, claiming to be a fresh address and to have come through the proxy: still E.
    for (let i = 0; i < 3; i += 1) expect(await post(apiUrl, '127.0.0.7', `192.0.2.${i + 1}, 127.0.0.1`)).toBe(400);
    expect(await post(apiUrl, '127.0.0.7', '192.0.2.99, 127.0.0.1')).toBe(429);
  }, 60_000);
});
