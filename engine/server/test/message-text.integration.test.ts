/**
 * A message of only invisible characters (zero-width spaces, joiners, the BOM) is empty: the API answers
 * 400 naming /text for the customer's and the agent's message, and the workflow refuses it too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { startTestStack, type TestStack } from '@baton/test-support/stack';

const journey = JSON.parse(
  readFileSync(join(__dirname, '../../../examples/password-reset/journey.json'), 'utf8'),
) as Record<string, unknown>;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

const invisible = ['\u200B\u200B\u200B', '\u200C\u200D', ' \u2060 \uFEFF ', '\u00AD\u180E\u200B'];

it.each(invisible.map((text) => [JSON.stringify(text), text]))(
  'refuses the customer message %s with 400 naming /text',
  async (_shown, text) => {
    const res = await request(stack.app)
      .post('/api/conversations/any-conversation/messages')
      .send({ clientMessageId: 'm1', text })
      .expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: '/text', message: 'a message needs text' })]);
  },
);

it('refuses an agent message of invisible characters with 400 naming /text', async () => {
  const res = await request(stack.app)
    .post('/api/tickets/any-ticket/messages')
    .send({ agent: { id: 'a1', name: 'Sam' }, clientMessageId: 'a-m1', text: '\u200B\u200D' })
    .expect(400);
  expect(res.body.errors).toEqual([expect.objectContaining({ path: '/text' })]);
});

it('keeps a message with visible text around invisible characters', async () => {
  await request(stack.app).post('/api/journeys').send(journey).expect(201);
  await request(stack.app).post('/api/journeys/password-reset/publish').send({}).expect(201);
  const started = await request(stack.app)
    .post('/api/conversations')
    .send({ journeyId: 'password-reset', customer: { id: 'c-zw', name: 'Ana' }, channel: 'web' })
    .expect(201);
  const id: string = started.body.conversationId;
  await request(stack.app)
    .post(`/api/conversations/${id}/messages`)
    .send({ clientMessageId: 'm1', text: '\u200BI forgot my password\u200B' })
    .expect(201);
  // The workflow's own validator refuses what skips the API (a client of the Temporal API directly).
  await expect(
    stack.conversations.sendMessage(id, { clientMessageId: 'm2', text: '\u200B\uFEFF\u2060' }),
  ).rejects.toThrow(/a message needs text/);
});
