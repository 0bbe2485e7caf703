/**
 * A survey answer sent again (its first reply was cut off, as a proxy does when Temporal restarts)
 * meets an ended conversation that holds it: answered as the first time; a different answer is still
 * refused.
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
  await request(stack.app).post('/api/journeys').send(journey).expect(201);
  await request(stack.app).post('/api/journeys/password-reset/publish').send({}).expect(201);
});
afterAll(async () => {
  await stack?.stop();
});

it('answers a resent survey answer the conversation holds, and refuses a different one', async () => {
  const api = request(stack.app);
  const customer = { id: 'cust-survey-again', name: 'Sol', email: 'sol@example.com' };
  const started = await api.post('/api/conversations').send({ journeyId: 'password-reset', customer }).expect(201);
  const id: string = started.body.conversationId;
  await api.post(`/api/conversations/${id}/messages`).send({ clientMessageId: 'm1', text: 'I forgot my password' });
  const worked = await api
    .post(`/api/conversations/${id}/messages`)
    .send({ clientMessageId: 'm2', text: 'yes it worked, thanks' })
    .expect(201);
  expect(worked.body.conversation.waiting).toMatchObject({ kind: 'survey' });

  const answer = { ces: 6, csat: 5, comment: 'quick' };
  const first = await api.post(`/api/conversations/${id}/survey`).send(answer).expect(200);
  expect(first.body.conversation).toMatchObject({ status: 'ended', survey: answer });

  const again = await api.post(`/api/conversations/${id}/survey`).send(answer).expect(200);
  expect(again.body.conversation).toMatchObject({ conversationId: id, status: 'ended', survey: answer });

  const other = await api.post(`/api/conversations/${id}/survey`).send({ ces: 2, csat: 1 }).expect(409);
  expect(JSON.stringify(other.body)).toContain('ended');
});
