/**
 * Triage models as versioned artefacts on the real stack (Temporal, Mongo-wire server, a real worker,
 * access control on): a designer publishes a model file as `name@version` (the same file again keeps
 * its version; corrupt, newer, oversized or mistyped files are refused), a journey's publish pins the
 * model's newest version, the worker's baton.classify classifies with the pinned model and the node
 * routes its intents, a missing model sends the conversation to the fallback, and the metrics count
 * the corrections a retrained model would learn.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { edge, journey, n, node } from '@baton/test-support/fixtures/journeys';
import { startTestStack, type TestStack } from '@baton/test-support/stack';
import { authStoreOf, issueApiKey, type AuthOptions } from '../src/api/auth';

jest.setTimeout(180_000);

const authOptions: AuthOptions = {
  tokenSecret: 'triage-models-test-secret-0123456789abcdefghij',
  loginAttemptsPerWindow: 0,
  customerRequestsPerToken: 0,
};
/** The built-in Bitext model: a real model file a team could have trained. */
const builtIn = readFileSync(join(__dirname, '..', '..', '..', 'workers', 'ai', 'models', 'triage-model.json'));
/** The same model with other metadata: another file, so another version. */
const retrained = Buffer.from(
  JSON.stringify({
    ...(JSON.parse(builtIn.toString('utf8')) as Record<string, unknown>),
    metadata: { note: 'retrained' },
  }),
);

let stack: TestStack;
let designerKey: string;
let agentKey: string;
const asDesigner = (test: request.Test) => test.set('authorization', `Bearer ${designerKey}`);

function publishModel(name: string, file: Buffer, key = designerKey, type = 'application/octet-stream') {
  return request(stack.app)
    .post(`/api/triage-models/${name}`)
    .set('authorization', `Bearer ${key}`)
    .set('content-type', type)
    .send(file);
}

function modelJourney(id: string, model: Record<string, unknown>) {
  return journey(
    [
      n.start(),
      n.ask('ask', 'question', 'How can I help?'),
      node('triage', 'classify', {
        input: '{{question}}',
        model,
        routes: [{ handle: 'orders', intents: ['track_order', 'cancel_order'] }],
        variable: 'result',
      }),
      n.end('to-orders', 'resolved_by_bot', 'orders'),
      n.end('to-other', 'abandoned', 'other'),
      n.end('to-fallback', 'abandoned', 'fallback'),
    ],
    [
      edge('start', 'next', 'ask'),
      edge('ask', 'reply', 'triage'),
      edge('ask', 'timeout', 'to-fallback'),
      edge('triage', 'orders', 'to-orders'),
      edge('triage', 'other', 'to-other'),
      edge('triage', 'fallback', 'to-fallback'),
    ],
    { id, name: id, variables: { question: { type: 'string' }, result: { type: 'object' } } },
  );
}

async function publishJourney(definition: ReturnType<typeof modelJourney>) {
  await asDesigner(request(stack.app).post('/api/journeys')).send(definition).expect(201);
  return asDesigner(request(stack.app).post(`/api/journeys/${definition.id}/publish`)).send({});
}

