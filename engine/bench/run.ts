/**
 * `npm run bench`: the interpreter against hand-written Temporal code, on the local stack
 * (Temporal dev server, Mongo-wire server, a real worker with Baton's activities), every figure
 * a ratio of two things measured in this same run. Shared machines are noisy: read ratios, not
 * absolute numbers, and run it twice before believing a change.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { NativeConnection, Runtime, bundleWorkflowCode, makeTelemetryFilterString } from '@temporalio/worker';
import { exampleActivities } from '@baton/examples';
import { createBatonWorker } from '@baton/worker';
import { compileJourney } from '@baton/core/compiler';
import type { AddressInfo } from 'node:net';
import { BackgroundWork, createApp } from '@baton/server/api';
import { createLogger } from '@baton/server/api/logger';
import { Conversations } from '@baton/server/client';
import { connectStore } from '@baton/store';
import { repoRoot, startMongoWire, startTemporalDevServer } from '@baton/cli/services';
import { customerMessageUpdate, openedUpdate, surveyUpdate } from '@baton/workflow/definitions';
import type { CompiledJourney } from '@baton/schemas';

const conversationsPerRound = Number(process.env.BENCH_CONVERSATIONS || 40);
const concurrency = Number(process.env.BENCH_CONCURRENCY || 8);
const rounds = Number(process.env.BENCH_ROUNDS || 2);
const latencySamples = Number(process.env.BENCH_LATENCY_SAMPLES || 200);
/** `BENCH_PARTS=latency`: only the reply latencies (the throughput rounds skipped). */
const onlyLatency = process.env.BENCH_PARTS === 'latency';
/** The HTTP route's samples go to a new conversation every this many messages (a support conversation's length). */
const messagesPerApiConversation = Number(process.env.BENCH_API_MESSAGES || 10);
const taskQueue = 'bench';

function compile(file: string): CompiledJourney {
  const result = compileJourney(JSON.parse(readFileSync(join(repoRoot(), file), 'utf8')));
  if (!result.ok) throw new Error(`${file} does not compile: ${JSON.stringify(result.diagnostics)}`);
  return result.journey;
}

/** A journey that answers every message: with a rule only (pure interpreter cost), or with the embedded classifier. */
function echoJourney(withClassifier: boolean): CompiledJourney {
  const understand = withClassifier
    ? {
        id: 'understand',
        type: 'classify',
        position: { x: 0, y: 0 },
        data: { intents: [{ name: 'greeting', examples: ['hello', 'hi there'] }], minConfidence: 0.3 },
      }
    : {
        id: 'understand',
        type: 'condition',
        position: { x: 0, y: 0 },
        data: { rules: [{ id: 'greeting', when: { in: ['hello', { var: 'said' }] } }] },
      };
  const result = compileJourney({
    schemaVersion: 1,
    id: 'bench-echo',
    name: 'Echo',
    variables: { said: { type: 'string' } },
    nodes: [
      { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: {} },
      {
        id: 'listen',
        type: 'ask',
        position: { x: 0, y: 0 },
        data: { prompt: 'Say something', variable: 'said', timeoutSeconds: 3600 },
      },
      understand,
      { id: 'answer', type: 'message', position: { x: 0, y: 0 }, data: { text: 'You said {{said}}' } },
      { id: 'bye', type: 'end', position: { x: 0, y: 0 }, data: { outcome: 'abandoned' } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourceHandle: 'next', target: 'listen' },
      { id: 'e2', source: 'listen', sourceHandle: 'reply', target: 'understand' },
      { id: 'e3', source: 'listen', sourceHandle: 'timeout', target: 'bye' },
      { id: 'e4', source: 'understand', sourceHandle: 'greeting', target: 'answer' },
      { id: 'e5', source: 'understand', sourceHandle: withClassifier ? 'fallback' : 'else', target: 'answer' },
      { id: 'e6', source: 'answer', sourceHandle: 'next', target: 'listen' },
    ],
  });
  if (!result.ok) throw new Error(`echo journey does not compile: ${JSON.stringify(result.diagnostics)}`);
  return result.journey;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function pool(count: number, parallel: number, job: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        const index = next;
        next += 1;
        await job(index);
      }
    }),
  );
}

const customer = (i: number) => ({ id: `cust-${i}`, name: 'Ana', email: `ana${i}@example.com` });

