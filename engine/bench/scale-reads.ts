/**
 * `npm run bench:scale -- --reads --stored N`: the reads agents and managers make all day, timed
 * through the real HTTP API over a store that already holds N conversations (docs/performance.md
 * "## Scaling").
 *
 *   --stored N      conversations in the store (default 10000)
 *   --times N       inbox stream reads timed (default 200: a p99 of 50 reads is their maximum; overlay reads as many, filtered reads at most 20)
 *   --metrics-times N  dashboard metrics reads timed (default 3)
 *   --batch N       documents per insertMany while filling (default 1000)
 *   --api-cpu-prof DIR  the API process writes a V8 CPU profile of its life there (node --cpu-prof)
 *
 * The store is filled through the fast path, not by running workflows: conversation projections
 * written directly in their stored form (as `saveConversation` writes them) and their read models
 * computed by the store's own projection function (`writeReadModels`), in bulk. Mixed states: about
 * 2 % with a ticket pending or open, 0.5 % still with the bot, 10 % handed off and resolved, the rest
 * ended by the bot (some abandoned), started over the last 60 days, on every example journey
 * (version 1 of each).
 * Runs on a stack of its own (engine/chaos/stack.ts): FerretDB on SQLite, or with MONGODB_URI set the
 * server there (a real MongoDB), in a database of the run's own that is dropped at the end.
 * The reads go to an API of their own process (engine/server/src/api/main.ts, as in production),
 * started once the store is filled: its resident memory (RSS, and its peak, VmHWM) and its
 * garbage-collection pauses (`--trace-gc`) during the reads are the API's, not the bench's.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Document } from 'mongodb';
import { freePort, repoRoot, spawnManaged, type ManagedProcess } from '@baton/cli/services';
import { startChaosStack, publishExamples, type ChaosStack } from '../chaos/stack';
import {
  computeMetrics,
  conversationRecordOf,
  encodeValue,
  rebuildMeasures,
  writeReadModels,
  type ConversationSnapshot,
  type ProjectionFields,
  type Store,
} from '@baton/store';

const dayMs = 86_400_000;
const say = (line: string) => console.log(`[scale-reads ${new Date().toISOString().slice(11, 19)}] ${line}`);
const mb = (bytes: number | undefined) => (bytes === undefined ? 'n/a' : `${Math.round(bytes / 1024 / 1024)} MB`);

/** A process's resident memory now (VmRSS), or at its peak so far (VmHWM), from /proc. */
function rss(pid: number | undefined, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Garbage-collection pauses the API process reported (`--trace-gc`). */
interface GcTally {
  scavenges: number;
  scavengeMs: number;
  fullGcs: number;
  fullGcMs: number;
  maxMs: number;
}

const gcLine = /: (Scavenge|Mark-Compact|Mark-Sweep|Minor Mark-Sweep)\b[^,]*MB, ([\d.]+) \/ [\d.]+ ms/;

/**
 * The API as its own process on the stack's servers (engine/server/src/api/main.ts, as docker-compose
 * and production run it), with `--trace-gc`; the per-IP limit off (one client reads all day here).
 */
async function startApiProcess(
  stack: ChaosStack,
  cpuProfDir?: string,
): Promise<{ url: string; api: ManagedProcess; gc: GcTally }> {
  const port = await freePort();
  const gc: GcTally = { scavenges: 0, scavengeMs: 0, fullGcs: 0, fullGcMs: 0, maxMs: 0 };
  const api = spawnManaged(
    'api',
    process.execPath,
    [
      '--trace-gc',
      ...(cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : []),
      '--require',
      require.resolve('tsx/cjs'),
      join(repoRoot(), 'engine/server/src/api/main.ts'),
    ],
    {
      cwd: repoRoot(),
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: stack.temporalAddress,
        TEMPORAL_NAMESPACE: 'default',
        MONGODB_URI: stack.mongoUri,
        BATON_DB: stack.db,
        BATON_TASK_QUEUE: stack.taskQueue,
        BATON_API_HOST: '127.0.0.1',
        BATON_API_PORT: String(port),
        BATON_RATE_LIMIT_PER_MINUTE: '0',
        BATON_LOG_LEVEL: 'warn',
      },
      log: (line) => {
        const match = gcLine.exec(line);
        if (!match) return;
        const ms = Number(match[2]);
        if (match[1] === 'Scavenge') {
          gc.scavenges += 1;
          gc.scavengeMs += ms;
        } else {
          gc.fullGcs += 1;
          gc.fullGcMs += ms;
        }
        gc.maxMs = Math.max(gc.maxMs, ms);
      },
    },
  );
  if (!(await api.waitForOutput(/api listening on/, 180_000))) {
    await api.stop();
    throw new Error(`the API process did not start:\n${api.output.toString()}`);
  }
  return { url: `http://127.0.0.1:${port}`, api, gc };
}

