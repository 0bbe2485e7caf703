/**
 * `npm run bench:scale`: how Baton holds many open conversations on one machine.
 *
 *   --conversations N   conversations opened, each left waiting for the customer's reply (default 10000)
 *   --sample N          conversations answered while all the others wait, to time the bot's reply (default 200)
 *   --concurrency N     requests in flight while opening and draining (default 32)
 *   --no-drain          leave the conversations open at the end (the stack is thrown away anyway)
 *   --drain-limit-s N   start no new drain after N seconds: prints how many ended and the rate, not a drain time
 *   --max-cached N      the worker's sticky cache size (BATON_MAX_CACHED_WORKFLOWS; the worker's default, 1000, otherwise)
 *   --worker-heap-mb N  the worker's V8 heap limit (NODE_OPTIONS=--max-old-space-size=N)
 *   --open-via api|temporal  open through POST /api/conversations (default), or start the workflows with
 *                       the Temporal client as that route does, without its HTTP and its projection write
 *                       (which FerretDB on SQLite cannot do by _id: it decodes every conversation for each)
 *   --slow-store-ms N   sum the store commands (API and worker) that took at least N ms, per phase, costliest first
 *   --wait-seconds N    how long the bench journey waits for a reply before abandoning (default 7200)
 *
 * Runs on a stack of its own (Temporal dev server on a file database, Mongo-wire server, the worker as
 * its own process, the API in this process) and prints: time to open them all, the worker's resident
 * memory (at rest, when all wait, peak), reply latency p50/p99 while they wait, and the time to drain
 * (every conversation brought to its end: two customer messages and the survey each), with the
 * machine's load average at each step (the figures mean little without it).
 *
 * The conversations run `bench-password-reset`: the example password-reset journey with a longer wait
 * for the customer's reply (the example abandons a conversation after 15 minutes, which at 10,000
 * would end the first ones before the last were answered). Customers call as the chat widget does:
 * no API key, the conversation token the start answered with.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Journey } from '@baton/schemas';
import { ChaosDriver, inParallel } from '../chaos/driver';
import { startChaosStack } from '../chaos/stack';
import { runReads } from './scale-reads';
import { Client, Connection } from '@temporalio/client';
import { Conversations } from '@baton/server/client';
import { compileJourney } from '@baton/core/compiler';
import { repoRoot } from '@baton/cli/services';
import type { SlowStoreCommand, Store } from '@baton/store';

const benchJourneyId = 'bench-password-reset';

/** The example password-reset journey under its own id, every `ask` waiting `waitSeconds` for the reply. */
async function publishBenchJourney(store: Store, waitSeconds: number): Promise<void> {
  const example = JSON.parse(readFileSync(join(repoRoot(), 'examples/password-reset/journey.json'), 'utf8')) as Journey;
  const source = {
    ...example,
    id: benchJourneyId,
    name: `${example.name} (scale benchmark: waits ${waitSeconds} s for a reply)`,
    nodes: example.nodes.map((node) =>
      node.type === 'ask' ? { ...node, data: { ...node.data, timeoutSeconds: waitSeconds } } : node,
    ),
  } as Journey;
  const activities = new Map((await store.listActivities()).map((manifest) => [manifest.name, manifest]));
  const result = compileJourney(source, { activities });
  if (!result.ok)
    throw new Error(`the bench journey does not compile: ${result.diagnostics.map((d) => d.message).join('; ')}`);
  await store.createDraft(source, 'bench');
  await store.publishVersion({
    journeyId: source.id,
    source,
    compiled: result.journey,
    author: 'bench',
    message: 'scale benchmark',
  });
}

const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

