/**
 * One customer message, one round trip to the workflow: the message route writes the conversation's
 * read model from the view its Update answered, never asks the workflow again (a query), and answers
 * the client exactly as before (replies, duplicate, summary; no view).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { startTestStack, type TestStack } from '@baton/test-support/stack';

const journey = JSON.parse(
  readFileSync(join(__dirname, '../../../examples/password-reset/journey.json'), 'utf8'),
) as Record<string, unknown>;
const customer = { id: 'cust-rm', name: 'Ana', email: 'ana@example.com' };

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
  const api = request(stack.app);
  expect([201, 409]).toContain((await api.post('/api/journeys').send(journey)).status);
  expect([200, 201]).toContain((await api.post('/api/journeys/password-reset/publish').send({})).status);
});
afterAll(async () => {
  await stack?.stop();
});

const texts = (entries: readonly { text: string }[] | undefined) => (entries ?? []).map((entry) => entry.text);

it("projects the Update's view after a message, without a query, and a retried message changes nothing", async () => {
  const api = request(stack.app);
  const started = await api.post('/api/conversations').send({ journeyId: 'password-reset', customer }).expect(201);
  const id: string = started.body.conversationId;
  await stack.background.settled();
  const queries = jest.spyOn(stack.conversations, 'get');
  try {
    const first = await api
      .post(`/api/conversations/${id}/messages`)
      .send({ clientMessageId: 'm1', text: 'I forgot my password' })
      .expect(201);
    // The answer is the one clients always had: the view stays on the server.
    expect(Object.keys(first.body).sort()).toEqual(['conversation', 'duplicate', 'replies']);
    expect(first.body.duplicate).toBe(false);
    expect(texts(first.body.replies)).toEqual(["I've sent a reset link to ana@example.com. Did it work?"]);

    await stack.background.settled();
    const stored = await stack.store.getConversation(id);
    expect(texts(stored?.transcript)).toEqual(
      expect.arrayContaining(['I forgot my password', "I've sent a reset link to ana@example.com. Did it work?"]),
    );
    expect(stored?.transcript).toHaveLength(first.body.conversation.transcriptLength);
    expect(stored).toMatchObject({ status: 'active', nodeId: first.body.conversation.nodeId });

    // The same message again: the same answer, and the read model (written again) is unchanged.
    const retried = await api
      .post(`/api/conversations/${id}/messages`)
      .send({ clientMessageId: 'm1', text: 'I forgot my password' });
    expect([200, 201]).toContain(retried.status);
    expect(retried.body.replies).toEqual(first.body.replies);
    await stack.background.settled();
    expect(await stack.store.getConversation(id)).toEqual(stored);

    expect(queries).not.toHaveBeenCalled();
  } finally {
    queries.mockRestore();
  }
  // What the workflow holds is what the read model holds.
  const live = await stack.conversations.get(id);
  expect((await stack.store.getConversation(id))?.transcript).toEqual(live.transcript);
});
