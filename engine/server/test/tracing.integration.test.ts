/**
 * OpenTelemetry through Temporal's interceptors: a conversation started by the client, the journey
 * workflow it runs and the activities the workflow calls appear as spans of one trace. Real Temporal
 * worker and server; the spans go to an in-memory exporter instead of a collector.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { exampleActivities } from '@baton/examples';
import { bundleBatonWorkflows, createBatonWorker } from '@baton/worker';
import { workerTelemetry } from '@baton/worker';
import { Conversations } from '../src/client';
import { compileJourney } from '@baton/core/compiler';
import type { Store } from '@baton/store';
import { startTracing, tracingClientInterceptors, type Tracing } from '@baton/telemetry';
import { requireServers } from '@baton/test-support/servers';
import { startTestStack, type TestStack } from '@baton/test-support/stack';

jest.setTimeout(180_000);

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let stack: TestStack;
let nativeConnection: NativeConnection;
let worker: Worker;
let running: Promise<void>;
let connection: Connection;
let conversations: Conversations;

beforeAll(async () => {
  const { temporalAddress, temporalNamespace } = requireServers();
  tracing = startTracing('baton-test', exporter);
  stack = await startTestStack({ worker: false });
  const telemetry = workerTelemetry({ tracing });
  nativeConnection = await NativeConnection.connect({ address: temporalAddress });
  worker = await createBatonWorker({
    connection: nativeConnection,
    namespace: temporalNamespace,
    taskQueue: stack.taskQueue,
    store: stack.store,
    definitions: exampleActivities,
    workflowBundle: await bundleBatonWorkflows({ workflowInterceptorModules: telemetry.workflowModules }),
    telemetry,
  });
  running = worker.run();
  connection = await Connection.connect({ address: temporalAddress });
  conversations = new Conversations(
    new Client({ connection, namespace: temporalNamespace, interceptors: tracingClientInterceptors() }),
    stack.taskQueue,
  );
  const source = JSON.parse(
    readFileSync(join(__dirname, '../../../examples/password-reset/journey.json'), 'utf8'),
  ) as Parameters<Store['publishVersion']>[0]['source'];
  const compiled = compileJourney(source, {
    activities: new Map((await stack.store.listActivities()).map((a) => [a.name, a])),
  });
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
  await stack.store.publishVersion({ journeyId: 'password-reset', source, compiled: compiled.journey });
});

afterAll(async () => {
  if (worker?.getState() === 'RUNNING') worker.shutdown();
  await running;
  await nativeConnection?.close();
  await connection?.close();
  await stack?.stop();
  await tracing?.shutdown();
});

it('puts the client start, the workflow run and its activities in one trace', async () => {
  const version = await stack.store.getVersion('password-reset');
  if (!version) throw new Error('not published');
  const conversationId = `traced-${Date.now().toString(36)}`;
  await conversations.start({
    conversationId,
    journey: version.compiled,
    customer: { id: 'c1', name: 'Ada', email: 'ada@example.com' },
    variables: {},
    channel: 'web',
  });
  await conversations.sendMessage(conversationId, { clientMessageId: 'm1', text: 'I forgot my password' });
  await conversations.sendMessage(conversationId, { clientMessageId: 'm2', text: 'Yes it worked, thanks!' });
  await conversations.answerSurvey(conversationId, { ces: 6, csat: 5 });
  expect((await conversations.get(conversationId)).status).toBe('ended');

  // Workflow spans reach the exporter through a sink after the workflow task; wait for the run's span (no timing assumed).
  const byName = (prefix: string) =>
    exporter.getFinishedSpans().filter((span: ReadableSpan) => span.name.startsWith(prefix));
  for (let attempt = 0; attempt < 200 && byName('RunWorkflow:journeyWorkflow').length === 0; attempt += 1)
    await new Promise((resolve) => setTimeout(resolve, 100));

  const [runWorkflow] = byName('RunWorkflow:journeyWorkflow');
  expect(runWorkflow).toBeDefined();
  const traceId = runWorkflow?.spanContext().traceId;
  const inTrace = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
  const names = inTrace.map((span) => span.name);
  // The client's start (update-with-start of the "opened" update) opens the trace.
  expect(names).toContain('UpdateWithStartWorkflow:opened');
  expect(names).toContain('StartActivity:accounts.sendResetLink');
  expect(names).toContain('RunActivity:accounts.sendResetLink');
  expect(names).toContain('RunActivity:baton.finishConversation');
  // The activity ran as the child of the workflow's call to it.
  const scheduled = inTrace.find((span) => span.name === 'StartActivity:accounts.sendResetLink');
  const ran = inTrace.find((span) => span.name === 'RunActivity:accounts.sendResetLink');
  expect(ran?.parentSpanContext?.spanId).toBe(scheduled?.spanContext().spanId);
  expect(ran?.resource.attributes['service.name']).toBe('baton-test');
});