async function directTimes(label: string, times: number, read: () => Promise<unknown>): Promise<void> {
  const ms: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const started = performance.now();
    await read();
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  say(
    `${label}: p50 ${percentile(ms, 50).toFixed(0)} ms, max ${(ms[ms.length - 1] ?? 0).toFixed(0)} ms (${times} reads)`,
  );
}

function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** A deterministic pseudo-random sequence (the same store for the same N). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

interface JourneyNodes {
  id: string;
  version: number;
  nodes: string[];
}

/** The i-th stored conversation: its view as the interpreter would hand it to the projection. */
function conversation(i: number, journey: JourneyNodes, now: number, next: () => number): ConversationSnapshot {
  const roll = next();
  const kind =
    roll < 0.015 ? 'pending' : roll < 0.02 ? 'open' : roll < 0.025 ? 'bot' : roll < 0.125 ? 'resolved' : 'ended';
  const startedAt = Math.floor(now - next() * 60 * dayMs);
  const turns = 2 + Math.floor(next() * 6);
  const transcript = Array.from({ length: turns }, (_, n) => ({
    seq: n + 1,
    from: n % 2 === 0 ? 'customer' : 'bot',
    text: n % 2 === 0 ? `I need help with my account, message ${n + 1}` : `Here is what you can do (${n + 1}).`,
    at: startedAt + n * 20_000,
  }));
  const steps = journey.nodes.slice(0, 2 + Math.floor(next() * Math.max(1, journey.nodes.length - 2)));
  const path = steps.map((nodeId, n) => ({
    nodeId,
    type: 'ask',
    at: startedAt + n * 20_000,
    ...(n < steps.length - 1 && { handle: 'next' }),
  }));
  const last = startedAt + turns * 20_000;
  const ended = kind === 'ended' || kind === 'resolved';
  const agent = { id: `agent-${i % 12}`, name: `Agent ${i % 12}` };
  const handoffs =
    kind === 'pending' || kind === 'open' || kind === 'resolved'
      ? [
          {
            ticketId: `t-${i}`,
            nodeId: steps[steps.length - 1] ?? 'handoff',
            queue: ['accounts', 'billing', 'tech'][i % 3] as string,
            priority: ['low', 'normal', 'high', 'urgent'][i % 4] as string,
            reason: 'asked for a human',
            openedAt: last - 10_000,
            ...(kind !== 'pending' && { claimedBy: agent, claimedAt: last - 5_000 }),
            ...(kind === 'resolved' && { resolvedAt: last }),
          },
        ]
      : [];
  return {
    conversationId: `bench-${String(i).padStart(7, '0')}`,
    channel: 'web',
    journey: { id: journey.id, version: journey.version, hash: 'bench' },
    status: ended ? 'ended' : 'active',
    nodeId: ended ? null : (steps[steps.length - 1] ?? null),
    waiting: null,
    vars: {},
    customer: { id: `customer-${i}`, name: `Customer ${i}`, email: `customer${i}@example.com` },
    intent: { name: 'reset_password', confidence: 0.9 },
    sentiment: { score: 0, label: 'neutral', history: [0] },
    counters: { turns, failures: 0, lowConfidence: 0, visits: {} },
    lastMessage: transcript[turns - 1]?.text ?? '',
    transcript,
    path,
    handoffs,
    survey:
      ended && next() < 0.3 ? { csat: 1 + Math.floor(next() * 5), ces: 1 + Math.floor(next() * 7), at: last } : null,
    outcome: ended ? (kind === 'resolved' ? 'handed_off' : next() < 0.2 ? 'abandoned' : 'resolved_by_bot') : null,
    startedAt,
    endedAt: ended ? last : null,
    updatedAt: last,
  } as unknown as ConversationSnapshot;
}

