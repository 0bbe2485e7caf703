/**
 * Running conversations must survive new workflow code: recorded histories of the example
 * journeys (engine/workflow/test/histories/*.json, made by record.ts) are replayed against the current
 * workflow code. A failure here means a deploy would break conversations in flight; see the
 * docs/versions.md, "Changing the interpreter safely".
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Client, Connection } from '@temporalio/client';
import { Worker, bundleWorkflowCode, type ReplayResult } from '@temporalio/worker';
import { seedDemoOrders } from '@baton/examples';
import { seedSupportModel } from '@baton/cli/triage-publish';
import { Conversations } from '@baton/server/client';
import { startTestStack, sharedWorkflowBundle, type TestStack } from '@baton/test-support/stack';
import { requireServers } from '@baton/test-support/servers';
import { fetchHistoryJson, playScenario, scenarios } from './histories/scenarios';

const folder = join(__dirname, 'histories');
const recorded = readdirSync(folder)
  .filter((file) => file.endsWith('.json'))
  .map((file) => ({
    workflowId: file.replace(/\.json$/, ''),
    history: historyFromJSON(JSON.parse(readFileSync(join(folder, file), 'utf8'))),
  }));

async function replay(bundle: { code: string }, histories: typeof recorded): Promise<ReplayResult[]> {
  const results: ReplayResult[] = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle: bundle }, histories)) results.push(result);
  return results;
}

it('has a recorded history for every scenario', () => {
  expect(recorded.map((r) => r.workflowId).sort()).toEqual(scenarios.map((s) => s.name).sort());
});

it('covers a migration: one recorded history holds a `migrate` update', () => {
  const migrated = recorded.find((r) => r.workflowId === 'password-reset-migrated');
  const updates = (migrated?.history.events ?? [])
    .map((event) => event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name)
    .filter(Boolean);
  expect(updates).toContain('migrate');
});

it('replays every recorded history against the current workflow code', async () => {
  const results = await replay(await sharedWorkflowBundle(), recorded);
  expect(results).toHaveLength(recorded.length);
  for (const result of results)
    expect({ workflowId: result.workflowId, error: result.error?.message }).toEqual({
      workflowId: result.workflowId,
      error: undefined,
    });
});

it('catches an incompatible change to the workflow code', async () => {
  const changed = await bundleWorkflowCode({
    workflowsPath: require.resolve('./histories/changed-workflow'),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
  });
  const results = await replay({ code: changed.code }, recorded);
  expect(results.length).toBe(recorded.length);
  for (const result of results) expect(result.error).toBeDefined();
});

describe('fresh conversations on the real stack', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
    await seedDemoOrders(stack.store);
    await seedSupportModel(stack.store);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('play every scenario to its end and replay deterministically', async () => {
    const { temporalAddress, temporalNamespace } = requireServers();
    const connection = await Connection.connect({ address: temporalAddress });
    try {
      const conversations = new Conversations(
        new Client({ connection, namespace: temporalNamespace }),
        stack.taskQueue,
      );
      const catalog = await stack.store.listActivities();
      const fresh = [];
      for (const scenario of scenarios) {
        const id = await playScenario(scenario, conversations, catalog, stack.db);
        fresh.push({
          workflowId: id,
          history: historyFromJSON(fetchHistoryJson(temporalAddress, id, temporalNamespace)),
        });
      }
      const results = await replay(await sharedWorkflowBundle(), fresh);
      for (const result of results) expect(result.error).toBeUndefined();
    } finally {
      await connection.close();
    }
  });
});
