/**
 * A journey on the real stack (Temporal dev server, Mongo-wire server, a real worker, the API) whose AI
 * is a real model server: llama.cpp's server with SmolLM2-135M-Instruct, configured as a user would
 * (BATON_AI_PROVIDER=openai, BATON_OPENAI_BASE_URL, BATON_OPENAI_MODEL), behind a proxy that records
 * what went over the wire. Skipped, saying so, where scripts/llama-server.sh has not built the server.
 *
 * The journey is password-reset with every intent led to the handoff, so whatever the tiny model
 * answers, or if it fails, the conversation reaches a person: what is asserted is that the stack
 * called the model within its bounds and carried on from whatever it got (the classification or the
 * node's fallback, the model's summary or the plain one, the model's answer or the embedded one).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { defaultMaxTokens } from '@baton/ai';
import { kbCollection, seedKnowledgeBase } from '@baton/store';
import { startTestStack, type TestStack } from '@baton/test-support/stack';
import {
  findLlamaServerFor,
  startLlamaServer,
  startRecordingProxy,
  type Exchange,
  type LlamaServer,
  type RecordingProxy,
} from '@baton/test-support/llama-server';

const found = findLlamaServerFor(
  "a journey with llama.cpp's server as its AI (engine/server/test/llama-journey.integration.test.ts)",
);
const describeReal = found.ok ? describe : describe.skip;

jest.setTimeout(600_000);

interface Journey {
  nodes: { id: string; data?: Record<string, unknown> }[];
  edges: { source: string; sourceHandle?: string; target: string }[];
}

/**
 * password-reset with the reset path cut: every triage outcome hands off. The triage waits a minute
 * for the model (a small machine shared with the test servers evaluates a prompt slowly); the
 * provider's own timeout is below it (BATON_AI_TIMEOUT_MS), as docs/ai.md asks.
 */
function everyIntentHandsOff(): Journey {
  const journey = JSON.parse(
    readFileSync(join(__dirname, '../../../examples/password-reset/journey.json'), 'utf8'),
  ) as Journey;
  const kept = new Set([
    'start',
    'greet',
    'ask_need',
    'triage',
    'escalate',
    'no_agent',
    'survey_agent',
    'done_agent',
    'gone',
  ]);
  return {
    ...journey,
    nodes: journey.nodes
      .filter((node) => kept.has(node.id))
      .map((node) => (node.id === 'triage' ? { ...node, data: { ...node.data, timeoutSeconds: 60 } } : node)),
    edges: journey.edges
      .map((edge) =>
        edge.source === 'triage' && edge.sourceHandle === 'reset_password' ? { ...edge, target: 'escalate' } : edge,
      )
      .filter((edge) => kept.has(edge.source) && kept.has(edge.target)),
  };
}

const aiVariables = [
  'BATON_AI_PROVIDER',
  'BATON_OPENAI_BASE_URL',
  'BATON_OPENAI_MODEL',
  'BATON_AI_TIMEOUT_MS',
] as const;

