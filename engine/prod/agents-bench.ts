/**
 * How many connected agents one API process serves (docs/deploy.md, Sizing): `npx tsx engine/prod/agents-bench.ts`.
 *
 * Starts the production-shaped stack (engine/prod/stack.ts), hands off one conversation per agent
 * (the fault suite's order-tracking flow) and claims each ticket for its agent, then loads API 1
 * directly (not through the proxy) in steps of N agents. Each agent does what the web app's inbox does
 * (designer/src/inbox): every 3 s it polls its list (`GET /api/inbox/items`, no filter, as the page opens) and its open ticket
 * (`GET /api/tickets/:id`); every 15 s it writes a note; every 60 s it answers its customer
 * (`POST /api/tickets/:id/messages`, a workflow Update). Each agent's customer holds the widget's
 * event stream (`GET /api/conversations/:id/stream`, SSE) on API 1 meanwhile. The first step has
 * one agent: the baseline the others are compared with, in the same run.
 *
 * Per step: API 1's CPU (a share of one core, from /proc), the store's and the Temporal server's and
 * the workers', the polls' p50 / p99 and their ratio to the baseline's, errors, SSE events received,
 * and API 1's event-loop lag p99 from its /metrics.
 *
 *   --agents 1,25,50,100 (default)   --seconds S per step (default 40)
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { conversationTokenFor } from '@baton/server/api/auth';
import { ChaosDriver, inParallel } from '../chaos/driver';
import { processTable, treeCpu } from './bench';
import { freeProdPorts } from './ports';
import { startProdStack, type ProdStack } from './stack';
import { findTemporalBuild } from './temporal-server';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Seat {
  agent: { id: string; name: string };
  ticketId: string;
  conversationId: string;
  customerToken: string;
}

interface StepResult {
  agents: number;
  seconds: number;
  polls: number;
  pollP50: number;
  pollP99: number;
  actions: number;
  actionP50: number;
  actionP99: number;
  errors: number;
  /** What failed: method and status, or the error's name (a TimeoutError after 30 s). */
  errorKinds: string;
  streamEvents: number;
  loopLagP99Ms: number;
  /** CPU as a share of one core over the step. */
  cpu: Record<string, number>;
}

const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
};

/** Hands off `count` conversations and claims each ticket for an agent of its own. */
async function seats(stack: ProdStack, apiUrl: string, count: number, say: (line: string) => void): Promise<Seat[]> {
  const customerToken = (id: string) => conversationTokenFor(id, { tokenSecret: stack.tokenSecret });
  const driver = new ChaosDriver({ apiUrl, apiKey: stack.apiKey, customerToken, thinkMs: [0, 50] });
  const tag = `agents-${Date.now().toString(36)}`;
  const result: Seat[] = [];
  await inParallel(
    Array.from({ length: count }, (_, index) => index),
    6,
    async (index) => {
      const conversation = await driver.start(index, 'order-handoff', tag);
      await driver.say(conversation, 'Z9999');
      await driver.say(conversation, 'Z99998');
      const ticketId = await driver.ticketOf(conversation.conversationId);
      const agent = { id: `agent-${index}`, name: `Agent ${index}` };
      await driver.expect('POST', `/api/tickets/${ticketId}/claim`, { agent }, (status) => status === 200);
      result.push({ agent, ticketId, conversationId: conversation.conversationId, customerToken: conversation.token });
      if (result.length % 25 === 0) say(`${result.length} of ${count} tickets handed off and claimed`);
    },
  );
  return result;
}

/** Reads an event stream until `signal` aborts; counts its events. */
async function hold(url: string, signal: AbortSignal, counted: { events: number }, failed: (kind: string) => void) {
  try {
    const response = await fetch(url, { signal });
    if (response.status !== 200 || !response.body) {
      failed(`stream ${response.status}`);
      return;
    }
    const decoder = new TextDecoder();
    for await (const chunk of response.body) counted.events += (decoder.decode(chunk).match(/^data:/gm) ?? []).length;
  } catch {
    if (!signal.aborted) failed('stream cut');
  }
}

