/**
 * Every call of the OpenAI-compatible provider against a real model server: llama.cpp's server with
 * SmolLM2-135M-Instruct, started on a free port for this file (scripts/llama-server.sh builds it
 * once per machine; CI builds it before the tests). Where it is not built the tests are skipped and
 * say so.
 *
 * What is asserted is the contract, not the tiny model's wisdom: every request carries max_tokens and
 * no reply is longer; a reply the server finished ("stop") under a JSON-schema response_format
 * satisfies the schema and the provider accepts it; a reply cut at the bound ("length") is refused
 * with the reason, and the caller falls back as it does from any failure.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AiProviderError, OpenAiProvider, defaultMaxTokens, type ProviderCall } from '../src/openai';
import { createKbIndex } from '../src/kb';
import { EmbeddedAiProvider } from '../src/embedded';
import type { KbPassage } from '../src/provider';
import {
  findLlamaServerFor,
  startLlamaServer,
  startRecordingProxy,
  type Exchange,
  type LlamaServer,
  type RecordingProxy,
} from '@baton/test-support/llama-server';

const found = findLlamaServerFor(
  "the OpenAI-compatible provider against llama.cpp's server (workers/ai/test/openai-llama.test.ts)",
);
const describeReal = found.ok ? describe : describe.skip;

jest.setTimeout(300_000);

const intents = [
  {
    name: 'reset_password',
    description: 'the customer cannot sign in',
    examples: ['I forgot my password', "I can't log in", 'reset my password'],
  },
  { name: 'human', description: 'wants a person', examples: ['let me talk to a person', 'a human please'] },
  { name: 'refund', description: 'wants money back', examples: ['I want a refund', 'give me my money back'] },
];
const names = intents.map((intent) => intent.name);

interface Completion {
  choices: { finish_reason: string; message: { content: string | null } }[];
  usage?: { completion_tokens: number };
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: Error };
async function settle<T>(call: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await call };
  } catch (error) {
    return { ok: false, error: error as Error };
  }
}

describeReal("the OpenAI-compatible provider against llama.cpp's server", () => {
  let server: LlamaServer;
  let proxy: RecordingProxy;

  beforeAll(async () => {
    if (!found.ok) return;
    server = await startLlamaServer(found.paths);
    proxy = await startRecordingProxy(server.baseURL);
  });
  afterAll(async () => {
    await proxy?.close();
    await server?.close();
  });
  beforeEach(() => {
    proxy.exchanges.length = 0;
  });

  // Generous: the bound under test is max_tokens; the timeout only keeps a wedged server from hanging the run.
  const provider = (maxTokens?: Partial<Record<ProviderCall, number>>) =>
    new OpenAiProvider({
      baseURL: proxy.baseURL,
      model: server.model,
      timeoutMs: 120_000,
      ...(maxTokens && { maxTokens }),
    });

  /** The one chat exchange of a call, checked against the bound it asked for. */
  function onlyExchange(bound: number): { exchange: Exchange; completion: Completion } {
    const chats = proxy.exchanges.filter((exchange) => exchange.path.endsWith('/chat/completions'));
    expect(chats).toHaveLength(1);
    const exchange = chats[0] as Exchange;
    expect(exchange.status).toBe(200);
    expect(exchange.request).toMatchObject({ max_tokens: bound });
    const completion = exchange.response as Completion;
    const choice = completion.choices[0];
    expect(['stop', 'length']).toContain(choice?.finish_reason);
    expect(completion.usage?.completion_tokens).toBeLessThanOrEqual(bound);
    return { exchange, completion };
  }

  /**
   * A reply cut at the bound must be refused with that reason; a finished one accepted, except where
   * the grammar cannot hold the model (llama.cpp enforces minimum/maximum on integers only, so a
   * confidence of 5 parses as the schema's JSON and is refused by the zod contract, naming the field).
   */
  function expectSettledByFinish<T>(
    settled: Settled<T>,
    completion: Completion,
    ungrammatical?: RegExp,
  ): T | undefined {
    if (completion.choices[0]?.finish_reason === 'length') {
      expect(settled.ok).toBe(false);
      if (!settled.ok) expect(settled.error.message).toMatch(/stopped at the limit of \d+ tokens .*"length"/);
      return undefined;
    }
    if (settled.ok) return settled.value;
    if (ungrammatical && ungrammatical.test(settled.error.message)) return undefined;
    throw settled.error;
  }

  const numberOutOfRange = /answered outside the contract \((confidence|sentiment): (too big|too small)/i;

  describe('classify', () => {
    it.each(['I forgot my password and cannot sign in', 'I want to talk to a person', 'what is the weather on Mars?'])(
      '"%s": the JSON schema is honoured, the answer is one of the declared intents or none',
      async (text) => {
        const settled = await settle(provider().classify(text, intents));
        const { exchange, completion } = onlyExchange(defaultMaxTokens.classify);
        expect(exchange.request).toMatchObject({
          response_format: { type: 'json_schema', json_schema: { name: 'classification' } },
        });
        const result = expectSettledByFinish(settled, completion, numberOutOfRange);
        if (!result) return;
        // What the server sent parses as the schema's object (the provider checked it with zod too).
        const sent = JSON.parse(completion.choices[0]?.message.content ?? '') as Record<string, unknown>;
        expect(Object.keys(sent).sort()).toEqual(['confidence', 'intent', 'sentiment']);
        expect([...names, 'none']).toContain(sent.intent);
        expect(result.intent === null || names.includes(result.intent)).toBe(true);
        expect(result.confidence).toBeGreaterThanOrEqual(0);
        expect(result.confidence).toBeLessThanOrEqual(1);
        expect(result.sentiment.score).toBeGreaterThanOrEqual(-1);
        expect(result.sentiment.score).toBeLessThanOrEqual(1);
        expect(result.reasons.join('\n')).toMatch(/sentiment -?\d\.\d\d \(model -?\d\.\d\d, embedded -?\d\.\d\d: /);
      },
    );

    it('"I cannot log in to my account" is never negative on the model\'s word alone', async () => {
      const settled = await settle(provider().classify('I cannot log in to my account', intents));
      const { completion } = onlyExchange(defaultMaxTokens.classify);
      const result = expectSettledByFinish(settled, completion, numberOutOfRange);
      if (!result) return;
      expect(result.sentiment.label).not.toBe('negative');
      expect(new EmbeddedAiProvider().analyzeSentiment('I cannot log in to my account').label).not.toBe('negative');
    });

    it('a bound too small for the JSON is refused with the reason, not read as half an answer', async () => {
      const settled = await settle(provider({ classify: 5 }).classify('I forgot my password', intents));
      const { completion } = onlyExchange(5);
      expect(completion.choices[0]?.finish_reason).toBe('length');
      expect(settled.ok).toBe(false);
      if (!settled.ok) {
        expect(settled.error).toBeInstanceOf(AiProviderError);
        expect(settled.error.message).toMatch(
          /stopped at the limit of 5 tokens for a classify \(finish_reason "length"\)/,
        );
      }
    });
  });

  describe('answer', () => {
    const passages: KbPassage[] = [
      {
        articleId: 'kb-reset',
        title: 'Resetting a password',
        body: 'Use the "Forgot password" link on the sign-in page. The reset link we email is valid for 30 minutes.',
      },
      { articleId: 'kb-refund', title: 'Refunds', body: 'Refunds reach your card 5 to 7 working days after approval.' },
    ];

    it('cites one of the given articles or answers nothing', async () => {
      const settled = await settle(provider().answer('how long is the reset link valid?', passages));
      const { exchange, completion } = onlyExchange(defaultMaxTokens.answer);
      expect(exchange.request).toMatchObject({
        response_format: { type: 'json_schema', json_schema: { name: 'kb_answer' } },
      });
      const result = expectSettledByFinish(settled, completion);
      if (!result) return;
      const sent = JSON.parse(completion.choices[0]?.message.content ?? '') as Record<string, unknown>;
      expect(Object.keys(sent).sort()).toEqual(['answer', 'basedOn', 'suggestedReply']);
      // The grammar keeps basedOn to the given ids (or null).
      expect(['kb-reset', 'kb-refund', null]).toContain(sent.basedOn);
      if (result.basedOn === null) expect(result).toEqual({ answer: null, suggestedReply: null, basedOn: null });
      else {
        expect(['kb-reset', 'kb-refund']).toContain(result.basedOn);
        expect(result.answer?.trim()).not.toBe('');
      }
    });

    it("the assist's way: the demo knowledge base searched, the top passages sent, the embedded answer when the model fails", async () => {
      const { articles } = JSON.parse(readFileSync(join(__dirname, '..', 'models', 'kb-articles.json'), 'utf8')) as {
        articles: Parameters<typeof createKbIndex>[0];
      };
      const index = createKbIndex(articles);
      const question = 'The customer says the password reset email never arrived';
      const top: KbPassage[] = index.search(question, { limit: 5 }).flatMap((hit) => {
        const article = index.get(hit.articleId);
        return article ? [{ articleId: article.articleId, title: article.title, body: article.body }] : [];
      });
      expect(top.length).toBeGreaterThan(0);
      // A tighter bound than the default: five articles are a long prompt for a small machine already.
      const settled = await settle(provider({ answer: 160 }).answer(question, top));
      const { completion } = onlyExchange(160);
      expectSettledByFinish(settled, completion);
      const answer = settled.ok
        ? settled.value
        : await new EmbeddedAiProvider().answer(question, top, { customerName: 'Ann' });
      const ids = top.map((passage) => passage.articleId);
      if (answer.basedOn !== null) expect(ids).toContain(answer.basedOn);
      else expect(answer.answer).toBeNull();
    });
  });

  describe('summary', () => {
    const transcript = [
      { from: 'customer', text: 'I forgot my password, my email is ann@example.com' },
      { from: 'bot', text: "I've sent a reset link to your email. Did it work?" },
      { from: 'customer', text: 'No, nothing arrived. This is the third time.' },
    ];

    it('is bounded by max_tokens: a summary, or a failure the handoff falls back from', async () => {
      const settled = await settle(provider().summarize(transcript));
      const { exchange, completion } = onlyExchange(defaultMaxTokens.summary);
      expect(JSON.stringify(exchange.request)).not.toContain('ann@example.com');
      const summary = expectSettledByFinish(settled, completion);
      if (summary === undefined) return;
      expect(summary.trim()).toBe(summary);
      expect(summary.length).toBeGreaterThan(0);
      expect(summary.length).toBeLessThanOrEqual(1_200);
    });

    it('a summary cut at its bound is refused with the reason', async () => {
      const settled = await settle(provider({ summary: 4 }).summarize(transcript));
      const { completion } = onlyExchange(4);
      expect(completion.choices[0]?.finish_reason).toBe('length');
      expect(settled.ok).toBe(false);
      if (!settled.ok) expect(settled.error.message).toMatch(/stopped at the limit of 4 tokens for a summary/);
    });
  });
});
