/**
 * One customer message, one round trip to the workflow: the message route writes the conversation's
 * read model from what its Update answered changed in the view (applied to the stored projection),
 * never asks the workflow again (a query), and answers the client exactly as before (replies,
 * duplicate, summary; no view).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { conversationViews } from '../src/api/routes/shared';
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

it("answers the survey with the Update's view and projects it, without a query", async () => {
  const api = request(stack.app);
  const started = await api.post('/api/conversations').send({ journeyId: 'password-reset', customer }).expect(201);
  const id: string = started.body.conversationId;
  await api.post(`/api/conversations/${id}/messages`).send({ clientMessageId: 'm1', text: 'I forgot my password' });
  const worked = await api
    .post(`/api/conversations/${id}/messages`)
    .send({ clientMessageId: 'm2', text: 'yes it worked, thanks' })
    .expect(201);
  expect(worked.body.conversation.waiting).toMatchObject({ kind: 'survey' });
  await stack.background.settled();
  const queries = jest.spyOn(stack.conversations, 'get');
  try {
    const answered = await api.post(`/api/conversations/${id}/survey`).send({ ces: 6, csat: 5 }).expect(200);
    expect(answered.body.conversation).toMatchObject({ conversationId: id, survey: { ces: 6, csat: 5 } });
    expect(queries).not.toHaveBeenCalled();
  } finally {
    queries.mockRestore();
  }
  const stored = await stack.store.getConversation(id);
  expect(stored?.survey).toMatchObject({ ces: 6, csat: 5 });
});

/** Asks, repeats what it heard, asks again. */
const echo = {
  schemaVersion: 1,
  id: 'read-model-echo',
  name: 'Echo',
  variables: { said: { type: 'string' } },
  nodes: [
    { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: {} },
    {
      id: 'listen',
      type: 'ask',
      position: { x: 0, y: 0 },
      data: { prompt: 'Say something', variable: 'said', timeoutSeconds: 3600 },
    },
    {
      id: 'answer',
      type: 'message',
      position: { x: 0, y: 0 },
      data: { text: 'You said {{said}}; once more: {{said}}' },
    },
    { id: 'bye', type: 'end', position: { x: 0, y: 0 }, data: { outcome: 'abandoned' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'listen' },
    { id: 'e2', source: 'listen', sourceHandle: 'reply', target: 'answer' },
    { id: 'e3', source: 'listen', sourceHandle: 'timeout', target: 'bye' },
    { id: 'e4', source: 'answer', sourceHandle: 'next', target: 'listen' },
  ],
};

it('keeps a long conversation to its changes, and asks the workflow for changes too large to travel in an answer', async () => {
  const api = request(stack.app);
  await api.post('/api/journeys').send(echo).expect(201);
  await api.post(`/api/journeys/${echo.id}/publish`).send({}).expect(201);
  const started = await api.post('/api/conversations').send({ journeyId: echo.id, customer }).expect(201);
  const id: string = started.body.conversationId;
  await stack.background.settled();
  const queries = jest.spyOn(stack.conversations, 'get');
  try {
    const send = async (clientMessageId: string, text: string) => {
      const answer = await api.post(`/api/conversations/${id}/messages`).send({ clientMessageId, text }).expect(201);
      expect(Object.keys(answer.body).sort()).toEqual(['conversation', 'duplicate', 'replies']);
      await stack.background.settled();
      expect((await stack.store.getConversation(id))?.transcript).toHaveLength(
        answer.body.conversation.transcriptLength,
      );
    };
    // Each message and its echo add some 5,000 characters: the view grows far past what an answer
    // carries, each answer carries only its own changes.
    for (let i = 0; i < 8; i += 1) await send(`medium-${i}`, `${'a story '.repeat(125)}${i}`);
    expect(queries).not.toHaveBeenCalled();
    // One message whose echo alone is past the cap (three copies of 3,900 characters, and the variable).
    await send('long', `${'a long story '.repeat(300)}!`);
    expect(queries).toHaveBeenCalledTimes(1);
  } finally {
    queries.mockRestore();
  }
  const live = await stack.conversations.get(id);
  expect(live.transcript.length).toBeGreaterThan(18);
  expect(await stack.store.getConversation(id)).toMatchObject({ transcript: live.transcript, path: live.path });
});

it('asks the workflow when the stored projection is not where the changes start', async () => {
  const api = request(stack.app);
  const started = await api.post('/api/conversations').send({ journeyId: echo.id, customer }).expect(201);
  const id: string = started.body.conversationId;
  await api.post(`/api/conversations/${id}/messages`).send({ clientMessageId: 'm1', text: 'one' }).expect(201);
  await stack.background.settled();
  // A projection lost (or an older one): the changes cannot apply to it.
  await stack.store.collection<{ _id: string }>('conversations').deleteOne({ _id: id });
  const queries = jest.spyOn(stack.conversations, 'get');
  try {
    await api.post(`/api/conversations/${id}/messages`).send({ clientMessageId: 'm2', text: 'two' }).expect(201);
    await stack.background.settled();
    expect(queries).toHaveBeenCalledTimes(1);
  } finally {
    queries.mockRestore();
  }
  const live = await stack.conversations.get(id);
  expect(await stack.store.getConversation(id)).toMatchObject({ transcript: live.transcript, path: live.path });
});

it('still projects the whole view a worker built before changes were answered sends', async () => {
  const api = request(stack.app);
  const started = await api.post('/api/conversations').send({ journeyId: echo.id, customer }).expect(201);
  const id: string = started.body.conversationId;
  await api.post(`/api/conversations/${id}/messages`).send({ clientMessageId: 'm1', text: 'one' }).expect(201);
  await stack.background.settled();
  const live = await stack.conversations.get(id);
  await stack.store.collection<{ _id: string }>('conversations').deleteOne({ _id: id });
  const { answeredView } = conversationViews({ store: stack.store, conversations: stack.conversations, log: () => {} });
  const queries = jest.spyOn(stack.conversations, 'get');
  try {
    expect(await answeredView(id, { view: live })).toEqual(live);
    expect(queries).not.toHaveBeenCalled();
  } finally {
    queries.mockRestore();
  }
  expect(await stack.store.getConversation(id)).toMatchObject({ transcript: live.transcript, path: live.path });
});