/** Starts a conversation, says `text`, and waits until it has left the classify node. */
async function converse(journeyId: string, conversationId: string, text: string, version?: number) {
  const started = await request(stack.app)
    .post('/api/conversations')
    .send({ journeyId, conversationId, customer: { id: 'c1' }, ...(version !== undefined && { version }) })
    .expect(201);
  await request(stack.app)
    .post(`/api/conversations/${conversationId}/messages`)
    .set('authorization', `Bearer ${started.body.token as string}`)
    .send({ clientMessageId: 'm1', text })
    .expect(201);
  for (let tries = 0; tries < 100; tries += 1) {
    const view = await stack.conversations.get(conversationId);
    const step = view.path.find((entry) => entry.nodeId === 'triage' && entry.handle !== undefined);
    if (step) return { view, step };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${conversationId} never left the classify node`);
}

beforeAll(async () => {
  stack = await startTestStack({ auth: authOptions });
  const users = authStoreOf(stack.store.collection('users').db);
  await users.ensureIndexes();
  designerKey = await issueApiKey(users, { name: 'ci', roles: ['designer'], createdBy: 'test' });
  agentKey = await issueApiKey(users, { name: 'inbox', roles: ['agent'], createdBy: 'test' });
});
afterAll(async () => {
  await stack?.stop();
});

describe('publishing a model file', () => {
  it('stores it as name@1, returns the same version for the same file, and lists it', async () => {
    await publishModel('support', builtIn, agentKey).expect(403);
    const first = await publishModel('support', builtIn).expect(201);
    expect(first.body).toMatchObject({ ref: 'support@1', version: 1, created: true, labels: 27 });
    const again = await publishModel('support', builtIn).expect(200);
    expect(again.body).toMatchObject({ ref: 'support@1', created: false });
    expect(again.body.message).toBe('the same file is already published as support@1');
    const list = await asDesigner(request(stack.app).get('/api/triage-models')).expect(200);
    expect(list.body.models).toEqual([
      {
        name: 'support',
        latestVersion: 1,
        versions: [
          expect.objectContaining({
            version: 1,
            labels: 27,
            bytes: builtIn.byteLength,
            publishedBy: 'API key "ci"',
            metadata: expect.any(Object),
          }),
        ],
      },
    ]);
    // The stored bytes are the file's, whole (gzipped in chunks underneath).
    const stored = await stack.store.triageModels.readFile('support', 1);
    expect(Buffer.from(stored!.file).equals(builtIn)).toBe(true);
  });

  it('refuses a corrupt, newer, oversized or mistyped file with the reason', async () => {
    const corrupt = await publishModel('broken', Buffer.from('{"format":"baton-triage","version":2}')).expect(422);
    expect(corrupt.body.detail).toMatch(/^corrupt triage model file: \//);
    const newer = await publishModel('broken', Buffer.from('{"format":"baton-triage","version":9}')).expect(422);
    expect(newer.body.detail).toMatch(/newer than this Baton reads/);
    const notJson = await publishModel('broken', Buffer.from('not a model')).expect(422);
    expect(notJson.body.detail).toMatch(/not JSON/);
    const huge = await publishModel('broken', Buffer.alloc(20 * 1024 * 1024 + 1, 32)).expect(413);
    expect(huge.body.detail).toContain('at most 20971520 bytes (20 MB)');
    await publishModel('broken', Buffer.from('{}'), designerKey, 'application/json').expect(415);
    await publishModel('Bad Name', builtIn).expect(400);
    const list = await asDesigner(request(stack.app).get('/api/triage-models')).expect(200);
    expect(list.body.models.map((model: { name: string }) => model.name)).toEqual(['support']);
  });
});

it("answers the designer's simulator as a model-backed node would be answered", async () => {
  const res = await asDesigner(request(stack.app).post('/api/triage-models/support/classify'))
    .send({ text: 'where is my order?', version: 1 })
    .expect(200);
  expect(res.body).toMatchObject({
    intent: 'track_order',
    outOfScope: false,
    sentiment: { label: expect.any(String) },
  });
  expect(res.body.reasons[0]).toMatch(/^support@1: track_order/);
  const missing = await asDesigner(request(stack.app).post('/api/triage-models/nowhere/classify'))
    .send({ text: 'hi' })
    .expect(404);
  expect(missing.body.detail).toBe(
    'no triage model "nowhere" is published (baton triage publish MODEL --name nowhere)',
  );
  await asDesigner(request(stack.app).post('/api/triage-models/support/classify')).send({ text: 1 }).expect(400);
});

describe('a classify node backed by a published model', () => {
  it("pins the model's newest version at publish; conversations keep the version they started with", async () => {
    const published = await publishJourney(modelJourney('orders', { name: 'support' }));
    expect(published.body).toMatchObject({ ref: 'orders@1' });
    const v1 = await asDesigner(request(stack.app).get('/api/journeys/orders/versions/1')).expect(200);
    expect(JSON.stringify(v1.body)).toContain('"model":{"name":"support","version":1}');

    const routed = await converse('orders', 'orders-1', 'where is my order? I want to track it');
    expect(routed.step.handle).toBe('orders');
    expect(routed.step.note).toMatch(/^intent track_order \(\d\.\d\d\) by support@1$/);
    expect(routed.view.vars.result).toMatchObject({ intent: 'track_order' });
    const other = await converse('orders', 'orders-2', 'I forgot my password and cannot log in');
    expect(other.step.handle).toBe('other');
    expect(other.view.intent?.name).toBe('recover_password');

    // A newer model: the next publish of the journey pins it (a new journey version, another hash).
    await publishModel('support', retrained).expect(201);
    const republished = await asDesigner(request(stack.app).post('/api/journeys/orders/publish')).send({}).expect(201);
    expect(republished.body.version).toBe(2);
    const v2 = await asDesigner(request(stack.app).get('/api/journeys/orders/versions/2')).expect(200);
    expect(JSON.stringify(v2.body)).toContain('"model":{"name":"support","version":2}');
    const v1Again = await asDesigner(request(stack.app).get('/api/journeys/orders/versions/1')).expect(200);
    expect(JSON.stringify(v1Again.body)).toContain('"model":{"name":"support","version":1}');
    // A conversation on journey version 2 classifies with support@2; one on version 1 keeps support@1.
    const onV2 = await converse('orders', 'orders-3', 'where is my order? I want to track it', 2);
    expect(onV2.step.note).toMatch(/by support@2$/);
    const onV1 = await converse('orders', 'orders-4', 'where is my order? I want to track it', 1);
    expect(onV1.step.note).toMatch(/by support@1$/);
  });

  it('refuses to publish a journey whose model or routed intents do not exist, naming the node', async () => {
    const missing = await publishJourney(modelJourney('nomodel', { name: 'nowhere' }));
    expect(missing.status).toBe(422);
    expect(missing.body.errors).toEqual([
      expect.objectContaining({
        nodeId: 'triage',
        path: '/nodes/2/data/model/name',
        message: 'no triage model "nowhere" is published (baton triage publish MODEL --name nowhere)',
      }),
    ]);
    const definition = modelJourney('badintent', { name: 'support' });
    (definition.nodes[2]!.data as { routes: unknown }).routes = [{ handle: 'orders', intents: ['track_parcel'] }];
    const unknown = await publishJourney(definition);
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0]).toMatchObject({
      nodeId: 'triage',
      path: '/nodes/2/data/routes/0/intents',
      message: 'support@2 has no intent "track_parcel"',
    });
  });

  it('a model gone from the store sends the conversation to the fallback with the reason', async () => {
    await publishModel('temporary', retrained).expect(201);
    expect((await publishJourney(modelJourney('gone', { name: 'temporary' }))).status).toBe(201);
    await stack.store.collection('triage_model_versions').deleteOne({ _id: 'temporary@1' } as never);
    const { view, step } = await converse('gone', 'gone-1', 'where is my order?');
    expect(step.handle).toBe('fallback');
    expect(view.counters.failures).toBe(1);
    expect(step.note ?? '').toContain('triage model temporary@1 is not published');
  });
});

it('counts the corrections made since the newest model, and lists them as training rows', async () => {
  const before = await asDesigner(request(stack.app).get('/api/metrics')).expect(200);
  expect(before.body.correctionsToLearn).toBe(0);
  await stack.store.collection('intent_corrections').insertOne({
    _id: 'ticket-1',
    ticketId: 'ticket-1',
    text: 'my parcel never came',
    intent: 'track_order',
    previousIntent: null,
    journeyId: 'orders',
    conversationId: 'orders-1',
    agentId: 'a1',
    at: new Date(Date.now() + 1000),
  } as never);
  // One made before the newest model was published: that model could have learned it already.
  await stack.store.collection('intent_corrections').insertOne({
    _id: 'ticket-0',
    ticketId: 'ticket-0',
    text: 'I never got my parcel',
    intent: 'track_order',
    previousIntent: null,
    journeyId: 'orders',
    conversationId: 'orders-0',
    agentId: 'a1',
    at: new Date(0),
  } as never);
  const after = await asDesigner(request(stack.app).get('/api/metrics')).expect(200);
  expect(after.body.correctionsToLearn).toBe(1);
  // As training rows, oldest first; `since` keeps the newer ones.
  expect(await stack.store.triageModels.correctionRows({ journeyId: 'orders' })).toEqual([
    expect.objectContaining({ text: 'I never got my parcel', intent: 'track_order' }),
    expect.objectContaining({ text: 'my parcel never came', intent: 'track_order', journeyId: 'orders' }),
  ]);
  const viaApi = await asDesigner(request(stack.app).get('/api/triage-corrections?since=latest-model')).expect(200);
  expect(viaApi.body.rows).toEqual([
    { text: 'my parcel never came', intent: 'track_order', journeyId: 'orders', at: expect.any(String) },
  ]);
  const all = await asDesigner(request(stack.app).get('/api/triage-corrections?journeyId=orders')).expect(200);
  expect(all.body.rows).toHaveLength(2);
  await asDesigner(request(stack.app).get('/api/triage-corrections?since=yesterday')).expect(400);
  await request(stack.app).get('/api/triage-corrections').set('authorization', `Bearer ${agentKey}`).expect(403);
  const newest = await stack.store.triageModels.newestPublishedAt();
  expect(await stack.store.triageModels.correctionRows({ since: newest! })).toEqual([
    expect.objectContaining({ text: 'my parcel never came' }),
  ]);
});
