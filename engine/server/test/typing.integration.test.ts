/**
 * The agent's typing signal on the real stack: POST /api/tickets/:id/typing by the agent holding the
 * ticket makes the customer's event stream say `typing` with the agent's name, on another API process
 * than the one written to (two apps on one store, as behind a load balancer), and `typing: false` ends
 * it. It writes nothing to the workflow's history. Refused: an unclaimed ticket, another agent's ticket
 * (409), a body without a boolean `typing` (400 naming it).
 */
import { readFileSync } from 'node:fs';
import { get, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import request from 'supertest';
import { serve, webApp, type Served } from '@baton/test-support/web-app';
import { startTestStack, type TestStack } from '@baton/test-support/stack';

jest.setTimeout(120_000);

const root = join(__dirname, '..', '..', '..');
const journey = JSON.parse(readFileSync(join(root, 'examples', 'password-reset', 'journey.json'), 'utf8')) as Record<
  string,
  unknown
>;
const sam = { id: 'agent-sam', name: 'Sam' };

let stack: TestStack;
let writer: Served;
let reader: Served;
beforeAll(async () => {
  stack = await startTestStack();
  // Two API processes on one store and one Temporal: the inbox writes to one, the widget streams from the other.
  writer = await serve(webApp(stack, { staticDir: undefined }));
  reader = await serve(webApp(stack, { staticDir: undefined }));
});
afterAll(async () => {
  await writer?.close();
  await reader?.close();
  await stack?.stop();
});

/** Reads a conversation's event stream until `until` holds for what arrived. */
function readStream(base: string, conversationId: string) {
  let text = '';
  let response: IncomingMessage | undefined;
  const port = new URL(base).port;
  const req = get({ host: '127.0.0.1', port, path: `/api/conversations/${conversationId}/stream` }, (res) => {
    response = res;
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (text += chunk));
  });
  req.on('error', () => undefined);
  return {
    async until(what: string, holds: (text: string) => boolean): Promise<string> {
      for (let i = 0; i < 200; i += 1) {
        if (holds(text)) return text;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`the stream never said ${what}; it said:\n${text.slice(-2000)}`);
    },
    close() {
      response?.destroy();
      req.destroy();
    },
  };
}

const typingEvents = (text: string) =>
  [...text.matchAll(/event: typing\ndata: (.*)\n/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);

it('streams who types to the customer across API processes, and writes no history', async () => {
  const api = () => request(writer.server);
  await api().post('/api/journeys').send(journey).expect(201);
  await api().post('/api/journeys/password-reset/publish').send({ author: 'test' }).expect(201);
  const started = await api()
    .post('/api/conversations')
    .send({ journeyId: 'password-reset', channel: 'web', customer: { id: 'cust-ty', name: 'Ty' } })
    .expect(201);
  const conversationId: string = started.body.conversationId;
  await api()
    .post(`/api/conversations/${conversationId}/messages`)
    .send({ clientMessageId: 'c1', text: 'I forgot my password' })
    .expect(201);
  const angry = await api()
    .post(`/api/conversations/${conversationId}/messages`)
    .send({ clientMessageId: 'c2', text: "No, it didn't work. This is ridiculous, I've tried everything" })
    .expect(201);
  const ticketId: string = angry.body.conversation.waiting.ticketId;

  // Nobody has claimed it: nobody may type to the customer yet.
  await api().post(`/api/tickets/${ticketId}/typing`).send({ typing: true, agent: sam }).expect(409);
  await api()
    .post(`/api/tickets/${ticketId}/claim`)
    .send({ agent: sam })
    .expect((res) => expect([200, 201]).toContain(res.status));
  await api()
    .post(`/api/tickets/${ticketId}/typing`)
    .send({ typing: true, agent: { id: 'agent-other', name: 'Other' } })
    .expect(409);
  const bad = await api().post(`/api/tickets/${ticketId}/typing`).send({ typing: 'yes', agent: sam }).expect(400);
  expect(JSON.stringify(bad.body)).toContain('/typing');

  const history = async () => (await stack.client.workflow.getHandle(conversationId).fetchHistory()).events ?? [];
  const before = (await history()).length;

  const stream = readStream(reader.base, conversationId);
  try {
    await stream.until('the transcript', (text) => text.includes('event: message'));
    expect(typingEvents(await stream.until('anything', () => true))).toEqual([]);

    await api().post(`/api/tickets/${ticketId}/typing`).send({ typing: true, agent: sam }).expect(204);
    // Renewed at every keystroke: written at most once per interval, one event while it lasts.
    for (let i = 0; i < 5; i += 1)
      await api().post(`/api/tickets/${ticketId}/typing`).send({ typing: true, agent: sam }).expect(204);
    const typing = await stream.until('Sam types', (text) => typingEvents(text).length >= 1);
    expect(typingEvents(typing)).toEqual([{ typing: true, name: 'Sam' }]);

    await api().post(`/api/tickets/${ticketId}/typing`).send({ typing: false, agent: sam }).expect(204);
    const stopped = await stream.until('Sam stopped', (text) => typingEvents(text).length >= 2);
    expect(typingEvents(stopped)).toEqual([{ typing: true, name: 'Sam' }, { typing: false }]);
  } finally {
    stream.close();
  }
  // Typing is not the conversation's history: no signal or update reached the workflow since.
  const since = (await history()).slice(before);
  expect(
    since.filter(
      (event) => event.workflowExecutionSignaledEventAttributes || event.workflowExecutionUpdateAcceptedEventAttributes,
    ),
  ).toEqual([]);
  expect(await stack.store.typing.current(conversationId)).toBeNull();
});