async function step(
  stack: ProdStack,
  apiUrl: string,
  all: readonly Seat[],
  agents: number,
  seconds: number,
): Promise<StepResult> {
  const seated = all.slice(0, agents);
  const polls: number[] = [];
  const actions: number[] = [];
  const counted = { events: 0, errors: 0, kinds: new Map<string, number>() };
  const failed = (kind: string) => {
    counted.errors += 1;
    counted.kinds.set(kind, (counted.kinds.get(kind) ?? 0) + 1);
  };
  const stop = new AbortController();
  const timed = async (into: number[], method: string, path: string, bearer: string, body?: unknown) => {
    const began = performance.now();
    try {
      const response = await fetch(`${apiUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${bearer}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(30_000),
      });
      await response.arrayBuffer();
      if (response.status >= 400) failed(`${method} ${response.status}`);
      else into.push(performance.now() - began);
    } catch (error) {
      failed(`${method} ${error instanceof Error ? error.name : 'error'}`);
    }
  };
  const end = Date.now() + seconds * 1000;
  const agentLoop = async (seat: Seat, index: number) => {
    // Spread the agents over the 3 s poll period, as agents who opened the inbox at different times are.
    await sleep(Math.random() * 3_000);
    let tick = 0;
    while (Date.now() < end) {
      const next = Date.now() + 3_000;
      await Promise.all([
        timed(polls, 'GET', '/api/inbox/items', stack.apiKey),
        timed(polls, 'GET', `/api/tickets/${seat.ticketId}`, stack.apiKey),
      ]);
      tick += 1;
      if (tick % 5 === index % 5)
        await timed(actions, 'POST', `/api/tickets/${seat.ticketId}/notes`, stack.apiKey, {
          agent: seat.agent,
          text: `note ${tick} from ${seat.agent.name}`,
        });
      if (tick % 20 === index % 20)
        await timed(actions, 'POST', `/api/tickets/${seat.ticketId}/messages`, stack.apiKey, {
          agent: seat.agent,
          clientMessageId: `bench-${Date.now().toString(36)}-${tick}`,
          text: `Still on it (${tick}), ${seat.agent.name}`,
        });
      await sleep(Math.max(0, next - Date.now()));
    }
  };
  const streams = seated.map((seat) =>
    // As the widget opens it (designer/widget/src/transport.ts): the customer's token in the query.
    hold(
      `${apiUrl}/api/conversations/${seat.conversationId}/stream?token=${encodeURIComponent(seat.customerToken)}`,
      stop.signal,
      counted,
      failed,
    ),
  );
  const pids = stack.processes().filter((p): p is { name: string; pid: number } => p.pid !== undefined);
  const others = (pid: number) => new Set([...pids.map((p) => p.pid), process.pid].filter((other) => other !== pid));
  const before = processTable();
  const began = Date.now();
  await Promise.all(seated.map(agentLoop));
  const elapsed = (Date.now() - began) / 1000;
  const after = processTable();
  stop.abort();
  await Promise.all(streams);
  const cpu: Record<string, number> = {};
  for (const { name, pid } of pids)
    cpu[name] = +((treeCpu(after, pid, others(pid)) - treeCpu(before, pid, others(pid))) / elapsed).toFixed(3);
  const metrics = await fetch(`${apiUrl}/metrics`, { headers: { authorization: `Bearer ${stack.apiKey}` } });
  const lag = /^baton_api_nodejs_eventloop_lag_p99_seconds (\S+)$/m.exec(await metrics.text());
  return {
    agents,
    seconds: +elapsed.toFixed(1),
    polls: polls.length,
    pollP50: Math.round(percentile(polls, 50)),
    pollP99: Math.round(percentile(polls, 99)),
    actions: actions.length,
    actionP50: Math.round(percentile(actions, 50)),
    actionP99: Math.round(percentile(actions, 99)),
    errors: counted.errors,
    errorKinds: [...counted.kinds].map(([kind, count]) => `${kind} ×${count}`).join(', '),
    streamEvents: counted.events,
    loopLagP99Ms: lag ? Math.round(Number(lag[1]) * 1000) : NaN,
    cpu,
  };
}

function report(result: StepResult, baseline: StepResult | undefined): void {
  const ratio = (value: number, base: number | undefined) => (base ? ` (×${(value / base).toFixed(1)})` : '');
  const cpu = Object.entries(result.cpu)
    .filter(([, share]) => share >= 0.005)
    .map(([name, share]) => `${name} ${Math.round(share * 100)}%`)
    .join(', ');
  console.log(
    `agents: ${result.agents} agents ${result.seconds} s polls=${result.polls} p50=${result.pollP50}ms${ratio(result.pollP50, baseline?.pollP50)} p99=${result.pollP99}ms${ratio(result.pollP99, baseline?.pollP99)} actions=${result.actions} p50=${result.actionP50}ms p99=${result.actionP99}ms errors=${result.errors}${result.errorKinds ? ` (${result.errorKinds})` : ''} streamEvents=${result.streamEvents} loopLagP99=${result.loopLagP99Ms}ms load=${loadavg()[0]?.toFixed(1)}`,
  );
  console.log(`  CPU (share of one core): ${cpu}`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { agents: { type: 'string', default: '1,25,50,100' }, seconds: { type: 'string', default: '40' } },
  });
  const steps = values.agents.split(',').map((value) => Number(value.trim()));
  const seconds = Number(values.seconds);
  if (steps.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error('--agents: whole numbers above 0, e.g. 1,25,50');
  if (!Number.isFinite(seconds) || seconds < 5) throw new Error('--seconds must be a number, 5 or more');
  const build = findTemporalBuild();
  if ('missing' in build) throw new Error(`the Temporal server is not built: ${build.missing}`);
  const say = (line: string) => console.log(`[agents ${new Date().toISOString().slice(11, 19)}] ${line}`);
  const dir = mkdtempSync(join(tmpdir(), 'baton-agents-'));
  chmodSync(dir, 0o755);
  const stack = await startProdStack({
    dataDir: dir,
    build,
    ports: await freeProdPorts(),
    namespace: 'baton-agents',
    retentionDays: 1,
    db: 'baton_agents',
    taskQueue: 'baton-agents',
    // One load generator plays every agent and customer from one address.
    env: {
      BATON_RATE_LIMIT_PER_MINUTE: '0',
      BATON_TOKEN_RATE_LIMIT_PER_MINUTE: '0',
      BATON_LOGIN_RATE_LIMIT: '0',
      BATON_STREAMS_PER_IP: '100000',
    },
    progress: (line) => say(`stack: ${line.trim()}`),
  });
  const results: StepResult[] = [];
  try {
    const apiUrl = stack.apiUrls[0] as string;
    const most = Math.max(...steps);
    say(`handing off ${most} conversations and claiming their tickets (through the proxy)…`);
    const all = await seats(stack, stack.proxyUrl, most, say);
    for (const agents of steps) {
      say(`step: ${agents} agents on API 1 for ${seconds} s`);
      const result = await step(stack, apiUrl, all, agents, seconds);
      results.push(result);
      report(result, results[0] === result ? undefined : results[0]);
      await sleep(2_000);
    }
  } finally {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('');
  for (const result of results) report(result, results[0] === result ? undefined : results[0]);
  console.log(JSON.stringify(results));
  return results.every((result) => result.errors === 0) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