function rssBytes(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds used so far by this process (the API and the benchmark's customers) and by each child
 * (Temporal dev server, Mongo-wire server, worker), read from /proc: where a phase's time goes.
 */
function cpuSeconds(): Map<string, number> {
  const usage = process.cpuUsage();
  const result = new Map<string, number>([['api+bench', (usage.user + usage.system) / 1e6]]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      if (Number(fields[1]) !== process.pid) continue;
      // utime and stime, in clock ticks (100 a second on Linux).
      const ticks = Number(fields[11]) + Number(fields[12]);
      const name = comm === 'node' || comm === 'MainThread' ? 'worker' : comm;
      result.set(name, (result.get(name) ?? 0) + ticks / 100);
    } catch {
      // the process ended meanwhile
    }
  }
  return result;
}

function cpuSpent(before: Map<string, number>, wallMs: number): string {
  const after = cpuSeconds();
  return [...after.entries()]
    .map(([name, total]) => [name, total - (before.get(name) ?? 0)] as const)
    .filter(([, spent]) => spent >= 0.05)
    .sort((a, b) => b[1] - a[1])
    .map(([name, spent]) => `${name} ${spent.toFixed(0)} s (${Math.round((spent / (wallMs / 1000)) * 100)}%)`)
    .join(', ');
}

const mb = (bytes: number | undefined) => (bytes === undefined ? 'n/a' : `${Math.round(bytes / 1024 / 1024)} MB`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

async function main(): Promise<void> {
  // `--reads --stored N`: the reads over N stored conversations (scale-reads.ts).
  if (process.argv.includes('--reads')) return runReads(process.argv.slice(2));
  const { values } = parseArgs({
    options: {
      conversations: { type: 'string', default: '10000' },
      sample: { type: 'string', default: '200' },
      concurrency: { type: 'string', default: '32' },
      'no-drain': { type: 'boolean', default: false },
      'max-cached': { type: 'string' },
      'worker-heap-mb': { type: 'string' },
      'wait-seconds': { type: 'string', default: '7200' },
      'drain-limit-s': { type: 'string' },
      'open-via': { type: 'string', default: 'api' },
      'slow-store-ms': { type: 'string' },
    },
  });
  const count = Number(values.conversations);
  const sampleSize = Math.min(Number(values.sample), count);
  const concurrency = Number(values.concurrency);
  const waitSeconds = Number(values['wait-seconds']);
  const openVia = values['open-via'];
  if (openVia !== 'api' && openVia !== 'temporal') throw new Error('--open-via must be "api" or "temporal"');
  for (const [flag, value] of [
    ['conversations', count],
    ['sample', sampleSize],
    ['concurrency', concurrency],
    ['wait-seconds', waitSeconds],
  ] as const) {
    if (!Number.isInteger(value) || value <= 0) throw new Error(`--${flag} must be a positive whole number`);
  }
  const say = (line: string) => console.log(`[scale ${new Date().toISOString().slice(11, 19)}] ${line}`);
  const workerEnv: Record<string, string> = {
    ...(values['max-cached'] && { BATON_MAX_CACHED_WORKFLOWS: values['max-cached'] }),
    // A smaller V8 heap makes the worker collect garbage sooner (and lowers the SDK's default cache size).
    ...(values['worker-heap-mb'] && { NODE_OPTIONS: `--max-old-space-size=${Number(values['worker-heap-mb'])}` }),
  };
  say(
    `worker settings: ${
      Object.entries(workerEnv)
        .map(([key, value]) => `${key}=${value}`)
        .join(' ') || 'defaults'
    }`,
  );

  say('starting a local stack (Temporal dev server on a file database, Mongo-wire server, worker process, API)…');
  const slowStoreMs = values['slow-store-ms'] === undefined ? undefined : Number(values['slow-store-ms']);
  if (slowStoreMs !== undefined && !(slowStoreMs >= 0))
    throw new Error('--slow-store-ms must be a number of milliseconds');
  const slow = new Map<string, { count: number; totalMs: number; maxMs: number }>();
  const reportSlow = (from: 'api' | 'worker', command: SlowStoreCommand) => {
    const key = `${from} ${command.command} ${command.collection ?? ''} ${command.filter ?? ''}`.trimEnd();
    const entry = slow.get(key) ?? { count: 0, totalMs: 0, maxMs: 0 };
    entry.count += 1;
    entry.totalMs += command.durationMs;
    entry.maxMs = Math.max(entry.maxMs, command.durationMs);
    slow.set(key, entry);
  };
  /** The slow store commands since the last call, the costliest first (what to fix next). */
  const saySlow = (phase: string) => {
    if (slowStoreMs === undefined) return;
    const rows = [...slow.entries()].sort((a, b) => b[1].totalMs - a[1].totalMs).slice(0, 12);
    say(`  store commands ≥ ${slowStoreMs} ms while ${phase}: ${rows.length === 0 ? 'none' : ''}`);
    for (const [key, entry] of rows)
      say(`    ${entry.count}× ${key}: ${(entry.totalMs / 1000).toFixed(1)} s in all, max ${entry.maxMs} ms`);
    slow.clear();
  };
  const stack = await startChaosStack({
    workerEnv,
    ...(slowStoreMs !== undefined && { slowStore: { thresholdMs: slowStoreMs, report: reportSlow } }),
  });
  await publishBenchJourney(stack.store, waitSeconds);
  say(
    `journey: ${benchJourneyId} (the password-reset example; each ask waits ${waitSeconds} s for the reply instead of 900 s)`,
  );
  let retries = 0;
  // A real customer thinks before typing; the benchmark does not. The widget calls without an API key.
  const customer = (token?: string) =>
    new ChaosDriver({
      apiUrl: stack.apiUrl,
      ...(token !== undefined && { apiKey: token }),
      thinkMs: [0, 0],
      onRetry: () => (retries += 1),
    });
  const anonymous = customer();
  const tokens = new Map<string, string>();
  // Conversations opened through Temporal have no token: staff (the API key) answer for their customers.
  const tokenOf = (id: string) => tokens.get(id) ?? stack.apiKey;
  const connection = openVia === 'temporal' ? await Connection.connect({ address: stack.temporalAddress }) : undefined;
  const direct = connection && new Conversations(new Client({ connection, namespace: 'default' }), stack.taskQueue);
  const compiled = direct && (await stack.store.getVersion(benchJourneyId))?.compiled;
  let peakRss = rssBytes(stack.workerPid()) ?? 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssBytes(stack.workerPid()) ?? 0);
  }, 500);
  try {
    const restRss = rssBytes(stack.workerPid());
    say(`worker RSS at rest: ${mb(restRss)}; load average ${load()}`);
    say(
      `opening ${count} conversations (concurrency ${concurrency}) ${direct ? 'with the Temporal client (no HTTP, no projection write)' : 'through POST /api/conversations'}, each waiting for the customer's reply…`,
    );
    const ids: string[] = [];
    const startLatencies: number[] = [];
    const openStarted = Date.now();
    const openCpu = cpuSeconds();
    await inParallel(
      Array.from({ length: count }, (_unused, index) => index),
      concurrency,
      async (index) => {
        const sent = performance.now();
        if (direct && compiled) {
          const customerOf = { id: `cust-${index}`, name: `Customer ${index}`, email: `customer${index}@example.com` };
          const view = await direct.start({
            conversationId: `scale-${index}`,
            journey: compiled,
            customer: customerOf,
            variables: {},
            channel: 'api',
          });
          startLatencies.push(performance.now() - sent);
          ids.push(view.conversationId);
          if (ids.length % 500 === 0) {
            const elapsed = (Date.now() - openStarted) / 1000;
            say(
              `  ${ids.length} open after ${elapsed.toFixed(0)} s (${(ids.length / elapsed).toFixed(1)}/s), worker RSS ${mb(rssBytes(stack.workerPid()))}, load ${load()}`,
            );
          }
          return;
        }
        const body = await anonymous.expect(
          'POST',
          '/api/conversations',
          {
            journeyId: benchJourneyId,
            customer: { id: `cust-${index}`, name: `Customer ${index}`, email: `customer${index}@example.com` },
          },
          (status) => status === 201,
        );
        startLatencies.push(performance.now() - sent);
        const id = body.conversationId as string;
        if (typeof body.token !== 'string')
          throw new Error('the start answered no conversation token (is access control off?)');
        tokens.set(id, body.token);
        ids.push(id);
        if (ids.length % 500 === 0) {
          const elapsed = (Date.now() - openStarted) / 1000;
          say(
            `  ${ids.length} open after ${elapsed.toFixed(0)} s (${(ids.length / elapsed).toFixed(1)}/s), worker RSS ${mb(rssBytes(stack.workerPid()))}, load ${load()}`,
          );
        }
      },
    );
    const openMs = Date.now() - openStarted;
    const waitingRss = rssBytes(stack.workerPid());
    const openCpuText = cpuSpent(openCpu, openMs);
    startLatencies.sort((a, b) => a - b);
    say(
      `${count} conversations waiting after ${seconds(openMs)} (${(count / (openMs / 1000)).toFixed(1)} starts/s; one start p50 ${percentile(startLatencies, 50).toFixed(0)} ms, p99 ${percentile(startLatencies, 99).toFixed(0)} ms); worker RSS ${mb(waitingRss)}; load ${load()}`,
    );
    say(`  CPU while opening (of one core): ${openCpuText}`);
    saySlow('opening');

    // Reply latency while every other conversation waits: one customer at a time, as a reply is felt.
    const latencies: number[] = [];
    const step = Math.max(1, Math.floor(ids.length / sampleSize));
    const sample = ids.filter((_id, index) => index % step === 0).slice(0, sampleSize);
    for (const id of sample) {
      const sent = performance.now();
      await customer(tokenOf(id)).expect(
        'POST',
        `/api/conversations/${id}/messages`,
        { clientMessageId: 'm1', text: 'I forgot my password' },
        (status) => status === 201,
      );
      latencies.push(performance.now() - sent);
    }
    latencies.sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    const sampledRss = rssBytes(stack.workerPid());
    say(
      `reply latency over ${latencies.length} replies while ${count - 1} others wait: p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms; worker RSS ${mb(sampledRss)}; load ${load()}`,
    );
    saySlow('answering the sample');

    // What an agent waits for: the inbox's stream (tickets and conversations, newest first) while all wait.
    const agent = new ChaosDriver({ apiUrl: stack.apiUrl, apiKey: stack.apiKey, thinkMs: [0, 0] });
    const inboxReads: number[] = [];
    for (let read = 0; read < 5; read += 1) {
      const sent = performance.now();
      await agent.expect('GET', '/api/inbox/items?limit=50', undefined, (status) => status === 200);
      inboxReads.push(performance.now() - sent);
    }
    inboxReads.sort((a, b) => a - b);
    const inboxP50 = percentile(inboxReads, 50);
    say(
      `inbox stream read (GET /api/inbox/items) while ${count} wait: median ${inboxP50.toFixed(0)} ms of 5 reads (max ${inboxReads[inboxReads.length - 1]?.toFixed(0)} ms); load ${load()}`,
    );
    saySlow('reading the inbox');

    let drainMs: number | undefined;
    let drainPartial: string | undefined;
    let drainFailures = 0;
    const movedOn = new Map<string, number>();
    if (!values['no-drain']) {
      say(`draining: bringing all ${count} conversations to their end (concurrency ${concurrency})…`);
      const sampled = new Set(sample);
      const drainStarted = Date.now();
      const drainCpu = cpuSeconds();
      const drainLimitMs =
        values['drain-limit-s'] === undefined ? Number.POSITIVE_INFINITY : Number(values['drain-limit-s']) * 1000;
      let ended = 0;
      let skipped = 0;
      const drainOne = async (id: string): Promise<void> => {
        const driver = customer(tokenOf(id));
        if (!sampled.has(id))
          await driver.expect(
            'POST',
            `/api/conversations/${id}/messages`,
            { clientMessageId: 'm1', text: 'I forgot my password' },
            (status) => status === 201 || status === 200,
          );
        await driver.expect(
          'POST',
          `/api/conversations/${id}/messages`,
          { clientMessageId: 'm2', text: 'Yes it worked, thanks!' },
          (status) => status === 201 || status === 200,
        );
        const survey = await driver.call('POST', `/api/conversations/${id}/survey`, { ces: 6, csat: 5 });
        if (survey.status === 409) {
          // The journey moved on by itself (a durable timeout while the conversation waited for its turn in the drain).
          const view = await driver.expect('GET', `/api/conversations/${id}`, undefined, (status) => status === 200);
          const conversation = view.conversation as { status: string; outcome?: string; waiting?: { kind: string } };
          const key = `${conversation.status}/${conversation.outcome ?? conversation.waiting?.kind ?? ''}`;
          movedOn.set(key, (movedOn.get(key) ?? 0) + 1);
        } else if (survey.status !== 200) {
          throw new Error(`survey answered ${survey.status}: ${JSON.stringify(survey.body).slice(0, 200)}`);
        }
        ended += 1;
        if (ended % 500 === 0) {
          const elapsed = (Date.now() - drainStarted) / 1000;
          say(
            `  ${ended} ended after ${elapsed.toFixed(0)} s (${(ended / elapsed).toFixed(1)}/s), worker RSS ${mb(rssBytes(stack.workerPid()))}, load ${load()}`,
          );
        }
      };
      await inParallel(ids, concurrency, async (id) => {
        if (Date.now() - drainStarted > drainLimitMs) {
          skipped += 1;
          return;
        }
        try {
          await drainOne(id);
        } catch (error) {
          drainFailures += 1;
          if (drainFailures <= 3)
            say(`  could not end ${id}: ${error instanceof Error ? error.message : String(error)}`);
        }
      });
      const drainedMs = Date.now() - drainStarted;
      if (skipped === 0) {
        drainMs = drainedMs;
        say(
          `drained ${count} conversations in ${seconds(drainMs)} (${(count / (drainMs / 1000)).toFixed(1)} conversations/s); load ${load()}`,
        );
      } else {
        drainPartial = `${ended} of ${count} ended in ${seconds(drainedMs)} (${(ended / (drainedMs / 1000)).toFixed(1)}/s), ${skipped} not drained (--drain-limit-s)`;
        say(`drain stopped at its time limit: ${drainPartial}; load ${load()}`);
      }
      say(`  CPU while draining (of one core): ${cpuSpent(drainCpu, drainedMs)}`);
      saySlow('draining');
      if (movedOn.size > 0)
        say(
          `  not waiting for the survey when their turn came (status/outcome): ${[...movedOn.entries()].map(([key, n]) => `${key} ×${n}`).join(', ')}`,
        );
    }
    peakRss = Math.max(peakRss, rssBytes(stack.workerPid()) ?? 0);
    console.log('');
    console.log(
      `scale: conversations=${count} openVia=${openVia} concurrency=${concurrency} open=${seconds(openMs)} workerRssRest=${mb(restRss)} workerRssWaiting=${mb(waitingRss)} workerRssPeak=${mb(peakRss)} ` +
        `replyP50=${p50.toFixed(0)}ms replyP99=${p99.toFixed(0)}ms sample=${latencies.length} inboxP50=${inboxP50.toFixed(0)}ms drain=${drainMs !== undefined ? seconds(drainMs) : drainPartial !== undefined ? `partial(${drainPartial})` : 'skipped'} drainFailures=${drainFailures} retries=${retries} load=${load()}`,
    );
    console.log(
      peakRss <= 1024 * 1024 * 1024
        ? 'scale: worker memory within the 1 GB target'
        : 'scale: worker memory ABOVE the 1 GB target',
    );
  } finally {
    clearInterval(sampler);
    await connection?.close().catch(() => undefined);
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
