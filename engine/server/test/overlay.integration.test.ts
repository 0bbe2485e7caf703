/**
 * The designer's live overlay and replay list on the real stack (Temporal worker, Mongo-wire server):
 * real conversations started and answered over HTTP, one left waiting, one ended by the customer,
 * one that times out on a real Temporal timer; `GET …/versions/:version/overlay` counts them per node
 * from the conversations projection, and `GET …/versions/:version/conversations` lists them.
 */
import request from 'supertest';
import { overlayOf } from '../src/api/routes/overlay';
import { startTestStack, type TestStack } from '@baton/test-support/stack';

jest.setTimeout(180_000);

const journey = {
  schemaVersion: 1,
  id: 'overlay-demo',
  name: 'Overlay demo',
  description: 'Asks twice; "bye" ends it, a second silence drops off',
  version: 0,
  variables: { first: { type: 'string' }, second: { type: 'string' } },
  nodes: [
    { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: {} },
    {
      id: 'ask_a',
      type: 'ask',
      position: { x: 250, y: 0 },
      data: { prompt: 'Anything else?', variable: 'first', timeoutSeconds: 3600 },
    },
    {
      id: 'is_bye',
      type: 'condition',
      position: { x: 500, y: 0 },
      data: { rules: [{ id: 'bye', label: 'said bye', when: { '==': [{ var: 'lastMessage' }, 'bye'] } }] },
    },
    {
      id: 'ask_b',
      type: 'ask',
      position: { x: 750, y: 100 },
      data: { prompt: 'Tell me more?', variable: 'second', timeoutSeconds: 2 },
    },
    { id: 'end_ok', type: 'end', position: { x: 1000, y: 0 }, data: { outcome: 'resolved_by_bot' } },
    { id: 'gone', type: 'end', position: { x: 1000, y: 200 }, data: { outcome: 'abandoned' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'ask_a' },
    { id: 'e2', source: 'ask_a', sourceHandle: 'reply', target: 'is_bye' },
    { id: 'e3', source: 'ask_a', sourceHandle: 'timeout', target: 'gone' },
    { id: 'e4', source: 'is_bye', sourceHandle: 'bye', target: 'end_ok' },
    { id: 'e5', source: 'is_bye', sourceHandle: 'else', target: 'ask_b' },
    { id: 'e6', source: 'ask_b', sourceHandle: 'reply', target: 'end_ok' },
    { id: 'e7', source: 'ask_b', sourceHandle: 'timeout', target: 'gone' },
  ],
};

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

const api = () => request(stack.app);

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  let last: T | undefined;
  for (let attempt = 0; attempt < 600; attempt += 1) {
    last = await read();
    if (done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} never happened; last: ${JSON.stringify(last)}`);
}

test('counts real conversations waiting, ended and dropped off per node of a published version', async () => {
  await api().post('/api/journeys').send(journey).expect(201);
  expect((await api().post('/api/journeys/overlay-demo/publish').send({ author: 'ops' }).expect(201)).body.ref).toBe(
    'overlay-demo@1',
  );

  const customer = { id: 'c-1', name: 'Ada', email: 'ada@example.com' };
  // Conversation ids are workflow ids on the shared Temporal server: unique to this run.
  const id = (name: string) => `${name}-${stack.db}`;
  const start = async (conversationId: string) =>
    api().post('/api/conversations').send({ journeyId: 'overlay-demo', conversationId, customer }).expect(201);
  await start(id('ov-waiting'));
  await start(id('ov-bye'));
  await start(id('ov-silent'));
  await api()
    .post(`/api/conversations/${id('ov-bye')}/messages`)
    .send({ text: 'bye', clientMessageId: 'm1' })
    .expect(201);
  await api()
    .post(`/api/conversations/${id('ov-silent')}/messages`)
    .send({ text: 'hello', clientMessageId: 'm1' })
    .expect(201);

  // ov-silent then waits at ask_b for 2 s of real Temporal time and drops off.
  const overlay = await eventually(
    async () => (await api().get('/api/journeys/overlay-demo/versions/1/overlay').expect(200)).body,
    (body: { nodes: Record<string, { ended: number }> }) =>
      body.nodes.gone?.ended === 1 && body.nodes.end_ok?.ended === 1,
    'both conversations ending in the projection',
  );
  expect(overlay).toMatchObject({
    journeyId: 'overlay-demo',
    version: 1,
    conversations: 3,
    active: 1,
    truncated: false,
  });
  expect(overlay.nodes.ask_a).toEqual({ waiting: 1, entered: 3, ended: 0, droppedOff: 0 });
  expect(overlay.nodes.is_bye).toEqual({ waiting: 0, entered: 2, ended: 0, droppedOff: 0 });
  expect(overlay.nodes.ask_b).toEqual({ waiting: 0, entered: 1, ended: 0, droppedOff: 1 });
  expect(overlay.nodes.end_ok).toEqual({ waiting: 0, entered: 1, ended: 1, droppedOff: 0 });
  expect(overlay.nodes.gone).toEqual({ waiting: 0, entered: 1, ended: 1, droppedOff: 0 });
  expect(overlay.nodes.start).toEqual({ waiting: 0, entered: 3, ended: 0, droppedOff: 0 });

  const list = (await api().get('/api/journeys/overlay-demo/versions/1/conversations').expect(200)).body
    .conversations as { conversationId: string; status: string; outcome: string | null; nodeId: string | null }[];
  const byId = Object.fromEntries(list.map((row) => [row.conversationId, row]));
  expect(Object.keys(byId).sort()).toEqual([id('ov-bye'), id('ov-silent'), id('ov-waiting')]);
  expect(byId[id('ov-waiting')]).toMatchObject({ status: 'active', nodeId: 'ask_a' });
  expect(byId[id('ov-bye')]).toMatchObject({ status: 'ended', outcome: 'resolved_by_bot' });
  expect(byId[id('ov-silent')]).toMatchObject({ status: 'ended', outcome: 'abandoned' });
});

test('names the version that is not published, and a bad version or limit', async () => {
  const missing = await api().get('/api/journeys/overlay-demo/versions/99/overlay').expect(404);
  expect(missing.headers['content-type']).toMatch(/problem\+json/);
  expect(missing.body.detail).toMatch(/\/version: version 99 of journey "overlay-demo" is not published/);
  const bad = await api().get('/api/journeys/overlay-demo/versions/zero/overlay').expect(400);
  expect(JSON.stringify(bad.body)).toMatch(/version/);
  const badLimit = await api().get('/api/journeys/overlay-demo/versions/1/conversations?limit=5000').expect(400);
  expect(JSON.stringify(badLimit.body)).toMatch(/limit/);
});

test('overlayOf counts each conversation once per node it entered, however often', () => {
  const nodes = overlayOf([
    {
      _id: 'a',
      status: 'active',
      nodeId: 'ask',
      path: [{ nodeId: 'start', handle: 'next' }, { nodeId: 'ask', handle: 'reply' }, { nodeId: 'ask' }],
    },
    {
      _id: 'b',
      status: 'ended',
      outcome: 'abandoned',
      path: [
        { nodeId: 'start', handle: 'next' },
        { nodeId: 'ask', handle: 'timeout' },
        { nodeId: 'bye', handle: 'next' },
        { nodeId: 'gone' },
      ],
    },
    { _id: 'c', status: 'ended', outcome: 'abandoned', path: [{ nodeId: 'start' }] },
  ]);
  expect(nodes.ask).toEqual({ waiting: 1, entered: 2, ended: 0, droppedOff: 1 });
  expect(nodes.gone).toEqual({ waiting: 0, entered: 1, ended: 1, droppedOff: 0 });
  expect(nodes.start).toEqual({ waiting: 0, entered: 3, ended: 1, droppedOff: 1 });
});
