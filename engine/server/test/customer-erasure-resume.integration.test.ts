/**
 * An erasure survives its worker: with the worker stopped, DELETE /api/customers/:id starts the
 * workflow `erase:<id>` (202) and a second request joins it (`started: false`); a new worker picks
 * it up and it finishes, the customer's read model and executions gone. (The worker stops before the
 * first activity runs, not inside one: each activity is idempotent, so a retry inside one redoes it.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { startInProcessWorker, startTestStack, type RunningWorker, type TestStack } from '@baton/test-support/stack';

jest.setTimeout(180_000);

const journey = JSON.parse(
  readFileSync(join(__dirname, '../../../examples/password-reset/journey.json'), 'utf8'),
) as Record<string, unknown>;
const z = { id: 'cust-erase-z', name: 'Zed', email: 'z@example.com' };

let stack: TestStack;
let first: RunningWorker | undefined;
let second: RunningWorker | undefined;
const api = () => request(stack.app);

beforeAll(async () => {
  stack = await startTestStack({ worker: false });
  first = await startInProcessWorker(stack.store, stack.taskQueue);
});
afterAll(async () => {
  await second?.stop();
  await stack?.stop();
});

it('finishes an erasure started while no worker ran, once a worker is back', async () => {
  await api().post('/api/journeys').send(journey).expect(201);
  await api().post('/api/journeys/password-reset/publish').send({ author: 'test' }).expect(201);
  const started = await api()
    .post('/api/conversations')
    .send({ journeyId: 'password-reset', customer: z, channel: 'web' })
    .expect(201);
  const conversationId = started.body.conversationId as string;
  await api()
    .post(`/api/conversations/${conversationId}/messages`)
    .send({ clientMessageId: 'm1', text: 'I forgot my password' })
    .expect(201);
  await stack.background.settled(10_000);

  await first!.stop();
  const erase = await api().delete(`/api/customers/${z.id}`).expect(202);
  expect(erase.body).toEqual({ customerId: z.id, workflowId: `erase:${z.id}`, started: true });
  const again = await api().delete(`/api/customers/${z.id}`).expect(202);
  expect(again.body.started).toBe(false);
  expect(await stack.store.getConversation(conversationId)).not.toBeNull();

  second = await startInProcessWorker(stack.store, stack.taskQueue);
  const result = await stack.client.workflow.getHandle(`erase:${z.id}`).result();
  expect(result).toMatchObject({ stage: 'done', ended: 1, executionsDeleted: 1 });
  expect(await stack.store.getConversation(conversationId)).toBeNull();
});
