/**
 * Nobody takes over a conversation: starting with an existing conversation id is refused (409 naming
 * /conversationId) unless the caller holds that conversation's customer token, so no staff role can
 * obtain one; an ended conversation is never started again on another journey; of several starts
 * with one new id exactly one wins; and only the customer writes as the customer (messages, survey).
 * Real store (Mongo-wire server) and real Temporal, access control on.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { authStoreOf, conversationTokenFor, issueApiKey, type AuthOptions } from '../src/api/auth';
import type { ConversationView } from '../src/client';
import { startTestStack, type TestStack } from '@baton/test-support/stack';

jest.setTimeout(120_000);

const authOptions: AuthOptions = {
  tokenSecret: 'conversation-ids-secret-conversation-ids-secret',
  loginAttemptsPerWindow: 0,
  customerRequestsPerToken: 0,
};
const passwordReset = JSON.parse(
  readFileSync(join(__dirname, '../../../examples/password-reset/journey.json'), 'utf8'),
) as Record<string, unknown>;
/** A journey that says goodbye and ends at once. */
const goodbye = {
  schemaVersion: 1,
  id: 'goodbye',
  name: 'Goodbye',
  version: 0,
  nodes: [
    { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: {} },
    { id: 'bye', type: 'message', position: { x: 0, y: 100 }, data: { text: 'Goodbye!' } },
    { id: 'done', type: 'end', position: { x: 0, y: 200 }, data: { outcome: 'resolved_by_bot' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'bye' },
    { id: 'e2', source: 'bye', sourceHandle: 'next', target: 'done' },
  ],
};
const customer = { id: 'cust-ids', name: 'Ana', email: 'ana@example.com' };

let stack: TestStack;
const keys: Record<'agent' | 'designer' | 'admin', string> = { agent: '', designer: '', admin: '' };
const bearer = (token: string) => `Bearer ${token}`;

beforeAll(async () => {
  stack = await startTestStack({ auth: authOptions });
  const users = authStoreOf(stack.store.collection('users').db);
  for (const role of ['agent', 'designer', 'admin'] as const)
    keys[role] = await issueApiKey(users, { name: `${role} key`, roles: [role], createdBy: 'test' });
  for (const journey of [passwordReset, goodbye]) {
    await request(stack.app)
      .post('/api/journeys')
      .set('authorization', bearer(keys.designer))
      .send(journey)
      .expect(201);
    await request(stack.app)
      .post(`/api/journeys/${String(journey.id)}/publish`)
      .set('authorization', bearer(keys.designer))
      .send({ author: 'test' })
      .expect(201);
  }
});
afterAll(async () => {
  await stack?.stop();
});

const start = (body: Record<string, unknown>, authorization?: string) => {
  const test = request(stack.app).post('/api/conversations');
  return (authorization ? test.set('authorization', authorization) : test).send({ customer, ...body });
};

describe('starting with an existing conversation id', () => {
  it('refuses every staff role (409 naming /conversationId, no token) and answers its own customer', async () => {
    const victim = await start({ journeyId: 'password-reset' }).expect(201);
    const id = victim.body.conversationId as string;
    const token = victim.body.token as string;
    await request(stack.app)
      .post(`/api/conversations/${id}/messages`)
      .set('authorization', bearer(token))
      .send({ clientMessageId: 'm1', text: 'I forgot my password' })
      .expect(201);
    for (const role of ['agent', 'designer', 'admin'] as const) {
      const res = await start({ journeyId: 'password-reset', conversationId: id }, bearer(keys[role])).expect(409);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors).toEqual([expect.objectContaining({ path: '/conversationId' })]);
      expect(res.body.token).toBeUndefined();
      expect(res.body.conversation).toBeUndefined();
    }
    // Nobody signed in, or another conversation's customer: refused as well.
    await start({ journeyId: 'password-reset', conversationId: id }).expect(409);
    const other = await start({ journeyId: 'password-reset' }).expect(201);
    await start({ journeyId: 'password-reset', conversationId: id }, bearer(other.body.token as string)).expect(409);
    // Its own customer gets its conversation back, transcript and all.
    const again = await start({ journeyId: 'password-reset', conversationId: id }, bearer(token)).expect(201);
    expect(again.body.conversationId).toBe(id);
    expect(JSON.stringify(again.body.conversation.transcript)).toContain('I forgot my password');
  });

  it('never starts an ended conversation again on another journey (409), answers it back on its own', async () => {
    const ended = await start({ journeyId: 'goodbye' }).expect(201);
    const id = ended.body.conversationId as string;
    const token = ended.body.token as string;
    expect(ended.body.conversation.status).toBe('ended');
    // Its workflow has completed (the case where Temporal would otherwise start a new run under the id).
    const handle = stack.conversations.client.workflow.getHandle(id);
    await handle.result();
    const res = await start({ journeyId: 'password-reset', conversationId: id }, bearer(token)).expect(409);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: '/conversationId' })]);
    const back = await start({ journeyId: 'goodbye', conversationId: id }, bearer(token)).expect(201);
    expect(back.body.conversation).toMatchObject({ conversationId: id, status: 'ended' });
    // Still one run, and no ticket: the conversation did not start again.
    const runs = stack.conversations.client.workflow.list({ query: `WorkflowId = '${id}'` });
    let count = 0;
    for await (const run of runs) count += run.workflowId === id ? 1 : 0;
    expect(count).toBe(1);
    expect(await stack.store.collection('tickets').countDocuments({ conversationId: id })).toBe(0);
  });

  it('never starts again a conversation only the store remembers (past Temporal retention)', async () => {
    // An ended conversation's projection under an id Temporal does not know, as after its retention.
    const ended = await start({ journeyId: 'goodbye' }).expect(201);
    const id = `conv-retained-${Date.now()}`;
    // The whole view, as the worker stores it (the anonymous start answers the customer view).
    const view: ConversationView = await stack.conversations.get(ended.body.conversationId as string);
    await stack.store.saveConversation({ ...view, conversationId: id });
    const token = conversationTokenFor(id, authOptions);
    await start({ journeyId: 'password-reset', conversationId: id }, bearer(token)).expect(409);
    const back = await start({ journeyId: 'goodbye', conversationId: id }, bearer(token)).expect(201);
    expect(back.body.conversation).toMatchObject({ conversationId: id, status: 'ended' });
    // No run was started under the id.
    await expect(stack.conversations.client.workflow.getHandle(id).describe()).rejects.toThrow();
  });

  it('of 5 starts at once with one new id, exactly one wins and the others are refused', async () => {
    const id = `conv-race-${Date.now()}`;
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => start({ journeyId: 'password-reset', conversationId: id })),
    );
    const statuses = answers.map((res) => res.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409]);
    const winner = answers.find((res) => res.status === 201);
    expect(typeof winner?.body.token).toBe('string');
    for (const lost of answers.filter((res) => res.status === 409)) expect(lost.body.token).toBeUndefined();
  });
});

describe('writing as the customer', () => {
  it('refuses an agent (403) on the messages and survey routes; the customer is let through', async () => {
    const started = await start({ journeyId: 'password-reset' }).expect(201);
    const id = started.body.conversationId as string;
    for (const role of ['agent', 'admin'] as const) {
      await request(stack.app)
        .post(`/api/conversations/${id}/messages`)
        .set('authorization', bearer(keys[role]))
        .send({ clientMessageId: 'm-staff', text: 'I am the customer' })
        .expect(403);
      await request(stack.app)
        .post(`/api/conversations/${id}/survey`)
        .set('authorization', bearer(keys[role]))
        .send({ ces: 7, csat: 5 })
        .expect(403);
    }
    await request(stack.app)
      .post(`/api/conversations/${id}/messages`)
      .set('authorization', bearer(started.body.token as string))
      .send({ clientMessageId: 'm1', text: 'I forgot my password' })
      .expect(201);
  });
});
