/** `POST /api/triage` on the real stack: the triage JSON for a text; 400 naming /text for bad bodies. */
import request from 'supertest';
import { startTestStack, type TestStack } from '../../test/helpers/stack';

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
  const calm = await request(stack.app).post('/api/triage').send({ text: 'could you tell me the status of my order 98765, please?' }).expect(200);
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
