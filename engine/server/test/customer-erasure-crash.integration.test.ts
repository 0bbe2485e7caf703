/**
 * A worker lost INSIDE an erasure step: customer W has three open conversations; the erasure ends
 * them with the message W sees (the `close` Update), then deletes in batches of one. The first worker
 * is stopped after the first conversation's read model is deleted and before the second (its
 * activity is cut off mid-step); a new worker retries the step, which finds less to do and finishes.
 * Final state: every record and execution gone, the counts carried across the attempts, one audit
 * entry. (The pause is a hook the test gives the worker; the stores, Temporal and the worker are real.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { WorkflowNotFoundError } from '@temporalio/client';
import { erasureEndMessage } from '@baton/workflow/erasure';
import { startInProcessWorker, startTestStack, type RunningWorker, type TestStack } from '@baton/test-support/stack';

jest.setTimeout(180_000);

const journey = JSON.parse(
  readFileSync(join(__dirname, '../../../examples/password-reset/journey.json'), 'utf8'),
) as Record<string, unknown>;
const w = { id: 'cust-erase-w', name: 'Wanda', email: 'w@example.com' };

let stack: TestStack;
let first: RunningWorker | undefined;
let second: RunningWorker | undefined;
const api = () => request(stack.app);

let reachedMidStep: () => void = () => undefined;
const midStep = new Promise<void>((resolve) => {
  reachedMidStep = resolve;
});
let paused = false;

beforeAll(async () => {
  stack = await startTestStack({ worker: false });
  first = await startInProcessWorker(stack.store, stack.taskQueue, {
    erasure: {
      batchSize: 1,
      // After the first conversation's read model is deleted: wait here until the worker stops.
      afterBatch: async (counts, cancelled) => {
        if (paused || counts.conversations !== 1) return;
        paused = true;
        reachedMidStep();
        await cancelled;
      },
    },
  });
});
afterAll(async () => {
  await first?.stop();
  await second?.stop();
  await stack?.stop();
});

async function described(workflowId: string): Promise<string> {
  try {
    return (await stack.client.workflow.getHandle(workflowId).describe()).status.name;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return 'NOT_FOUND';
    throw error;
  }
}

it('finishes an erasure whose worker stopped inside the deletion step', async () => {
  await api().post('/api/journeys').send(journey).expect(201);
  await api().post('/api/journeys/password-reset/publish').send({ author: 'test' }).expect(201);
  const ids: string[] = [];
  for (const n of [1, 2, 3]) {
    const started = await api()
      .post('/api/conversations')
      .send({ journeyId: 'password-reset', customer: w, channel: 'web' })
      .expect(201);
    const conversationId = started.body.conversationId as string;
    await api()
      .post(`/api/conversations/${conversationId}/messages`)
      .send({ clientMessageId: `m${n}`, text: 'I forgot my password' })
      .expect(201);
    ids.push(conversationId);
  }
  await stack.background.settled(10_000);

  await api().delete(`/api/customers/${w.id}`).expect(202);
  await midStep;
  // Inside the step: one read model deleted, the other two still there, ended with the message W saw.
  const left = (await Promise.all(ids.map((id) => stack.store.getConversation(id)))).filter((c) => c !== null);
  expect(left).toHaveLength(2);
  for (const conversation of left) {
    expect(conversation!.status).toBe('ended');
    expect(conversation!.transcript.at(-1)).toMatchObject({ from: 'bot', text: erasureEndMessage });
  }

  await first!.stop();
  first = undefined;
  expect((await stack.client.workflow.getHandle(`erase:${w.id}`).describe()).status.name).toBe('RUNNING');
  second = await startInProcessWorker(stack.store, stack.taskQueue);
  const result = await stack.client.workflow.getHandle(`erase:${w.id}`).result();
  expect(result).toMatchObject({ stage: 'done', ended: 3, executionsDeleted: 3 });
  // The counts of the cut-off attempt (heartbeated) carried into the retry.
  expect(result.deleted).toMatchObject({ conversations: 3 });

  for (const id of ids) {
    expect(await stack.store.getConversation(id)).toBeNull();
    // Temporal deletes an execution asynchronously after the call.
    for (let i = 0; i < 300 && (await described(id)) !== 'NOT_FOUND'; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await described(id)).toBe('NOT_FOUND');
  }
  const db = stack.store.collection('conversations').db;
  expect(await db.collection('conversations').countDocuments({ 'customer.id': w.id })).toBe(0);
  expect(await db.collection('tickets').countDocuments({ 'customer.id': w.id })).toBe(0);
  expect(await db.collection('audit').countDocuments({ action: 'customer.erase', subject: w.id })).toBe(1);
});
