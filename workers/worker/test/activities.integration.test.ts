/**
 * The SDK, the registry and the built-in activities, called with exactly what the interpreter
 * sends (driven by the pure core, without Temporal), against the real MongoDB-wire server.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ApplicationFailure } from '@temporalio/common';
import type { CompiledJourney } from '@baton/schemas';
import { compileJourney } from '@baton/core/compiler';
import {
  conversationView,
  startConversation,
  step,
  type ActivityCall,
  type ConversationState,
  type StepOutput,
} from '@baton/core/interpreter';
import { connectStore, type Store } from '@baton/store';
import { EmbeddedAiProvider } from '@baton/ai';
import type { AiProvider } from '@baton/ai';
import { builtinActivities } from '../src/activities/builtin';
import { createActivityRegistry, failureTypes, type ActivityRegistry } from '../src/registry';
import { defineActivity, manifestOf } from '@baton/activity-sdk';
import { batonActivityRegistry } from '../src/worker';
import { requireServers, uniqueDbName } from '@baton/test-support/servers';
import { settle } from './host';

const source: unknown = JSON.parse(
  readFileSync(join(__dirname, '../../../examples/password-reset/journey.json'), 'utf8'),
);

function compiled(): CompiledJourney {
  const result = compileJourney(source);
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  return { ...result.journey, version: 4 };
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };
let store: Store;
let registry: ActivityRegistry;

beforeAll(async () => {
  store = await connectStore(requireServers().mongoUri, uniqueDbName('baton_test_workers'));
  registry = batonActivityRegistry({ store, logger: silent });
});

afterAll(async () => {
  if (store) {
    await store.collection('tickets').db.dropDatabase();
    await store.close();
  }
});

async function rejection(promise: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApplicationFailure) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('defineActivity and the catalog', () => {
  it('refuses definitions that cannot work', () => {
    const base = { description: 'd', input: z.object({}), output: z.object({}), run: async () => ({}) };
    expect(() => defineActivity({ ...base, name: 'has space' })).toThrow(/must start with a letter/);
    expect(() => defineActivity({ ...base, name: 'baton.mine' })).toThrow(/reserved/);
    expect(() => defineActivity({ ...base, name: 'x.y', description: ' ' })).toThrow(/description/);
    expect(() => defineActivity({ ...base, name: 'x.y', input: z.string() })).toThrow(/must be an object/);
    const one = defineActivity({ ...base, name: 'x.y' });
    expect(() => createActivityRegistry([one, one], { store, provider: new EmbeddedAiProvider() })).toThrow(
      /two activities are named "x.y"/,
    );
  });

  it('describes every built-in with JSON Schemas of its input and output', () => {
    expect([...registry.names].sort()).toEqual(
      [
        'baton.classify',
        'baton.finishConversation',
        'baton.openTicket',
        'baton.recordSurvey',
        'baton.saveConversation',
        'baton.sendTranscript',
        // Routing and follow-up (workers/worker/src/activities/routing.ts).
        'baton.routeTicket',
        'baton.slaEscalate',
        'baton.releaseAgent',
        'baton.reopenTicket',
        'baton.followupCheck',
        // The answer node's knowledge-base answer (workers/worker/src/activities/answer.ts).
        'baton.answer',
      ].sort(),
    );
    const classify = registry.catalog.find((manifest) => manifest.name === 'baton.classify');
    expect(classify).toMatchObject({
      builtin: true,
      timeoutSeconds: 10,
      // Example-phrase nodes send intents, model-backed ones a model: neither is required alone.
      input: { type: 'object', required: ['text'] },
      output: { type: 'object' },
    });
    expect(Object.keys(classify?.input.properties as Record<string, unknown>)).toEqual(
      expect.arrayContaining(['text', 'intents', 'model']),
    );
    // minConfidence has a default, so callers may leave it out.
    expect((classify?.input.properties as Record<string, unknown>).minConfidence).toMatchObject({
      type: 'number',
      default: 0.5,
    });
    for (const manifest of registry.catalog) expect(typeof manifest.description).toBe('string');
    expect(manifestOf(builtinActivities[0]!)).toEqual(classify);
  });
});

describe('validation at the boundary', () => {
  it('refuses bad input with a non-retryable failure naming the fields', async () => {
    const failure = await rejection(
      registry.activities['baton.classify']!({ text: 42, intents: [{ name: 'a', examples: [] }] }),
    );
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe(failureTypes.invalidInput);
    expect(failure.message).toMatch(/^invalid input for baton\.classify: /);
    expect(failure.message).toMatch(/text: /);
    expect(failure.message).toMatch(/intents\[0\]\.examples: /);
    expect(failure.details?.[0]).toMatchObject({
      activity: 'baton.classify',
      problems: expect.arrayContaining([expect.objectContaining({ path: 'text' })]),
    });
  });

  it('refuses an output that breaks the contract, naming the field', async () => {
    const broken = defineActivity({
      name: 'crm.lookup',
      description: 'A broken lookup',
      input: z.object({ id: z.string() }),
      output: z.object({ tier: z.enum(['gold', 'silver']), since: z.number() }),
      // What a careless implementation may return at run time.
      run: async () => JSON.parse('{"tier":"platinum"}') as { tier: 'gold'; since: number },
    });
    const local = createActivityRegistry([broken], { store, provider: new EmbeddedAiProvider() });
    const failure = await rejection(local.activities['crm.lookup']!({ id: 'c1' }));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe(failureTypes.invalidOutput);
    expect(failure.message).toMatch(/^crm\.lookup returned an invalid output: tier: .*; since: /);
  });

  it('gives run() the parsed input and a context outside Temporal', async () => {
    let seen: unknown;
    const probe = defineActivity({
      name: 'probe.context',
      description: 'Looks at its context',
      input: z.object({ n: z.coerce.number().default(7) }),
      output: z.object({ doubled: z.number() }),
      async run(input, ctx) {
        seen = { info: ctx.info, db: ctx.store.dbName, ai: ctx.ai.name, aborted: ctx.signal.aborted };
        ctx.heartbeat('fine without Temporal');
        expect(() => ctx.idempotencyKey()).toThrow(/needs a Temporal activity context/);
        return { doubled: input.n * 2 };
      },
    });
    const local = createActivityRegistry([probe], { store, provider: new EmbeddedAiProvider(), logger: silent });
    expect(await local.activities['probe.context']!({ n: '21' })).toEqual({ doubled: 42 });
    expect(await local.activities['probe.context']!({})).toEqual({ doubled: 14 });
    expect(seen).toEqual({ info: undefined, db: store.dbName, ai: 'embedded', aborted: false });
  });
});

describe('built-ins with what the interpreter sends', () => {
  const journey = compiled();
  let clock = Date.UTC(2025, 2, 1, 10, 0, 0);
  const tick = () => (clock += 1000);
  const call = (activityCall: ActivityCall) => registry.activities[activityCall.activity]!(activityCall.input);
  const customer = { id: 'cus_9', name: 'Ann', email: 'ann@example.com', tier: 'gold', 'crm.id': 'X-1' };

  async function begin(conversationId: string): Promise<StepOutput> {
    const started = startConversation(journey, { conversationId, channel: 'web', customer, variables: {}, at: tick() });
    return (await settle(journey, started, call, tick)).output;
  }

  async function say(output: StepOutput, text: string, id: string) {
    return settle(
      journey,
      step(journey, output.state, { type: 'customer_message', at: tick(), text, clientMessageId: id }),
      call,
      tick,
    );
  }

  it('runs a conversation from triage to handoff, follow-up and end', async () => {
    let output = await begin('conv-w1');
    expect(output.state.waiting?.kind).toBe('reply');

    // Triage: the embedded classifier sends a request for a person straight to the handoff.
    let settled = await say(output, "This is ridiculous, I've tried everything. Let me talk to a person", 'm1');
    const [classify, openTicket] = settled.calls;
    expect(classify).toMatchObject({ ok: true, call: { activity: 'baton.classify' }, output: { intent: 'human' } });
    expect((classify?.output as { sentiment: { score: number } }).sentiment.score).toBeLessThan(-0.4);
    expect(openTicket).toMatchObject({
      ok: true,
      call: { activity: 'baton.openTicket' },
      output: { ticketId: 'conv-w1-1', status: 'pending', created: true },
    });
    output = settled.output;
    expect(output.state.waiting).toMatchObject({ kind: 'agent', ticketId: 'conv-w1-1' });

    const ticket = await store.getTicket('conv-w1-1');
    expect(ticket).toMatchObject({
      conversationId: 'conv-w1',
      queue: 'accounts',
      priority: 'high',
      status: 'pending',
      journey: { id: 'password-reset', version: 4 },
    });
    expect(ticket?.summary).toMatch(/^Customer asked: ".*talk to a person/i);
    expect(ticket?.sentiment.label).toBe('negative');
    expect(ticket?.customer['crm.id']).toBe('X-1');

    // A retried open (same packet) changes nothing.
    const retried = await registry.activities['baton.openTicket']!(openTicket!.call.input);
    expect(retried).toEqual({ ticketId: 'conv-w1-1', status: 'pending', created: false, summary: ticket?.summary });
    expect(await store.collection('tickets').countDocuments({ conversationId: 'conv-w1' })).toBe(1);

    // The agent claims and resolves; the follow-up sends the transcript and asks for the survey.
    const sam = { id: 'agent_sam', name: 'Sam' };
    output = step(journey, output.state, { type: 'agent_claimed', at: tick(), agent: sam });
    settled = await settle(
      journey,
      step(journey, output.state, { type: 'ticket_resolved', at: tick(), agent: sam, resolution: 'reset by phone' }),
      call,
      tick,
    );
    expect(settled.calls.map((c) => [c.call.activity, c.ok])).toEqual([['baton.sendTranscript', true]]);
    expect(settled.calls[0]?.output).toEqual({ sent: true, to: 'ann@example.com', duplicate: false });
    const [transcript] = await store.listOutbound({ to: 'ann@example.com' });
    expect(transcript).toMatchObject({
      idempotencyKey: 'transcript:conv-w1',
      channel: 'log',
      subject: 'Your conversation transcript',
    });
    expect(transcript?.body).toMatch(/customer: This is ridiculous/);
    expect(transcript?.body).toMatch(/You're now speaking with Sam/);
    expect(await registry.activities['baton.sendTranscript']!(settled.calls[0]!.call.input)).toMatchObject({
      duplicate: true,
    });

    output = settled.output;
    expect(output.state.waiting?.kind).toBe('survey');
    settled = await settle(
      journey,
      step(journey, output.state, { type: 'survey_answered', at: tick(), ces: 6, csat: 5, comment: 'Sam was great' }),
      call,
      tick,
    );
    expect(settled.calls.map((c) => [c.call.activity, c.ok])).toEqual([['baton.recordSurvey', true]]);
    expect(await store.getSurvey('conv-w1')).toMatchObject({
      journey: { id: 'password-reset', version: 4 },
      customerId: 'cus_9',
      ces: 6,
      csat: 5,
      comment: 'Sam was great',
    });
    expect(await registry.activities['baton.recordSurvey']!(settled.calls[0]!.call.input)).toEqual({
      recorded: true,
      created: false,
    });

    const ended: ConversationState = settled.output.state;
    expect(ended).toMatchObject({ status: 'ended', outcome: 'resolved_by_agent' });

    // What the workflow does last: { conversation: conversationView(state) }.
    expect(await registry.activities['baton.finishConversation']!({ conversation: conversationView(ended) })).toEqual({
      saved: true,
    });
    const stored = await store.getConversation('conv-w1');
    expect(stored).toMatchObject({
      journeyId: 'password-reset',
      version: 4,
      status: 'ended',
      outcome: 'resolved_by_agent',
      updatedAt: ended.endedAt,
    });
    expect(stored?.transcript).toHaveLength(ended.transcript.length);
    // An older projection arriving late is ignored.
    expect(await registry.activities['baton.saveConversation']!({ state: conversationView(output.state) })).toEqual({
      saved: false,
    });
    expect((await store.getConversation('conv-w1'))?.status).toBe('ended');
  });

  it('refuses a projection without a conversation, naming what is missing', async () => {
    const failure = await rejection(registry.activities['baton.saveConversation']!({}));
    expect(failure.message).toMatch(/give the conversation as "conversation"/);
    const output = await begin('conv-w2');
    const broken = { ...conversationView(output.state), status: 'paused' };
    const second = await rejection(registry.activities['baton.saveConversation']!({ conversation: broken }));
    expect(second.message).toMatch(/conversation\.status: /);
  });

  it('falls back when the AI fails: classify fails (the journey takes fallback), the ticket opens with a plain summary', async () => {
    const failing: AiProvider = {
      name: 'failing',
      classify: async () => {
        throw new Error('model unavailable');
      },
      summarize: async () => {
        throw new Error('model unavailable');
      },
    };
    const local = createActivityRegistry(builtinActivities, { store, provider: failing, logger: silent });
    const localCall = (activityCall: ActivityCall) => local.activities[activityCall.activity]!(activityCall.input);
    const started = startConversation(journey, {
      conversationId: 'conv-w3',
      channel: 'web',
      customer,
      variables: {},
      at: tick(),
    });
    const settled = await settle(
      journey,
      step(journey, started.state, {
        type: 'customer_message',
        at: tick(),
        text: 'I forgot my password',
        clientMessageId: 'm1',
      }),
      localCall,
      tick,
    );
    expect(settled.calls.map((c) => [c.call.activity, c.ok])).toEqual([
      ['baton.classify', false],
      ['baton.openTicket', true],
    ]);
    expect(settled.calls[0]?.error).toBe('model unavailable');
    const ticket = await store.getTicket('conv-w3-1');
    expect(ticket?.summary).toBe('Customer wrote: "I forgot my password" (no AI summary: model unavailable)');
    expect(ticket?.summaryFallback).toBe('model unavailable');
  });

  it('never reports an undeclared intent', async () => {
    const rogue: AiProvider = {
      name: 'rogue',
      classify: async () => ({
        intent: 'refund',
        confidence: 0.99,
        sentiment: { score: 2, label: 'positive' },
        reasons: [],
      }),
      summarize: async () => '',
    };
    const local = createActivityRegistry(builtinActivities, { store, provider: rogue });
    const result = await local.activities['baton.classify']!({
      text: 'x',
      intents: [{ name: 'yes', examples: ['yes'] }],
    });
    expect(result).toMatchObject({ intent: null, confidence: 0, sentiment: { score: 1, label: 'positive' } });
  });
});
