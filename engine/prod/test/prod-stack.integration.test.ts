/**
 * The production shape, small (issue 15): the real Temporal server on PostgreSQL, FerretDB, two
 * worker processes and two API processes behind HAProxy. Conversations of the example journeys run
 * through the proxy; one worker and one API process are SIGKILLed mid-way; every conversation must
 * still complete with its transcript equal to what was sent, and no ticket twice. Counts only, no
 * timings. Skipped, saying why, when the Temporal server is not built (`bash scripts/stack-prod-setup.sh`,
 * about 5 minutes once per machine; CI builds it before the tests).
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { conversationTokenFor } from '@baton/server/api/auth';
import { missingSearchAttributes } from '@baton/server/client';
import { connectStore, type Store } from '@baton/store';
import { ChaosDriver, describeRetries, flows, inParallel, tally, type DrivenConversation } from '../../chaos/driver';
import { findTemporalBuild } from '../temporal-server';
import { freeProdPorts } from '../ports';
import { startProdStack, type ProdStack } from '../stack';
import { dashboardMetrics } from './dashboard';

const build = findTemporalBuild();
if ('missing' in build)
  console.warn(
    `SKIPPED the production-shaped stack test: ${build.missing}. Build it with \`bash scripts/stack-prod-setup.sh\` ` +
      '(about 5 minutes on 2 cores, cached in ~/.cache/baton/temporal-server-v1.29.1).',
  );
const describeBuilt = 'missing' in build ? describe.skip : describe;

describeBuilt('the production-shaped stack (Temporal server on PostgreSQL, 2 workers, 2 APIs, HAProxy)', () => {
  let dir: string;
  let stack: ProdStack;
  let store: Store;

  beforeAll(async () => {
    if ('missing' in build) return;
    dir = mkdtempSync(join(tmpdir(), 'baton-prod-'));
    // PostgreSQL runs as its own user when the tests run as root: it must reach its data directory.
    chmodSync(dir, 0o755);
    stack = await startProdStack({
      dataDir: dir,
      build,
      ports: await freeProdPorts(),
      namespace: 'baton-prod-test',
      retentionDays: 1,
      db: `baton_prod_${process.pid}`,
      taskQueue: 'baton-prod-test',
      // One driver plays every customer from one address, through one proxy address.
      env: { BATON_RATE_LIMIT_PER_MINUTE: '0', BATON_TOKEN_RATE_LIMIT_PER_MINUTE: '0', BATON_LOGIN_RATE_LIMIT: '0' },
    });
    store = await connectStore(stack.mongoUri, stack.db);
  }, 420_000);

  afterAll(async () => {
    await store?.collection('users').db.dropDatabase();
    await store?.close();
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 180_000);

  it('published the examples as baton dev does: the support model first, the classify node pinned to it', async () => {
    expect(stack.seeded).toEqual(
      expect.arrayContaining(['support@1', 'password-reset@1', 'order-tracking@1', 'support-triage@1']),
    );
    const triage = await store.getVersion('support-triage');
    expect(triage?.author).toBe('stack:prod');
    expect(triage?.compiled.nodes.triage?.data).toMatchObject({ model: { name: 'support', version: 1 } });
  });

  it('completes every conversation with its transcript when a worker and an API process are SIGKILLed mid-way', async () => {
    const driver = new ChaosDriver({
      apiUrl: stack.proxyUrl,
      apiKey: stack.apiKey,
      customerToken: (id) => conversationTokenFor(id, { tokenSecret: stack.tokenSecret }),
      requestDeadlineMs: 120_000,
      thinkMs: [50, 200],
    });
    const conversations: DrivenConversation[] = [];
    const count = 6;
    await inParallel(
      Array.from({ length: count }, (_, index) => index),
      count,
      async (index) => {
        const flow = flows[index % flows.length] ?? 'reset-bot';
        const conversation = await driver.start(index, flow, `prod${process.pid}`);
        conversations.push(conversation);
        await driver.run(conversation, (c) => driver.firstTurn(c));
      },
    );

    // The rest of every conversation runs while one worker and one API process are SIGKILLed: once the
    // second customer message of any conversation is on its way, with the others in flight.
    const firstTurns = conversations.reduce((sum, c) => sum + c.sent.length, 0);
    const rest = inParallel(conversations, count, (conversation) => driver.run(conversation, (c) => driver.finish(c)));
    while (conversations.reduce((sum, c) => sum + c.sent.length, 0) === firstTurns)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const [worker] = stack.workers;
    const [api] = stack.apis;
    worker?.child.kill('SIGKILL');
    api?.child.kill('SIGKILL');
    await Promise.all([worker?.exited, api?.exited, rest]);
    const result = await tally(driver, store, conversations);
    const line = `${result.completed}/${result.conversations} completed (retries: ${describeRetries(driver)}); ${result.failures.join('; ')}`;
    expect({
      line,
      completed: result.completed,
      lost: result.lostMessages,
      duplicated: result.duplicatedMessages,
      duplicateTickets: result.duplicateTickets,
      missingTickets: result.missingTickets,
    }).toEqual({ line, completed: count, lost: 0, duplicated: 0, duplicateTickets: 0, missingTickets: 0 });
    expect(worker?.exitInfo()?.signal).toBe('SIGKILL');
    expect(api?.exitInfo()?.signal).toBe('SIGKILL');

    // An event stream through the proxy resumes after the Last-Event-ID it is given, unbuffered.
    const handedOff = conversations.find((c) => c.flow === 'reset-handoff');
    expect(handedOff).toBeDefined();
    const stream = await fetch(`${stack.proxyUrl}/api/conversations/${handedOff?.conversationId}/stream`, {
      headers: { authorization: `Bearer ${stack.apiKey}`, 'last-event-id': '2' },
      signal: AbortSignal.timeout(30_000),
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
    const ids = [...(await stream.text()).matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]));
    const view = (
      await driver.expect('GET', `/api/conversations/${handedOff?.conversationId}`, undefined, (s) => s === 200)
    ).conversation as { transcript: { seq: number }[] };
    expect(ids).toEqual(view.transcript.map((entry) => entry.seq).filter((seq) => seq > 2));
  }, 240_000);

  it("registers Baton's search attributes in the PostgreSQL visibility: conversations are listed by BatonJourneyId", async () => {
    const connection = await Connection.connect({ address: stack.temporalAddress });
    try {
      expect(await missingSearchAttributes(connection, 'baton-prod-test')).toEqual([]);
      const client = new Client({ connection, namespace: 'baton-prod-test' });
      // The test above started its conversations through the proxy; visibility catches up eventually (≤ 30 s).
      const deadline = Date.now() + 30_000;
      let listed = 0;
      while (listed === 0 && Date.now() < deadline) {
        listed = (await client.workflow.count('BatonJourneyId = "password-reset"')).count;
        if (listed === 0) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(listed).toBeGreaterThan(0);
    } finally {
      await connection.close();
    }
  }, 60_000);

  it("serves, after those conversations, every metric deploy/grafana/baton.json queries: the API's through the proxy, the Temporal server's", async () => {
    const names = dashboardMetrics();
    expect(names.filter((name) => !name.startsWith('baton_')).length).toBeGreaterThan(4);
    const scrape = async (url: string, bearer?: string) => {
      const answer = await fetch(url, { ...(bearer && { headers: { authorization: `Bearer ${bearer}` } }) });
      expect(answer.status).toBe(200);
      return new Set([...(await answer.text()).matchAll(/^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/gm)].map((m) => m[1]));
    };
    const api = await scrape(`${stack.proxyUrl}/metrics`, stack.apiKey);
    const temporal = await scrape(stack.temporalMetricsUrl);
    // The worker's (baton_worker_…) are checked against its registry by grafana-dashboard.test.ts.
    const missing = names.filter(
      (name) => !name.startsWith('baton_worker_') && !(name.startsWith('baton_') ? api : temporal).has(name),
    );
    expect(missing).toEqual([]);
  }, 60_000);
});
