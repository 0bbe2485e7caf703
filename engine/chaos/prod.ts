/**
 * `npm run chaos -- --topology prod`: the fault suite on the production shape (engine/prod: the
 * Temporal server on PostgreSQL, FerretDB, two workers, two APIs behind HAProxy), with the same
 * accounting as the dev-stack suite (every transcript compared with what was sent, tickets counted).
 * Conversations of the example journeys run through the proxy, new ones starting until the fault is
 * over; meanwhile one fault:
 *
 *   baseline          none (the reply times the others are compared with)
 *   worker-kill       worker 1 SIGKILLed `kills` times, started again after each; worker 2 keeps serving
 *   api-kill          API 1 SIGKILLed under load, started again after `api-down` seconds
 *   temporal-restart  the Temporal server stopped (SIGTERM), down `temporal-down` seconds, started again
 *   postgres-restart  PostgreSQL stopped (fast shutdown), down `postgres-down` seconds, started again
 *   partition         worker 2 runs in its own network namespace (engine/prod/netns.ts); every packet
 *                     between it and the Temporal server and the store dropped for `partition` seconds
 *
 * Each scenario reports the reply time of customer messages (sent to answered, retries included)
 * before, during and after its fault window (from the fault's start until the part is back).
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conversationTokenFor } from '@baton/server/api/auth';
import { connectStore, type Store } from '@baton/store';
import { findTemporalBuild } from '../prod/temporal-server';
import { createWorkerNetns, netnsUnavailable, type WorkerNetns } from '../prod/netns';
import { freeProdPorts } from '../prod/ports';
import { startProdStack, type ProdStack } from '../prod/stack';
import {
  ChaosDriver,
  describeLatency,
  describeRetries,
  flows,
  lossless,
  tally,
  type DrivenConversation,
} from './driver';
import { formatResult, type ScenarioResult } from './scenarios';

export const prodScenarioNames = [
  'baseline',
  'worker-kill',
  'api-kill',
  'temporal-restart',
  'postgres-restart',
  'partition',
] as const;
export type ProdScenarioName = (typeof prodScenarioNames)[number];

export interface ProdChaosOptions {
  /** Conversations each scenario drives at least (more start while its fault lasts). */
  conversations: number;
  /** Conversations driven at the same time. */
  concurrency: number;
  kills: number;
  apiDownMs: number;
  temporalDownMs: number;
  postgresDownMs: number;
  partitionMs: number;
  only: readonly ProdScenarioName[];
  say: (line: string) => void;
  log?: (line: string) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const between = (low: number, high: number) => low + Math.floor(Math.random() * (high - low));

interface FaultWindow {
  start: number;
  end: number;
  extra: Record<string, number>;
  notes: string[];
  /** Also report the replies answered between these times (sent before or during them). */
  answered?: { from: number; to: number; label: string };
}

/**
 * Drives conversations through the proxy while `fault` runs: at least `options.conversations`, and
 * new ones keep starting until the fault is over, so that it always lands under load. The fault
 * begins once a few replies have come back.
 */