describeReal("a journey with llama.cpp's server as its AI", () => {
  let server: LlamaServer;
  let proxy: RecordingProxy;
  let stack: TestStack;
  const saved = Object.fromEntries(aiVariables.map((name) => [name, process.env[name]]));
  const api = () => request(stack.app);

  beforeAll(async () => {
    if (!found.ok) return;
    server = await startLlamaServer(found.paths);
    proxy = await startRecordingProxy(server.baseURL);
    // As a user configures it: the worker and the assist build their provider from the environment.
    process.env.BATON_AI_PROVIDER = 'openai';
    process.env.BATON_OPENAI_BASE_URL = proxy.baseURL;
    process.env.BATON_OPENAI_MODEL = server.model;
    process.env.BATON_AI_TIMEOUT_MS = '50000';
    stack = await startTestStack();
    await seedKnowledgeBase(
      stack.store.collection(kbCollection).db,
      join(__dirname, '..', '..', '..', 'workers', 'ai', 'models', 'kb-articles.json'),
    );
    await api().post('/api/journeys').send(everyIntentHandsOff()).expect(201);
    await api().post('/api/journeys/password-reset/publish').send({ author: 'test' }).expect(201);
  });
  afterAll(async () => {
    await stack?.stop();
    await proxy?.close();
    await server?.close();
    for (const name of aiVariables) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  const chats = () => proxy.exchanges.filter((exchange) => exchange.path.endsWith('/chat/completions'));
  const named = (exchange: Exchange) =>
    (exchange.request as { response_format?: { json_schema?: { name?: string } } }).response_format?.json_schema?.name;

  it('a customer who cannot log in reaches a person: classified by the model within its bounds, summarised, assisted', async () => {
    const started = await api()
      .post('/api/conversations')
      .send({ journeyId: 'password-reset', customer: { id: 'cust-llama-1', name: 'Ann', email: 'ann@example.com' } })
      .expect(201);
    const conversationId = started.body.conversationId as string;
    // As the widget does: past the API's message deadline (a slow model on a busy machine) it answers 503
    // "Still working on it", and the same clientMessageId is sent again for the one answer.
    let sent = await api()
      .post(`/api/conversations/${conversationId}/messages`)
      .send({ clientMessageId: 'm1', text: 'I cannot log in to my account' });
    for (let attempt = 0; sent.status === 503 && attempt < 6; attempt += 1)
      sent = await api()
        .post(`/api/conversations/${conversationId}/messages`)
        .send({ clientMessageId: 'm1', text: 'I cannot log in to my account' });
    expect([200, 201]).toContain(sent.status);
    expect(sent.body.conversation.waiting).toMatchObject({ kind: 'agent' });
    const ticketId = sent.body.conversation.waiting.ticketId as string;

    const ticket = await stack.store.getTicket(ticketId);
    expect(ticket).toBeDefined();
    // The model's classification or the node's fallback with a reason: either way the path says which.
    expect(ticket?.stepsTried.join('\n')).toMatch(
      /intent (reset_password|human) \(|no confident intent|the AI failed: /,
    );
    // A plain problem is not anger: the model's word alone does not make it negative.
    expect(ticket?.reason).not.toMatch(/sentiment negative/);
    // The model's summary, or the first message when it could not write one within its bound.
    expect(ticket?.summary.length).toBeGreaterThan(0);
    expect(ticket?.summary.length).toBeLessThanOrEqual(1_200);

    const assist = await api().post(`/api/tickets/${ticketId}/assist`).send({}).expect(200);
    expect(['openai:smollm2-135m-instruct', 'embedded']).toContain(assist.body.provider);
    if (assist.body.basedOn !== null)
      expect(assist.body.sources.map((source: { articleId: string }) => source.articleId)).toContain(
        assist.body.basedOn,
      );

    // The stack asked the real server for all three, each bounded; the classification came back.
    const asked = chats();
    expect(asked.map(named)).toEqual(expect.arrayContaining(['classification', 'kb_answer']));
    expect(asked.some((exchange) => named(exchange) === 'classification' && exchange.status === 200)).toBe(true);
    const summaries = asked.filter((exchange) => named(exchange) === undefined);
    expect(summaries.length).toBeGreaterThanOrEqual(1);
    for (const exchange of asked) {
      const bound = { classification: defaultMaxTokens.classify, kb_answer: defaultMaxTokens.answer }[
        named(exchange) ?? ''
      ];
      expect(exchange.request).toMatchObject({ max_tokens: bound ?? defaultMaxTokens.summary });
      // A call the provider gave up on (its timeout) has no answer; every answer is a bounded completion.
      if (exchange.status === 0) continue;
      expect(exchange.status).toBe(200);
      const usage = (exchange.response as { usage?: { completion_tokens?: number } }).usage;
      expect(usage?.completion_tokens).toBeLessThanOrEqual(bound ?? defaultMaxTokens.summary);
    }
    // Personal data never reached the model server.
    expect(JSON.stringify(proxy.exchanges)).not.toContain('ann@example.com');
  });
});