/** Writes N conversations (tickets for their handoffs, survey answers) and their read models in bulk. */
async function fill(store: Store, count: number, batch: number, journeys: JourneyNodes[]): Promise<void> {
  const now = Date.now();
  const next = random(count);
  const db = store.collection('conversations').db;
  const projections: ProjectionFields[] = [];
  for (let start = 0; start < count; start += batch) {
    const docs: Document[] = [];
    const tickets: Document[] = [];
    const surveys: Document[] = [];
    for (let i = start; i < Math.min(count, start + batch); i += 1) {
      const view = conversation(i, journeys[i % journeys.length] as JourneyNodes, now, next);
      const record = conversationRecordOf(view);
      const doc = {
        ...(encodeValue(record) as Document),
        _id: record.conversationId,
        transcriptLength: record.transcript.length,
      };
      docs.push(doc);
      // What the read models need of it (the transcript's last entry only: memory stays small).
      projections.push({ ...(doc as ProjectionFields), transcript: record.transcript.slice(-1) });
      for (const handoff of record.handoffs)
        tickets.push({
          _id: handoff.ticketId,
          ticketId: handoff.ticketId,
          conversationId: record.conversationId,
          journey: { id: record.journeyId, version: record.version },
          queue: handoff.queue,
          priority: handoff.priority,
          status: handoff.resolvedAt ? 'resolved' : handoff.claimedAt ? 'open' : 'pending',
          assignee: handoff.claimedBy ?? null,
          openedAt: handoff.openedAt,
          claimedAt: handoff.claimedAt ?? null,
          resolvedAt: handoff.resolvedAt ?? null,
          customer: record.customer,
          transcript: record.transcript,
          feedback: null,
        });
      // The survey answers as the follow-up records them (`surveys`, read by the dashboard's CES/CSAT).
      const survey = record.survey as { ces?: number; csat?: number; at?: number } | null;
      if (survey)
        surveys.push({
          _id: record.conversationId,
          conversationId: record.conversationId,
          journey: { id: record.journeyId, version: record.version },
          customerId: record.customer.id,
          ...(survey.ces !== undefined && { ces: survey.ces }),
          ...(survey.csat !== undefined && { csat: survey.csat }),
          at: survey.at ?? record.updatedAt,
        });
    }
    await db.collection('conversations').insertMany(docs, { ordered: false });
    if (tickets.length > 0) await db.collection('tickets').insertMany(tickets, { ordered: false });
    if (surveys.length > 0) await db.collection('surveys').insertMany(surveys, { ordered: false });
    if ((start / batch) % 10 === 9) say(`  ${start + batch} conversations written, load ${loadavg()[0]?.toFixed(2)}`);
  }
  await writeReadModels(db, projections, { batch, now });
  // The dashboard's ticket and survey measures, as the read models' rebuild writes them.
  await rebuildMeasures(db, batch);
}

async function timed(label: string, times: number, url: string, apiKey: string): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const started = performance.now();
    const response = await fetch(url, { headers: { authorization: `Bearer ${apiKey}` } });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${label}: HTTP ${response.status}`);
    ms.push(performance.now() - started);
  }
  const sorted = [...ms].sort((a, b) => a - b);
  // Which reads were the slowest (1 = the first): a cold start, or spread over the run.
  const slowest = ms
    .map((value, index) => [value, index + 1] as const)
    .sort((a, b) => b[0] - a[0])
    .slice(0, 3)
    .map(([value, at]) => `#${at} ${value.toFixed(0)} ms`);
  say(
    `${label}: p50 ${percentile(sorted, 50).toFixed(0)} ms, p99 ${percentile(sorted, 99).toFixed(0)} ms, max ${(sorted[sorted.length - 1] ?? 0).toFixed(0)} ms (${times} reads; slowest ${slowest.join(', ')})`,
  );
  return sorted;
}

