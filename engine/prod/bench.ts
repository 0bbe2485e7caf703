/**
 * `npm run bench -- --topology prod` (engine/bench/run.ts hands it here): the same journey on the dev
 * stack and on the production shape in one run, then the production shape with one worker instead
 * of two. Each leg drives `--conversations` conversations of the fault suite's three flows (password
 * reset resolved by the bot, password reset handed off, order tracking handed off) through the API,
 * `--concurrency` at a time, with the suite's patient client, and reports:
 *
 *   - completed conversations per second (wall time of the leg) and whether all were lossless
 *     (every message in its transcript once, one ticket per hand-off: engine/chaos/driver.ts tally)
 *   - customer reply time p50 / p99 (message sent to the API's answer)
 *   - CPU seconds per process over the leg, from /proc (utime + stime of the process and its live
 *     descendants: PostgreSQL's backends, esbuild helpers), and as a share of one core
 *
 *   --conversations N (default 60)   --concurrency N (default 8)   --legs dev,prod2,prod1 (default all)
 *
 * On a shared 2-core machine the absolute figures mean little; read the comparison.
 */
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { conversationTokenFor } from '@baton/server/api/auth';
import { connectStore, type Store } from '@baton/store';
import { ChaosDriver, flows, lossless, tally, type DrivenConversation, type Tally } from '../chaos/driver';
import { startChaosStack } from '../chaos/stack';
import { freeProdPorts, pidListeningOn } from './ports';
import { startProdStack } from './stack';
import { findTemporalBuild } from './temporal-server';

const ticksPerSecond = 100; // USER_HZ on Linux

/** utime + stime (seconds) of every process, and each one's parent, from /proc. */
export function processTable(): Map<number, { ppid: number; cpu: number }> {
  const table = new Map<number, { ppid: number; cpu: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces) in parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      const cpu = (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
      table.set(Number(entry), { ppid, cpu });
    } catch {
      // gone meanwhile
    }
  }
  return table;
}

/**
 * CPU seconds used so far by `pid` and its live descendants, except those in `exclude` and theirs
 * (the bench process is the parent of every stack process: its own line must not count them).
 */
export function treeCpu(
  table: Map<number, { ppid: number; cpu: number }>,
  pid: number,
  exclude = new Set<number>(),
): number {
  let total = 0;
  const queue = [pid];
  while (queue.length > 0) {
    const current = queue.pop() as number;
    total += table.get(current)?.cpu ?? 0;
    for (const [child, { ppid }] of table) if (ppid === current && !exclude.has(child)) queue.push(child);
  }
  return total;
}

interface LegResult {
  leg: string;
  conversations: number;
  seconds: number;
  perSecond: number;
  replyP50: number;
  replyP99: number;
  retries: number;
  lossless: boolean;
  tally: Tally;
  cpu: Record<string, number>;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
};

/** Drives the conversations through `apiUrl` and reads the processes' CPU before and after. */
async function drive(
  leg: string,
  target: { apiUrl: string; apiKey: string; customerToken: (id: string) => string; store: Store },
  processes: () => { name: string; pid: number | undefined }[],
  count: number,
  concurrency: number,
): Promise<LegResult> {
  const driver = new ChaosDriver({
    apiUrl: target.apiUrl,
    apiKey: target.apiKey,
    customerToken: target.customerToken,
  });
  const tag = `${leg.replace(/[^a-z0-9]+/gi, '-')}-${Date.now().toString(36)}`;
  const named = [...processes(), { name: 'bench (load driver)', pid: process.pid }].filter(
    (p): p is { name: string; pid: number } => p.pid !== undefined,
  );
  const others = (pid: number) => new Set(named.map((p) => p.pid).filter((other) => other !== pid));
  const before = processTable();
  const cpuBefore = new Map(named.map(({ name, pid }) => [name, treeCpu(before, pid, others(pid))]));
  const began = Date.now();
  const conversations: DrivenConversation[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next;
        next += 1;
        const flow = flows[index % flows.length] ?? 'reset-bot';
        const conversation = await driver.start(index, flow, tag);
        conversations.push(conversation);
        await driver.run(conversation, async (c) => {
          await driver.firstTurn(c);
          await driver.finish(c);
        });
      }
    }),
  );
  const seconds = (Date.now() - began) / 1000;
  const after = processTable();
  const cpu: Record<string, number> = {};
  for (const { name, pid } of named)
    cpu[name] = +(treeCpu(after, pid, others(pid)) - (cpuBefore.get(name) ?? 0)).toFixed(1);
  const counted = await tally(driver, target.store, conversations);
  const ms = driver.replies.map((reply) => reply.ms);
  return {
    leg,
    conversations: count,
    seconds: +seconds.toFixed(1),
    perSecond: +(count / seconds).toFixed(2),
    replyP50: Math.round(percentile(ms, 50)),
    replyP99: Math.round(percentile(ms, 99)),
    retries: driver.retries,
    lossless: lossless(counted),
    tally: counted,
    cpu,
  };
}