async function main(): Promise<void> {
  Runtime.install({
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }) } },
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
  });
  const dir = mkdtempSync(join(tmpdir(), 'baton-bench-'));
  const temporal = await startTemporalDevServer({ uiPort: false });
  const mongo = await startMongoWire({ dataDir: join(dir, 'mongo') });
  const store = await connectStore(mongo.uri, 'baton_bench');
  const bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('./workflows'),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error },
  });
  const nativeConnection = await NativeConnection.connect({ address: temporal.address });
  const worker = await createBatonWorker({
    connection: nativeConnection,
    taskQueue,
    store,
    definitions: exampleActivities,
    workflowBundle: bundle,
    registerCatalog: false,
  });
  const running = worker.run();
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection });
  const conversations = new Conversations(client, taskQueue);
  const passwordReset = compile('examples/password-reset/journey.json');

  // One happy-path conversation each way: greeting, "I forgot my password", "yes it worked", survey.
  const viaInterpreter = async (id: string, i: number) => {
    await conversations.start({
      conversationId: id,
      journey: passwordReset,
      customer: customer(i),
      variables: {},
      channel: 'bench',
    });
    await conversations.sendMessage(id, { clientMessageId: 'm1', text: 'I forgot my password' });
    await conversations.sendMessage(id, { clientMessageId: 'm2', text: 'yes it worked, thanks' });
    await conversations.answerSurvey(id, { ces: 6, csat: 5 });
    const outcome = ((await client.workflow.getHandle(id).result()) as { outcome: string }).outcome;
    if (outcome !== 'resolved_by_bot') throw new Error(`interpreter conversation ${id} ended ${outcome}`);
  };
  const viaHandwritten = async (id: string, i: number) => {
    const start = new WithStartWorkflowOperation('handwrittenPasswordReset', {
      workflowId: id,
      taskQueue,
      args: [{ conversationId: id, customer: customer(i) }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    await client.workflow.executeUpdateWithStart(openedUpdate, { startWorkflowOperation: start, args: [] });
    const handle = client.workflow.getHandle(id);
    await handle.executeUpdate(customerMessageUpdate, {
      args: [{ clientMessageId: 'm1', text: 'I forgot my password' }],
      updateId: 'customer:m1',
    });
    await handle.executeUpdate(customerMessageUpdate, {
      args: [{ clientMessageId: 'm2', text: 'yes it worked, thanks' }],
      updateId: 'customer:m2',
    });
    await handle.executeUpdate(surveyUpdate, { args: [{ ces: 6, csat: 5 }] });
    const outcome = await handle.result();
    if (outcome !== 'resolved_by_bot') throw new Error(`hand-written conversation ${id} ended ${String(outcome)}`);
  };

  // Warm up both paths (bundle load, caches, JIT).
  await pool(concurrency, concurrency, (i) => viaInterpreter(`warm-i-${i}`, i));
  await pool(concurrency, concurrency, (i) => viaHandwritten(`warm-h-${i}`, i));

  const totals = { interpreter: { ms: 0, n: 0 }, handwritten: { ms: 0, n: 0 } };
  for (let round = 0; round < (onlyLatency ? 0 : rounds); round += 1) {
    for (const [name, run] of [
      ['interpreter', viaInterpreter],
      ['handwritten', viaHandwritten],
    ] as const) {
      const began = performance.now();
      await pool(conversationsPerRound, concurrency, (i) => run(`${name}-${round}-${i}`, i));
      totals[name].ms += performance.now() - began;
      totals[name].n += conversationsPerRound;
    }
  }
  const rate = (t: { ms: number; n: number }) => (t.n / t.ms) * 1000;
  const interpreterRate = rate(totals.interpreter);
  const handwrittenRate = rate(totals.handwritten);

  const historyLength = async (id: string) => (await client.workflow.getHandle(id).fetchHistory()).events?.length ?? 0;
  const interpreterEvents = await historyLength(onlyLatency ? 'warm-i-0' : 'interpreter-0-0');
  const handwrittenEvents = await historyLength(onlyLatency ? 'warm-h-0' : 'handwritten-0-0');

  // The same message through the HTTP API's route (what the widget waits for), and until the
  // conversation's read model is written after it (the route's work after its answer).
  const background = new BackgroundWork();
  const app = createApp({
    store,
    conversations,
    catalog: () => [],
    auth: false,
    identity: false,
    security: false,
    background,
    logger: createLogger({ level: 'silent' }),
  });
  const api = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => api.once('listening', resolve));
  const apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;

  // Message → reply latency against a bare Update doing the same non-interpreter work, interleaved so both see the same machine.
  const latency = async (withClassifier: boolean) => {
    const echoId = `latency-echo-${withClassifier}`;
    await conversations.start({
      conversationId: echoId,
      journey: echoJourney(withClassifier),
      customer: customer(0),
      variables: {},
      channel: 'bench',
    });
    const bareHandle = await client.workflow.start('bareUpdateWorkflow', {
      workflowId: `latency-bare-${withClassifier}`,
      taskQueue,
      args: [{ classify: withClassifier }],
    });
    // Through the API, conversations of a support conversation's length: a new one every few messages.
    let apiId = '';
    const echo: number[] = [];
    const bare: number[] = [];
    const viaApi: number[] = [];
    const projected: number[] = [];
    for (let i = 0; i < latencySamples; i += 1) {
      if (i % messagesPerApiConversation === 0) {
        if (apiId) await client.workflow.getHandle(apiId).terminate('benchmark done');
        apiId = `latency-api-${withClassifier}-${i}`;
        await conversations.start({
          conversationId: apiId,
          journey: echoJourney(withClassifier),
          customer: customer(0),
          variables: {},
          channel: 'bench',
        });
        await background.settled();
      }
      let began = performance.now();
      const answer = await fetch(`${apiUrl}/api/conversations/${apiId}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ clientMessageId: `a${i}`, text: `hello ${i}` }),
      });
      if (answer.status !== 201) throw new Error(`the message route answered ${answer.status}`);
      await answer.json();
      viaApi.push(performance.now() - began);
      await background.settled();
      projected.push(performance.now() - began);
      began = performance.now();
      await conversations.sendMessage(echoId, { clientMessageId: `l${i}`, text: `hello ${i}` });
      echo.push(performance.now() - began);
      began = performance.now();
      await bareHandle.executeUpdate(customerMessageUpdate, {
        args: [{ clientMessageId: `b${i}`, text: `hello ${i}` }],
      });
      bare.push(performance.now() - began);
    }
    await bareHandle.executeUpdate(customerMessageUpdate, { args: [{ clientMessageId: 'bye', text: 'bye' }] });
    // What the samples left in the echo conversation's history (each Update's answer is kept in it).
    const historyBytes = (await client.workflow.getHandle(echoId).describe()).historySize;
    await client.workflow.getHandle(echoId).terminate('benchmark done');
    const apiHistoryBytes = (await client.workflow.getHandle(apiId).describe()).historySize;
    await client.workflow.getHandle(apiId).terminate('benchmark done');
    const ms = (values: number[], p: number) => +percentile(values, p).toFixed(2);
    return {
      api: { p50: ms(viaApi, 50), p99: ms(viaApi, 99) },
      apiProjected: { p50: ms(projected, 50), p99: ms(projected, 99) },
      interpreter: { p50: ms(echo, 50), p99: ms(echo, 99) },
      bareUpdate: { p50: ms(bare, 50), p99: ms(bare, 99) },
      ratioP50: +(percentile(echo, 50) / percentile(bare, 50)).toFixed(3),
      ratioP99: +(percentile(echo, 99) / percentile(bare, 99)).toFixed(3),
      historyKB: historyBytes === undefined ? null : Math.round(historyBytes / 1024),
      apiHistoryKB: apiHistoryBytes === undefined ? null : Math.round(apiHistoryBytes / 1024),
    };
  };
  const ruleReply = await latency(false);
  const classifiedReply = await latency(true);
  await new Promise((resolve) => api.close(resolve));

  const figures = {
    conversations: totals.interpreter.n,
    concurrency,
    throughput: {
      interpreter: +interpreterRate.toFixed(2),
      handwritten: +handwrittenRate.toFixed(2),
      ratio: +(interpreterRate / handwrittenRate).toFixed(3),
    },
    historyEvents: {
      interpreter: interpreterEvents,
      handwritten: handwrittenEvents,
      ratio: +(interpreterEvents / handwrittenEvents).toFixed(3),
    },
    replyLatencyMs: { rule: ruleReply, classify: classifiedReply },
  };
  console.log('\nBaton benchmark (password-reset happy path; ratios are interpreter / hand-written or bare)');
  console.log(
    `  throughput      interpreter ${figures.throughput.interpreter}/s  hand-written ${figures.throughput.handwritten}/s  ratio ${figures.throughput.ratio}  (target ≥ 0.9)`,
  );
  console.log(
    `  history events  interpreter ${interpreterEvents}  hand-written ${handwrittenEvents}  ratio ${figures.historyEvents.ratio}  (target 1.0)`,
  );
  for (const [name, l] of [
    ['rule reply', ruleReply],
    ['classify reply', classifiedReply],
  ] as const) {
    console.log(
      `  ${name.padEnd(15)} interpreter p50 ${l.interpreter.p50} ms p99 ${l.interpreter.p99} ms; bare Update p50 ${l.bareUpdate.p50} ms p99 ${l.bareUpdate.p99} ms; p99 ratio ${l.ratioP99}  (target ≤ 1.3)`,
    );
    console.log(
      `  ${''.padEnd(15)} HTTP route (${messagesPerApiConversation} messages a conversation) p50 ${l.api.p50} ms p99 ${l.api.p99} ms; read model written p50 ${l.apiProjected.p50} ms p99 ${l.apiProjected.p99} ms; history after ${messagesPerApiConversation} messages ${l.apiHistoryKB} KB, after ${latencySamples} ${l.historyKB} KB`,
    );
  }
  console.log(JSON.stringify(figures));

  worker.shutdown();
  await running;
  await nativeConnection.close();
  await connection.close();
  await store.close();
  await Promise.all([temporal.stop(), mongo.stop()]);
  rmSync(dir, { recursive: true, force: true });
}

// `--topology prod`: the dev stack beside the production shape (engine/prod/bench.ts) instead.
(process.argv.includes('--topology')
  ? import('../prod/bench').then(async (bench) => process.exit(await bench.topologyBench(process.argv.slice(2))))
  : main()
).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