export async function runReads(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv.filter((arg) => arg !== '--reads'),
    options: {
      stored: { type: 'string', default: '10000' },
      times: { type: 'string', default: '200' },
      batch: { type: 'string', default: '1000' },
      'metrics-times': { type: 'string', default: '3' },
      'api-cpu-prof': { type: 'string' },
    },
  });
  const count = Number(values.stored);
  const times = Number(values.times);
  const batch = Number(values.batch);
  const metricsTimes = Number(values['metrics-times']);
  for (const [flag, value] of [
    ['stored', count],
    ['times', times],
    ['batch', batch],
    ['metrics-times', metricsTimes],
  ] as const)
    if (!Number.isInteger(value) || value < (flag === 'metrics-times' ? 0 : 1))
      throw new Error(`--${flag} must be a whole number${flag === 'metrics-times' ? '' : ' above 0'}`);

  // MONGODB_URI: the store on that server (a real MongoDB), in a database of the run's own, dropped after.
  const externalMongoUri = process.env.MONGODB_URI || undefined;
  say(
    `starting a local stack (Temporal dev server, ${externalMongoUri ? 'the store at MONGODB_URI' : 'FerretDB'}, worker process; the filling API in this process)…`,
  );
  const stack = await startChaosStack({ ...(externalMongoUri && { externalMongoUri }) });
  try {
    const published = await publishExamples(stack.store);
    const journeys: JourneyNodes[] = [];
    for (const id of published.map((entry) => entry.split('@')[0] as string)) {
      const first = await stack.store.getVersion(id);
      if (!first) continue;
      journeys.push({ id, version: first.version, nodes: Object.keys(first.compiled.nodes) });
    }
    say(
      `store: ${stack.store.server.description}; journeys: ${journeys.map((j) => `${j.id}@${j.version}`).join(', ')}`,
    );
    const restWorker = rss(stack.workerPid());
    const fillStarted = performance.now();
    say(`filling ${count} conversations through the fast path (insertMany of ${batch})…`);
    await fill(stack.store, count, batch, journeys);
    const fillMs = performance.now() - fillStarted;
    say(
      `filled in ${(fillMs / 1000).toFixed(1)} s (${(count / (fillMs / 1000)).toFixed(0)}/s), load ${loadavg()[0]?.toFixed(2)}`,
    );
    if (metricsTimes > 0) {
      // The dashboard's store part (the read models' figures of the last 30 days), without HTTP.
      const dashboard: number[] = [];
      for (let i = 0; i < metricsTimes; i += 1) {
        const started = performance.now();
        const to = Date.now();
        await computeMetrics(stack.store, { from: to - 30 * dayMs, to, reopenWindowMs: 72 * 3_600_000 });
        dashboard.push(performance.now() - started);
      }
      dashboard.sort((a, b) => a - b);
      say(`store computeMetrics, 30 days: p50 ${percentile(dashboard, 50).toFixed(0)} ms (${metricsTimes} reads)`);
    }

    // The store's parts of the stream's read, from this process, without HTTP and the API's work.
    const models = stack.store.readModels;
    await directTimes('store read of 200 open items', 20, () => models.inboxItems(true, 200));
    await directTimes('store read of the counters', 20, () => models.counters());
    await directTimes("store read of one agent's open tickets", 20, () =>
      models.openItems({ assignee: 'agent-1' }, 200, () => true),
    );

    say('starting the API in a process of its own for the reads…');
    const { url: api, api: apiProcess, gc } = await startApiProcess(stack, values['api-cpu-prof']);
    const apiPid = apiProcess.child.pid;
    const restApi = rss(apiPid);
    Object.assign(gc, { scavenges: 0, scavengeMs: 0, fullGcs: 0, fullGcMs: 0, maxMs: 0 });
    try {
      await readAll(api, stack.apiKey, journeys, times, metricsTimes);
      say(
        `API process GC during the reads: ${gc.scavenges} scavenges (${gc.scavengeMs.toFixed(0)} ms), ${gc.fullGcs} full (${gc.fullGcMs.toFixed(0)} ms), longest pause ${gc.maxMs.toFixed(1)} ms`,
      );
      say(
        `RSS: API (its own process) ${mb(restApi)} at rest → ${mb(rss(apiPid))} after the reads (peak ${mb(rss(apiPid, 'VmHWM'))}); worker ${mb(restWorker)} → ${mb(rss(stack.workerPid()))}; load ${loadavg()
          .map((v) => v.toFixed(2))
          .join(' ')}`,
      );
    } finally {
      await apiProcess.stop(60_000);
    }
  } finally {
    await stack.stop();
  }
}

/** The timed reads, over HTTP, with an admin API key. */
async function readAll(
  api: string,
  key: string,
  journeys: readonly JourneyNodes[],
  times: number,
  metricsTimes: number,
): Promise<void> {
  const few = Math.min(times, 20);
  // A running API is warm: 10 untimed reads first (the first one also starts the inbox's repair pass).
  for (let i = 0; i < 10; i += 1)
    await (await fetch(`${api}/api/inbox/items`, { headers: { authorization: `Bearer ${key}` } })).arrayBuffer();
  await timed('inbox stream GET /api/inbox/items', times, `${api}/api/inbox/items`, key);
  await timed('inbox, pending only', few, `${api}/api/inbox/items?status=pending`, key);
  await timed('inbox, one agent', few, `${api}/api/inbox/items?assignee=agent-1`, key);
  await timed('inbox, one queue', few, `${api}/api/inbox/items?queue=billing`, key);
  const first = journeys[0];
  if (first) await timed('overlay', times, `${api}/api/journeys/${first.id}/versions/${first.version}/overlay`, key);
  await timed('prometheus /metrics', few, `${api}/metrics`, key);
  if (metricsTimes > 0) await timed('dashboard GET /api/metrics (30 days)', metricsTimes, `${api}/api/metrics`, key);
  // Last: whole tickets with their transcripts, read from the tickets (the API's largest garbage here).
  await timed('tickets GET /api/inbox?status=pending', few, `${api}/api/inbox?status=pending`, key);
  await timed('tickets GET /api/inbox (every status)', few, `${api}/api/inbox`, key);
}
