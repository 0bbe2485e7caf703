/**
 * The HTTP API end to end on the real Temporal dev server and the real Mongo-wire server:
 * a customer gets frustrated on password-reset, an agent takes over, the survey closes it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { startTestStack, type TestStack } from '@baton/test-support/stack';

const journey = JSON.parse(
  readFileSync(join(__dirname, '../../../examples/password-reset/journey.json'), 'utf8'),
) as Record<string, unknown>;
const sam = { id: 'agent-sam', name: 'Sam' };
const customer = { id: 'cust-1', name: 'Ana', email: 'ana@example.com', tier: 'gold' };

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

const api = () => request(stack.app);

async function publishPasswordReset(): Promise<void> {
  const created = await api().post('/api/journeys').send(journey);
  expect([201, 409]).toContain(created.status);
  const published = await api().post('/api/journeys/password-reset/publish').send({ author: 'test' });
  expect([200, 201]).toContain(published.status);
}

describe('journeys', () => {
  it('publishes a journey as version 1, and publishing the same content again is a no-op', async () => {
    await api().post('/api/journeys').send(journey).expect(201);
    const first = await api().post('/api/journeys/password-reset/publish').send({ message: 'first' }).expect(201);
    expect(first.body).toMatchObject({ id: 'password-reset', version: 1, created: true, ref: 'password-reset@1' });
    const again = await api().post('/api/journeys/password-reset/publish').send({}).expect(200);
    expect(again.body).toMatchObject({ version: 1, created: false, hash: first.body.hash });
    const versions = await api().get('/api/journeys/password-reset/versions').expect(200);
    expect(versions.body.versions).toHaveLength(1);
    const version = await api().get('/api/journeys/password-reset/versions/1').expect(200);
    expect(version.body.compiled.hash).toBe(first.body.hash);
  });

  it('lists the activities the worker registered, with their input schemas', async () => {
    const res = await api().get('/api/activities').expect(200);
    const names = res.body.activities.map((a: { name: string }) => a.name);
    expect(names).toEqual(expect.arrayContaining(['accounts.sendResetLink', 'orders.lookup', 'baton.classify']));
    const reset = res.body.activities.find((a: { name: string }) => a.name === 'accounts.sendResetLink');
    expect(reset.input.properties).toHaveProperty('email');
  });

  it('refuses to publish a draft with errors and names the node and field', async () => {
    const broken = structuredClone(journey) as {
      id: string;
      nodes: { id: string; type: string; data: Record<string, unknown> }[];
    };
    broken.id = 'broken-reset';
    const send = broken.nodes.find((node) => node.id === 'send_link');
    if (!send) throw new Error('fixture changed');
    send.data.activity = 'accounts.doesNotExist';
    await api().post('/api/journeys').send(broken).expect(201);
    const res = await api().post('/api/journeys/broken-reset/publish').send({}).expect(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ nodeId: 'send_link', path: expect.stringContaining('/data/activity') }),
      ]),
    );
    await api().get('/api/journeys/broken-reset/versions').expect(200, { versions: [] });
  });

  it('rejects a malformed draft with the field named', async () => {
    const res = await api().post('/api/journeys').send({ id: 'x y', name: '', nodes: 'no' }).expect(400);
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['/id', '/name', '/nodes']));
  });
});

describe('a conversation from first touch to survey', () => {
  it('hands a frustrated customer to an agent with the whole context, and closes with the survey', async () => {
    await publishPasswordReset();
    const started = await api()
      .post('/api/conversations')
      .send({ journeyId: 'password-reset', customer, channel: 'web' })
      .expect(201);
    const id: string = started.body.conversationId;
    expect(started.body.conversation.transcript.map((e: { text: string }) => e.text)).toEqual([
      "Hi Ana, I'm the Baton assistant.",
      'How can I help you today?',
    ]);
    expect(started.body.conversation.journey).toMatchObject({ id: 'password-reset', version: 1 });

    const first = await api()
      .post(`/api/conversations/${id}/messages`)
      .send({ clientMessageId: 'm1', text: 'I forgot my password' })
      .expect(201);
    expect(first.body.replies.map((e: { text: string }) => e.text)).toEqual([
      "I've sent a reset link to ana@example.com. Did it work?",
    ]);

    // A retried request (same client message id) answers the same and adds nothing.
    const retried = await api()
      .post(`/api/conversations/${id}/messages`)
      .send({ clientMessageId: 'm1', text: 'I forgot my password' });
    expect([200, 201]).toContain(retried.status);
    expect(retried.body.replies).toEqual(first.body.replies);

    const angry = await api()
      .post(`/api/conversations/${id}/messages`)
      .send({ clientMessageId: 'm2', text: "No, it didn't work. This is ridiculous, I've tried everything" })
      .expect(201);
    expect(angry.body.replies.map((e: { text: string }) => e.text)).toContain(
      "I'm bringing in a specialist who can dive deeper into this for you.",
    );
    expect(angry.body.conversation.waiting).toMatchObject({ kind: 'agent', nodeId: 'escalate' });

    const inbox = await api().get('/api/inbox?status=pending').expect(200);
    const ticket = inbox.body.tickets.find((t: { conversationId: string }) => t.conversationId === id);
    expect(ticket).toBeDefined();
    expect(ticket).toMatchObject({ queue: 'accounts', priority: 'high', status: 'pending' });
    expect(ticket.summary).toEqual(expect.any(String));
    expect(ticket.summary.length).toBeGreaterThan(10);
    expect(ticket.stepsTried.join('\n')).toMatch(/Sent a password reset link/);
    expect(ticket.sentiment.label).toBe('negative');
    expect(ticket.sentiment.history.length).toBeGreaterThanOrEqual(2);
    expect(ticket.transcript.filter((e: { from: string }) => e.from === 'customer')).toHaveLength(2);
    expect(ticket.customer).toMatchObject({ tier: 'gold' });

    const claimed = await api().post(`/api/tickets/${ticket.ticketId}/claim`).send({ agent: sam }).expect(200);
    expect(claimed.body.ticket).toMatchObject({ status: 'open', assignee: sam });
    expect(claimed.body.conversation.transcript.at(-1).text).toBe("You're now speaking with Sam, a human agent.");
    // A second agent cannot take it.
    await api()
      .post(`/api/tickets/${ticket.ticketId}/claim`)
      .send({ agent: { id: 'agent-kim', name: 'Kim' } })
      .expect(409);

    await api()
      .post(`/api/conversations/${id}/messages`)
      .send({ clientMessageId: 'm3', text: 'Thanks, my account email is ana@example.com' })
      .expect(201);
    const replied = await api()
      .post(`/api/tickets/${ticket.ticketId}/messages`)
      .send({ agent: sam, clientMessageId: 'a1', text: 'I have unlocked your account; try the new link.' })
      .expect(201);
    expect(replied.body.conversation.transcript.at(-1)).toMatchObject({
      from: 'agent',
      text: 'I have unlocked your account; try the new link.',
    });

    const resolved = await api()
      .post(`/api/tickets/${ticket.ticketId}/resolve`)
      .send({ agent: sam, resolution: 'account unlocked' })
      .expect(200);
    expect(resolved.body.ticket.status).toBe('resolved');
    expect(resolved.body.conversation.waiting).toMatchObject({ kind: 'survey' });

    const surveyed = await api().post(`/api/conversations/${id}/survey`).send({ ces: 6, csat: 5 }).expect(200);
    expect(surveyed.body.conversation).toMatchObject({
      status: 'ended',
      outcome: 'resolved_by_agent',
      survey: { ces: 6, csat: 5 },
    });

    const after = await api()
      .post(`/api/conversations/${id}/messages`)
      .send({ clientMessageId: 'm4', text: 'hello?' })
      .expect(409);
    expect(after.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(after.body.detail).toMatch(/ended/);

    const read = await api().get(`/api/conversations/${id}`).expect(200);
    const texts = read.body.conversation.transcript.map((e: { text: string }) => e.text);
    expect(texts.filter((t: string) => t === 'I forgot my password')).toHaveLength(1);
    expect(read.body.conversation.path.map((p: { nodeId: string }) => p.nodeId)).toEqual(
      expect.arrayContaining(['triage', 'send_link', 'escalate', 'survey_agent', 'done_agent']),
    );

    // The worker wrote the final projection and the survey.
    const projected = await stack.store.getConversation(id);
    expect(projected).toMatchObject({ status: 'ended', outcome: 'resolved_by_agent' });
    expect(await stack.store.getSurvey(id)).toMatchObject({ ces: 6, csat: 5 });

    // The event stream replays the transcript of an ended conversation and closes.
    const stream = await api()
      .get(`/api/conversations/${id}/stream`)
      .buffer(true)
      .parse((res, done) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => done(null, body));
      });
    expect(stream.headers['content-type']).toMatch(/text\/event-stream/);
    expect(String(stream.body)).toContain('event: message');
    expect(String(stream.body)).toContain("You're now speaking with Sam");
  });
});

describe('bad input', () => {
  beforeAll(publishPasswordReset);

  it('answers 404 for an unknown conversation, ticket or journey', async () => {
    await api().get('/api/conversations/conv-nope').expect(404);
    await api().post('/api/conversations/conv-nope/messages').send({ clientMessageId: 'x', text: 'hi' }).expect(404);
    await api().post('/api/tickets/nope/claim').send({ agent: sam }).expect(404);
    const res = await api().post('/api/conversations').send({ journeyId: 'no-such-journey', customer }).expect(404);
    expect(res.body.errors[0].path).toBe('/journeyId');
  });

  it('names the bad field of a message, and refuses oversized or malformed bodies', async () => {
    const started = await api().post('/api/conversations').send({ journeyId: 'password-reset', customer }).expect(201);
    const id = started.body.conversationId as string;
    const empty = await api()
      .post(`/api/conversations/${id}/messages`)
      .send({ clientMessageId: 'e1', text: '   ' })
      .expect(400);
    expect(empty.body.errors[0].path).toBe('/text');
    const long = await api()
      .post(`/api/conversations/${id}/messages`)
      .send({ clientMessageId: 'e2', text: 'x'.repeat(4001) })
      .expect(400);
    expect(long.body.errors[0]).toMatchObject({ path: '/text', message: expect.stringMatching(/4000/) });
    const noId = await api().post(`/api/conversations/${id}/messages`).send({ text: 'hello' }).expect(400);
    expect(noId.body.errors[0].path).toBe('/clientMessageId');
    await api()
      .post(`/api/conversations/${id}/messages`)
      .set('content-type', 'application/json')
      .send('{"text": ')
      .expect(400);
    await api()
      .post(`/api/conversations/${id}/messages`)
      .send({ clientMessageId: 'e3', text: 'y'.repeat(2_000_000) })
      .expect(413);
    // Nothing of that reached the conversation.
    const read = await api().get(`/api/conversations/${id}`).expect(200);
    expect(read.body.conversation.transcript.filter((e: { from: string }) => e.from === 'customer')).toHaveLength(0);
    // A survey answer out of place is refused by the conversation itself.
    const early = await api().post(`/api/conversations/${id}/survey`).send({ ces: 3 }).expect(409);
    expect(early.body.detail).toMatch(/survey/);
    await api().post(`/api/conversations/${id}/survey`).send({ ces: 9 }).expect(400);
  });

  it('answers 404 problem+json for unknown API routes', async () => {
    const res = await api().get('/api/nothing-here').expect(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});