async function underLoad(
  name: ProdScenarioName,
  stack: ProdStack,
  store: Store,
  options: ProdChaosOptions,
  fault?: (say: (line: string) => void) => Promise<Omit<FaultWindow, 'start'>>,
): Promise<ScenarioResult & { latency: string }> {
  const driver = new ChaosDriver({
    apiUrl: stack.proxyUrl,
    apiKey: stack.apiKey,
    customerToken: (id) => conversationTokenFor(id, { tokenSecret: stack.tokenSecret }),
  });
  const tag = `${name}-${Date.now().toString(36)}`;
  const conversations: DrivenConversation[] = [];
  let faultOver = fault === undefined;
  let next = 0;
  const lane = async () => {
    while (next < options.conversations || !faultOver) {
      const index = next;
      next += 1;
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
          expectedOutcome: flow === 'reset-bot' ? 'resolved_by_bot' : 'resolved_by_agent',
          expectsTicket: flow !== 'reset-bot',
          completed: false,
          error: String(error),
        });
        continue;
      }
      conversations.push(conversation);
      await driver.run(conversation, async (c) => {
        await driver.firstTurn(c);
        await driver.finish(c);
      });
    }
  };
  const load = Promise.all(Array.from({ length: options.concurrency }, lane));
  let window: FaultWindow | undefined;
  if (fault) {
    while (driver.replies.length < options.concurrency) await sleep(100);
    const start = Date.now();
    try {
      window = { start, ...(await fault(options.say)) };
    } finally {
      faultOver = true;
    }
  }
  await load;
  const counted = await tally(driver, store, conversations);
  const notes = [...(window?.notes ?? [])];
  if (window?.answered) {
    const { from, to, label } = window.answered;
    const within = driver.replies.filter((r) => r.at + r.ms >= from && r.at + r.ms <= to);
    notes.push(`${label}: ${describeLatency(within).replace(/^all /, '')}`);
  }
  if (driver.retries > 0) notes.push(`requests sent again: ${describeRetries(driver)}`);
  notes.push(...counted.failures.slice(0, 10));
  const described = describeLatency(driver.replies, window);
  notes.push(`reply times: ${described}`);
  return {
    name: `prod-${name}`,
    ok: lossless(counted),
    tally: counted,
    extra: {
      retries: driver.retries,
      ...(window && { faultSeconds: Math.round((window.end - window.start) / 100) / 10 }),
      ...window?.extra,
    },
    notes,
    latency: described,
  };
}