function report(result: LegResult): void {
  const t = result.tally;
  console.log(
    `bench: ${result.leg} conversations=${result.conversations} seconds=${result.seconds} perSecond=${result.perSecond} replyP50=${result.replyP50}ms replyP99=${result.replyP99}ms retries=${result.retries} completed=${t.completed} lost=${t.lostMessages} duplicated=${t.duplicatedMessages} duplicateTickets=${t.duplicateTickets} missingTickets=${t.missingTickets}`,
  );
  const cores = Object.entries(result.cpu)
    .map(([name, seconds]) => `${name} ${seconds} s (${Math.round((seconds / result.seconds) * 100)}%)`)
    .join(', ');
  console.log(`  CPU: ${cores}`);
  for (const failure of t.failures.slice(0, 5)) console.log(`  ${failure}`);
}

export async function topologyBench(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      topology: { type: 'string' },
      conversations: { type: 'string', default: '60' },
      concurrency: { type: 'string', default: '8' },
      legs: { type: 'string', default: 'dev,prod2,prod1' },
    },
  });
  if (values.topology !== 'prod') throw new Error(`--topology: only prod is known, not "${values.topology}"`);
  const count = Number(values.conversations);
  const concurrency = Number(values.concurrency);
  for (const [flag, value] of [
    ['conversations', count],
    ['concurrency', concurrency],
  ] as const)
    if (!Number.isInteger(value) || value <= 0) throw new Error(`--${flag} must be a positive integer`);
  const legs = values.legs.split(',').map((leg) => leg.trim());
  for (const leg of legs)
    if (!['dev', 'prod2', 'prod1'].includes(leg)) throw new Error(`--legs: unknown leg "${leg}" (dev, prod2, prod1)`);
  const say = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
  const results: LegResult[] = [];

  if (legs.includes('dev')) {
    say('dev stack: Temporal dev server (SQLite), FerretDB, one worker process, the API in this process');
    const dev = await startChaosStack();
    try {
      const port = (address: string) => Number(address.split(':').at(-1)?.replace(/\/.*$/, ''));
      const result = await drive(
        'dev',
        { apiUrl: dev.apiUrl, apiKey: dev.apiKey, customerToken: dev.customerToken, store: dev.store },
        () => [
          { name: 'temporal dev server', pid: pidListeningOn(port(dev.temporalAddress)) },
          { name: 'ferretdb', pid: pidListeningOn(port(dev.mongoUri)) },
          { name: 'worker', pid: dev.workerPid() },
        ],
        count,
        concurrency,
      );
      results.push(result);
      report(result);
    } finally {
      await dev.stop();
    }
  }

  if (legs.includes('prod2') || legs.includes('prod1')) {
    const build = findTemporalBuild();
    if ('missing' in build) throw new Error(`--topology prod needs the Temporal server: ${build.missing}`);
    const dir = mkdtempSync(join(tmpdir(), 'baton-bench-prod-'));
    chmodSync(dir, 0o755);
    say('production shape: Temporal server on PostgreSQL, FerretDB, two workers, two APIs behind HAProxy');
    const stack = await startProdStack({
      dataDir: dir,
      build,
      ports: await freeProdPorts(),
      namespace: 'baton-bench',
      retentionDays: 1,
      db: 'baton_bench_prod',
      taskQueue: 'baton-bench',
      env: { BATON_RATE_LIMIT_PER_MINUTE: '0', BATON_TOKEN_RATE_LIMIT_PER_MINUTE: '0', BATON_LOGIN_RATE_LIMIT: '0' },
      progress: (line) => say(`stack: ${line.trim()}`),
    });
    const store = await connectStore(stack.mongoUri, stack.db);
    const target = {
      apiUrl: stack.proxyUrl,
      apiKey: stack.apiKey,
      customerToken: (id: string) => conversationTokenFor(id, { tokenSecret: stack.tokenSecret }),
      store,
    };
    try {
      if (legs.includes('prod2')) {
        const result = await drive('prod, 2 workers', target, stack.processes, count, concurrency);
        results.push(result);
        report(result);
      }
      if (legs.includes('prod1')) {
        say('worker 2 stopped (SIGTERM, it finishes what it runs): one worker from here');
        await stack.workers[1]?.stop(60_000);
        const result = await drive('prod, 1 worker', target, stack.processes, count, concurrency);
        results.push(result);
        report(result);
      }
    } finally {
      await store.close().catch(() => undefined);
      await stack.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  console.log('');
  for (const result of results) report(result);
  console.log(JSON.stringify(results.map(({ tally: t, ...rest }) => ({ ...rest, failures: t.failures.length }))));
  return results.every((result) => result.lossless) ? 0 : 1;
}
