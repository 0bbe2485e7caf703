/** `POST /api/triage` and `POST /api/classify` on the real stack; 400 naming the field for bad bodies. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { createEmbeddedProvider } from '@baton/ai';
import { classifyActivity } from '@baton/worker';
import { startTestStack, type TestStack } from '@baton/test-support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ worker: false });
});
afterAll(async () => {
  await stack?.stop();
});

it('triages one text', async () => {
  const res = await request(stack.app).post('/api/triage').send({ text: 'I want to speak to a human' }).expect(200);
  expect(res.body).toEqual(expect.objectContaining({ intent: 'contact_human_agent', escalate: true }));
  expect(res.body.reasons.length).toBeGreaterThan(0);
  const calm = await request(stack.app)
    .post('/api/triage')
    .send({ text: 'could you tell me the status of my order 98765, please?' })
    .expect(200);
  expect(calm.body).toEqual(expect.objectContaining({ intent: 'track_order', escalate: false }));
});

it.each([
  ['empty', { text: '   ' }],
  ['too long', { text: 'a'.repeat(4001) }],
  ['missing', {}],
])('rejects a %s text with 400 naming /text', async (_what, body) => {
  const res = await request(stack.app).post('/api/triage').send(body).expect(400);
  expect(JSON.stringify(res.body)).toContain('/text');
});

describe('POST /api/classify (the designer simulator classifies as production does)', () => {
  const journey = JSON.parse(
    readFileSync(join(__dirname, '..', '..', '..', 'examples', 'password-reset', 'journey.json'), 'utf8'),
  ) as {
    nodes: { id: string; data: { intents?: unknown[]; minConfidence?: number } }[];
  };
  const triageNode = journey.nodes.find((node) => node.id === 'triage')!;
  const input = (text: string) => ({
    text,
    intents: triageNode.data.intents,
    minConfidence: triageNode.data.minConfidence ?? 0.5,
  });

  it("answers what the worker's baton.classify answers with the embedded provider", async () => {
    const res = await request(stack.app)
      .post('/api/classify')
      .send(input('I forgot my password and cannot log in'))
      .expect(200);
    expect(res.body).toMatchObject({ intent: 'reset_password', sentiment: { label: expect.any(String) } });
    // The same input through the production activity, with the same provider, on the real store (no corrections in it).
    const context = {
      ai: createEmbeddedProvider(),
      store: stack.store,
      log: { warn: () => undefined, info: () => undefined },
    };
    const production = await (classifyActivity.run as (input: unknown, ctx: unknown) => Promise<unknown>)(
      classifyActivity.input.parse({ ...input('I forgot my password and cannot log in'), journeyId: 'password-reset' }),
      context,
    );
    expect(res.body).toEqual(production);
  });

  it('asks for a human as the node declares it, and names the bad field otherwise', async () => {
    const human = await request(stack.app)
      .post('/api/classify')
      .send(input('let me talk to a real person please'))
      .expect(200);
    expect(human.body.intent).toBe('human');
    const bad = await request(stack.app).post('/api/classify').send({ text: 'hello', intents: [] }).expect(400);
    expect(JSON.stringify(bad.body)).toContain('/intents');
  });
});