/** Starts the production-shaped stack in a temporary directory, runs the scenarios, stops it. */
export async function runProdChaos(options: ProdChaosOptions): Promise<ScenarioResult[]> {
  const build = findTemporalBuild();
  if ('missing' in build)
    throw new Error(`--topology prod needs the Temporal server: ${build.missing} (bash scripts/stack-prod-setup.sh)`);
  const dir = mkdtempSync(join(tmpdir(), 'baton-chaos-prod-'));
  // PostgreSQL runs as its own user when this runs as root: it must reach its data directory.
  chmodSync(dir, 0o755);
  const { say } = options;
  let netns: WorkerNetns | undefined;
  if (options.only.includes('partition')) {
    const why = netnsUnavailable();
    if (why) say(`partition: not run, ${why}`);
    else netns = createWorkerNetns();
  }
  say('starting the production-shaped stack (Temporal server on PostgreSQL, 2 workers, 2 APIs, HAProxy)…');
  const stack = await startProdStack({
    dataDir: dir,
    ...(netns && { isolatedWorker: netns }),
    build,
    ports: await freeProdPorts(),
    namespace: 'baton-chaos',
    retentionDays: 1,
    db: 'baton_chaos_prod',
    taskQueue: 'baton-chaos',
    // One driver plays every customer from one address.
    env: { BATON_RATE_LIMIT_PER_MINUTE: '0', BATON_TOKEN_RATE_LIMIT_PER_MINUTE: '0', BATON_LOGIN_RATE_LIMIT: '0' },
    progress: (line) => say(`stack: ${line.trim()}`),
    ...(options.log && { log: options.log }),
  }).catch((error: unknown) => {
    netns?.remove();
    throw error;
  });
  const store = await connectStore(stack.mongoUri, stack.db);
  const { faults } = stack;
  const results: ScenarioResult[] = [];
  const wanted = (name: ProdScenarioName) => options.only.includes(name);
  const record = (result: ScenarioResult) => {
    results.push(result);
    console.log(formatResult(result));
    for (const note of result.notes) console.log(`  ${note}`);
  };
  /** After a fault on Temporal's side: a worker or the server that gave up is started again, and counted. */
  const revive = async (extra: Record<string, number>) => {
    for (const index of [0, 1])
      if (stack.workers[index]?.exitInfo()) {
        await faults.startWorker(index);
        extra.workerRestarts = (extra.workerRestarts ?? 0) + 1;
      }
    for (const index of [0, 1])
      if (stack.apis[index]?.exitInfo()) {
        await faults.startApi(index);
        extra.apiRestarts = (extra.apiRestarts ?? 0) + 1;
      }
  };
  try {
    if (wanted('baseline')) {
      say(`baseline: ${options.conversations} conversations, no fault`);
      record(await underLoad('baseline', stack, store, options));
    }
    if (wanted('worker-kill')) {
      say(`worker-kill: worker 1 SIGKILLed ${options.kills} times under load`);
      record(
        await underLoad('worker-kill', stack, store, options, async (tell) => {
          const restartSeconds: number[] = [];
          for (let kill = 1; kill <= options.kills; kill += 1) {
            if (kill > 1) await sleep(between(1_000, 4_000));
            await faults.killWorker(0);
            tell(`worker 1 killed (${kill}/${options.kills})`);
            await sleep(between(200, 1_500));
            const restarting = Date.now();
            await faults.startWorker(0);
            restartSeconds.push((Date.now() - restarting) / 1000);
          }
          const slowest = Math.max(...restartSeconds);
          return {
            end: Date.now(),
            extra: { kills: options.kills },
            notes: [
              `worker 1 ready again after each kill in ${restartSeconds.map((s) => s.toFixed(1)).join(', ')} s (slowest ${slowest.toFixed(1)} s)`,
            ],
          };
        }),
      );
    }
    if (wanted('api-kill')) {
      say(`api-kill: API 1 SIGKILLed under load, started again after ${options.apiDownMs / 1000} s`);
      record(
        await underLoad('api-kill', stack, store, options, async (tell) => {
          await faults.killApi(0);
          tell('API 1 killed');
          await sleep(options.apiDownMs);
          await faults.startApi(0);
          tell('API 1 started again');
          return { end: Date.now(), extra: { kills: 1 }, notes: [] };
        }),
      );
    }
    if (wanted('temporal-restart')) {
      say(`temporal-restart: the Temporal server down ${options.temporalDownMs / 1000} s under load`);
      record(
        await underLoad('temporal-restart', stack, store, options, async (tell) => {
          await faults.stopTemporal();
          tell('Temporal server stopped');
          await sleep(options.temporalDownMs);
          await faults.startTemporal();
          tell('Temporal server started again');
          const extra: Record<string, number> = {};
          await revive(extra);
          return { end: Date.now(), extra, notes: [] };
        }),
      );
    }
    if (wanted('postgres-restart')) {
      say(`postgres-restart: PostgreSQL down ${options.postgresDownMs / 1000} s under load`);
      record(
        await underLoad('postgres-restart', stack, store, options, async (tell) => {
          await faults.stopPostgres();
          tell('PostgreSQL stopped');
          await sleep(options.postgresDownMs);
          await faults.startPostgres();
          tell('PostgreSQL started again');
          const extra: Record<string, number> = { temporalRestarts: 0 };
          // The Temporal server keeps retrying its database; it is started again only if it gave up.
          await sleep(2_000);
          if (!faults.temporalRunning()) {
            await faults.startTemporal();
            extra.temporalRestarts = 1;
          }
          await revive(extra);
          return { end: Date.now(), extra, notes: [] };
        }),
      );
    }
    if (wanted('partition') && netns) {
      const cut = netns;
      say(`partition: worker 2 (${cut.nsAddress}, namespace ${cut.name}) cut off for ${options.partitionMs / 1000} s`);
      record(
        await underLoad('partition', stack, store, options, async (tell) => {
          const worker2 = stack.workers[1];
          cut.partition();
          const start = Date.now();
          tell(`every packet between worker 2 and ${cut.hostAddress} (Temporal server, store) dropped`);
          await sleep(options.partitionMs);
          cut.heal();
          tell('partition healed');
          const extra: Record<string, number> = { partitionSeconds: options.partitionMs / 1000 };
          const exited = worker2?.exitInfo();
          await revive(extra);
          return {
            end: Date.now(),
            extra,
            notes: [
              `worker 2 ${exited ? `exited during the partition (${exited.code ?? exited.signal}) and was started again` : 'stayed up through the partition'}`,
            ],
            answered: { from: start, to: start + options.partitionMs, label: 'replies answered while partitioned' },
          };
        }),
      );
    }
  } finally {
    netns?.heal();
    await store.close().catch(() => undefined);
    await stack.stop();
    netns?.remove();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
