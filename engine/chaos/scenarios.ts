/**
 * The fault suite's scenarios. Each takes a running ChaosStack and sizes, breaks one part of the
 * stack while conversations run, and counts what came out. Sizes are parameters so that CI runs a
 * small version of the same code (workers/worker/test/chaos.integration.test.ts) and `npm run chaos` the full one.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import {
  ChaosDriver,
  describeLatency,
  describeRetries,
  flows,
  inParallel,
  lossless,
  tally,
  type DrivenConversation,
  type Tally,
} from './driver';
import type { ChaosStack } from './stack';

export interface ScenarioResult {
  name: string;
  ok: boolean;
  tally: Tally;
  /** Scenario-specific counts, printed after the common ones. */
  extra: Record<string, number>;
  notes: string[];
}

export function formatResult(result: ScenarioResult): string {
  const t = result.tally;
  const counts: Record<string, number> = {
    conversations: t.conversations,
    completed: t.completed,
    duplicateTickets: t.duplicateTickets,
    missingTickets: t.missingTickets,
    lostMessages: t.lostMessages,
    duplicatedMessages: t.duplicatedMessages,
    ...result.extra,
  };
  return `chaos: ${result.name} ${Object.entries(counts)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ')}${result.ok ? '' : ' FAILED'}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const between = (low: number, high: number) => low + Math.floor(Math.random() * (high - low));
let runCounter = 0;
const runTag = (name: string) => `${name}-${Date.now().toString(36)}-${(runCounter += 1)}`;

export interface CommonOptions {
  conversations: number;
  /** Conversations driven at the same time (default 16). */
  concurrency?: number;
  log?: (line: string) => void;
}

function finishResult(
  name: string,
  result: Tally,
  extra: Record<string, number>,
  notes: string[],
  alsoOk = true,
  driver?: ChaosDriver,
): ScenarioResult {
  const retried = driver && driver.retries > 0 ? [`requests sent again: ${describeRetries(driver)}`] : [];
  const times = driver ? [`reply times: ${describeLatency(driver.replies)}`] : [];
  return {
    name,
    ok: lossless(result) && alsoOk,
    tally: result,
    extra,
    notes: [...notes, ...times, ...retried, ...result.failures.slice(0, 10)],
  };
}

/** Makes sure a worker runs (a scenario may have left it dead); returns true when it had to start one. */
async function ensureWorker(stack: ChaosStack): Promise<boolean> {
  if (stack.workerRunning()) return false;
  await stack.startWorker();
  return true;
}

/**
 * a. Conversations on the example journeys while the worker process is killed with SIGKILL at
 * random moments and started again.
 */
export async function workerKillScenario(
  stack: ChaosStack,
  options: CommonOptions & { kills: number },
): Promise<ScenarioResult> {
  const driver = new ChaosDriver({ apiUrl: stack.apiUrl, apiKey: stack.apiKey, customerToken: stack.customerToken });
  const tag = runTag('kill');
  const conversations: DrivenConversation[] = [];
  let driving = true;
  const drive = inParallel(
    Array.from({ length: options.conversations }, (_unused, index) => index),
    options.concurrency ?? 16,
    async (index) => {
      const flow = flows[index % flows.length] ?? 'reset-bot';
      let conversation: DrivenConversation;
      try {
        conversation = await driver.start(index, flow, tag);
      } catch (error) {
        conversations.push({
          conversationId: `chaos-${tag}-${flow}-${index}`,
          flow,
          token: '',
          sent: [],
          expectedOutcome: 'resolved_by_bot',
          expectsTicket: false,
          completed: false,
          error: String(error),
        });
        return;
      }
      conversations.push(conversation);
      await driver.run(conversation, async (c) => {
        await driver.firstTurn(c);
        await driver.finish(c);
      });
    },
  ).finally(() => {
    driving = false;
  });

  let kills = 0;
  const killer = (async () => {
    while (driving && kills < options.kills) {
      // The first kill comes early, so that even a small run is hit while its conversations are under way.
      await sleep(kills === 0 ? between(300, 1_500) : between(1_000, 4_000));
      if (!driving) break;
      await stack.killWorker();
      kills += 1;
      options.log?.(`worker killed (${kills}/${options.kills})`);
      await sleep(between(200, 1_500));
      await stack.startWorker();
    }
  })();
  await drive;
  await killer;
  await ensureWorker(stack);
  const counted = await tally(driver, stack.store, conversations);
  const notes = kills < options.kills ? [`the conversations finished after ${kills} of ${options.kills} kills`] : [];
  return finishResult('worker-kill', counted, { kills, retries: driver.retries }, notes, kills > 0, driver);
}

/** b. The Temporal dev server stopped and started again on the same file database while conversations wait. */
export async function temporalRestartScenario(
  stack: ChaosStack,
  options: CommonOptions & { downMs?: number },
): Promise<ScenarioResult> {
  const driver = new ChaosDriver({ apiUrl: stack.apiUrl, apiKey: stack.apiKey, customerToken: stack.customerToken });
  const tag = runTag('temporal');
  const conversations: DrivenConversation[] = [];
  await inParallel(
    Array.from({ length: options.conversations }, (_unused, index) => index),
    options.concurrency ?? 16,
    async (index) => {
      const conversation = await driver.start(index, flows[index % flows.length] ?? 'reset-bot', tag);
      conversations.push(conversation);
      await driver.run(conversation, (c) => driver.firstTurn(c));
    },
  );
  // Every conversation now waits for its customer (or an agent) inside Temporal.
  await stack.stopTemporal();
  options.log?.('temporal stopped');
  await sleep(options.downMs ?? 5_000);
  await stack.startTemporal();
  options.log?.('temporal started again on the same database');
  // The worker keeps polling through the outage; restart it only if it gave up.
  const workerRestarts = (await ensureWorker(stack)) ? 1 : 0;
  await inParallel(conversations, options.concurrency ?? 16, (conversation) =>
    conversation.error ? Promise.resolve() : driver.run(conversation, (c) => driver.finish(c)),
  );
  const counted = await tally(driver, stack.store, conversations);
  return finishResult('temporal-restart', counted, { workerRestarts, retries: driver.retries }, [], true, driver);
}

/**
 * c. The Mongo-wire server stopped for a while as conversations go on: the API answers 503
 * problem+json meanwhile, activities are retried by Temporal, nothing is lost.
 */
export async function mongoOutageScenario(
  stack: ChaosStack,
  options: CommonOptions & { outageMs: number },
): Promise<ScenarioResult> {
  const driver = new ChaosDriver({ apiUrl: stack.apiUrl, apiKey: stack.apiKey, customerToken: stack.customerToken });
  const tag = runTag('mongo');
  const conversations: DrivenConversation[] = [];
  await inParallel(
    Array.from({ length: options.conversations }, (_unused, index) => index),
    options.concurrency ?? 16,
    async (index) => {
      const conversation = await driver.start(index, flows[index % flows.length] ?? 'reset-bot', tag);
      conversations.push(conversation);
      await driver.run(conversation, (c) => driver.firstTurn(c));
    },
  );

  await stack.stopMongo();
  options.log?.(`mongo stopped for ${options.outageMs} ms`);
  const outageEnds = Date.now() + options.outageMs;
  // The conversations go on during the outage; their requests are retried until they get an answer.
  const finishing = inParallel(conversations, options.concurrency ?? 16, (conversation) =>
    conversation.error ? Promise.resolve() : driver.run(conversation, (c) => driver.finish(c)),
  );
  const probes = { problem503: 0, other5xx: 0, probeErrors: 0 };
  const statuses = new Set<number>();
  while (Date.now() < outageEnds) {
    try {
      const answer = await driver.once('GET', '/api/inbox', undefined, 30_000);
      statuses.add(answer.status);
      if (answer.status === 503 && answer.contentType.startsWith('application/problem+json')) probes.problem503 += 1;
      else if (answer.status >= 500) probes.other5xx += 1;
    } catch {
      probes.probeErrors += 1;
    }
    await sleep(1_000);
  }
  await stack.startMongo();
  options.log?.('mongo started again');
  await finishing;
  const counted = await tally(driver, stack.store, conversations);
  const notes =
    probes.problem503 === 0
      ? [`no 503 problem+json seen during the outage (statuses: ${[...statuses].join(', ')})`]
      : [];
  return finishResult(
    'mongo-outage',
    counted,
    { outageSeconds: Math.round(options.outageMs / 1000), ...probes, retries: driver.retries },
    notes,
    probes.problem503 > 0 && probes.other5xx === 0,
    driver,
  );
}

/** A stand-in for an OpenAI-compatible endpoint that fails (500) or hangs (never answers). */
export async function startBrokenAiServer(
  mode: 'fail' | 'hang',
): Promise<{ baseUrl: string; requests: () => number; close(): Promise<void> }> {
  let requests = 0;
  const sockets = new Set<Socket>();
  const server: Server =
    mode === 'fail'
      ? createHttpServer((req, res) => {
          requests += 1;
          req.resume();
          res
            .writeHead(500, { 'content-type': 'application/json' })
            .end(JSON.stringify({ error: { message: 'chaos: the model is down', type: 'server_error' } }));
        })
      : createServer((socket) => {
          // Accept the connection and never answer.
          requests += 1;
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('data', () => undefined);
        });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests: () => requests,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * d. The AI provider failing (500) or hanging: the worker runs with BATON_AI_PROVIDER=openai against
 * a broken endpoint; every conversation that needs the model is handed to a human, reason recorded.
 */
export async function aiFailureScenario(
  stack: ChaosStack,
  options: CommonOptions & { mode: 'fail' | 'hang'; aiTimeoutMs?: number },
): Promise<ScenarioResult> {
  const ai = await startBrokenAiServer(options.mode);
  const driver = new ChaosDriver({ apiUrl: stack.apiUrl, apiKey: stack.apiKey, customerToken: stack.customerToken });
  const tag = runTag(`ai-${options.mode}`);
  const conversations: DrivenConversation[] = [];
  let handedOff = 0;
  let reasonsRecorded = 0;
  const reasons = new Set<string>();
  const notes: string[] = [];
  try {
    await stack.stopWorker();
    await stack.startWorker({
      BATON_AI_PROVIDER: 'openai',
      BATON_OPENAI_BASE_URL: ai.baseUrl,
      BATON_OPENAI_API_KEY: 'chaos-test-key',
      BATON_OPENAI_MODEL: 'chaos-model',
      BATON_AI_TIMEOUT_MS: String(options.aiTimeoutMs ?? 2_000),
    });
    await inParallel(
      Array.from({ length: options.conversations }, (_unused, index) => index),
      options.concurrency ?? 16,
      async (index) => {
        const conversation = await driver.start(index, 'reset-handoff', tag);
        conversations.push(conversation);
        await driver.run(conversation, async (c) => {
          // A plain request the embedded model would resolve by itself: here the model is broken.
          await driver.say(c, 'I forgot my password');
          const view = await driver.expect(
            'GET',
            `/api/conversations/${c.conversationId}`,
            undefined,
            (status) => status === 200,
          );
          const waiting = (view.conversation as { waiting?: { kind: string } }).waiting;
          if (waiting?.kind !== 'agent')
            throw new Error(`not handed to a human: waiting for ${waiting?.kind ?? 'nothing'}`);
          handedOff += 1;
          const ticketId = await driver.ticketOf(c.conversationId);
          const ticket = await driver.expect('GET', `/api/inbox?limit=500`, undefined, (status) => status === 200);
          const found = (ticket.tickets as { ticketId: string; reason?: string }[]).find(
            (t) => t.ticketId === ticketId,
          );
          if (found?.reason && found.reason.trim() !== '') {
            reasonsRecorded += 1;
            reasons.add(found.reason);
          } else throw new Error(`ticket ${ticketId} has no reason`);
          const agent = { id: 'agent-sam', name: 'Sam' };
          await driver.expect('POST', `/api/tickets/${ticketId}/claim`, { agent }, (status) => status === 200);
          await driver.expect('POST', `/api/tickets/${ticketId}/resolve`, { agent }, (status) => status === 200);
          await driver.expect(
            'POST',
            `/api/conversations/${c.conversationId}/survey`,
            { ces: 5, csat: 4 },
            (status) => status === 200,
            c.token,
          );
        });
      },
    );
  } finally {
    await ai.close();
    await stack.stopWorker();
    await stack.startWorker({});
  }
  const counted = await tally(driver, stack.store, conversations);
  const modelCalls = ai.requests();
  for (const reason of [...reasons].slice(0, 3)) notes.push(`handoff reason: ${reason}`);
  if (modelCalls === 0)
    notes.push(
      'the worker never called the configured provider: is BATON_AI_PROVIDER=openai implemented in workers/ai/src?',
    );
  return finishResult(
    `ai-${options.mode}`,
    counted,
    { handedOff, reasonsRecorded, modelCalls, retries: driver.retries },
    notes,
    modelCalls > 0 && handedOff === options.conversations && reasonsRecorded === options.conversations,
    driver,
  );
}
