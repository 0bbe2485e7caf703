/**
 * The embedded AI provider on the password-reset journey's own intents: held-out paraphrases (none
 * of them an example phrase of the journey), sentiment with frustration triggers, summaries.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Journey } from '@baton/schemas';
import { EmbeddedAiProvider } from '../src/embedded';
import type { IntentExamples } from '../src/provider';
import { normalizeText, stem, tokenize } from '../src/text';
import { heldOut } from './paraphrases';

const journey = Journey.parse(
  JSON.parse(readFileSync(join(__dirname, '../../../examples/password-reset/journey.json'), 'utf8')),
);

function intentsOf(nodeId: string): IntentExamples[] {
  const node = journey.nodes.find((candidate) => candidate.id === nodeId);
  if (node?.type !== 'classify') throw new Error(`no classify node ${nodeId}`);
  return node.data.intents.map((intent) => ({ name: intent.name, examples: intent.examples }));
}

function minConfidenceOf(nodeId: string): number {
  const node = journey.nodes.find((candidate) => candidate.id === nodeId);
  if (node?.type !== 'classify') throw new Error(`no classify node ${nodeId}`);
  return node.data.minConfidence;
}

const provider = new EmbeddedAiProvider();

describe('text analysis', () => {
  it('expands contractions and marks the scope of a negation', () => {
    expect(normalizeText("I didn’t get it, it won't work and I can't log in")).toBe(
      'i did not get it, it will not work and i can not log in',
    );
    const tokens = tokenize("No it didn't work, but the link worked");
    expect(tokens.map((t) => `${t.negated ? '¬' : ''}${t.stem}`)).toEqual([
      'no',
      '¬it',
      '¬did',
      'not',
      '¬work',
      'but',
      'the',
      'link',
      'work',
    ]);
  });

  it('stems inflections together', () => {
    expect(new Set(['work', 'works', 'worked', 'working'].map(stem))).toEqual(new Set(['work']));
    expect(stem('logging')).toBe('log');
    expect(stem('tried')).toBe('try');
    expect(stem('access')).toBe('access');
  });
});

describe('intent classification', () => {
  for (const nodeId of ['triage', 'worked'] as const) {
    it(`recognises the journey's own examples at node ${nodeId}`, async () => {
      const intents = intentsOf(nodeId);
      for (const intent of intents) {
        for (const example of intent.examples) {
          const result = await provider.classify(example, intents);
          expect({ example, intent: result.intent }).toEqual({ example, intent: intent.name });
        }
      }
    });
  }

  it('classifies held-out paraphrases with at least 90% accuracy (and enough confidence to take the intent)', async () => {
    const misses: string[] = [];
    let total = 0;
    for (const nodeId of ['triage', 'worked'] as const) {
      const intents = intentsOf(nodeId);
      const examples = new Set(intents.flatMap((intent) => intent.examples.map((example) => example.toLowerCase())));
      const minConfidence = minConfidenceOf(nodeId);
      for (const [expected, phrases] of Object.entries(heldOut[nodeId])) {
        expect(phrases.length).toBeGreaterThanOrEqual(10);
        for (const phrase of phrases) {
          // Held out: none is an example of the journey.
          expect(examples.has(phrase.toLowerCase())).toBe(false);
          total += 1;
          const result = await provider.classify(phrase, intents);
          if (result.intent !== expected || result.confidence < minConfidence) {
            misses.push(`${nodeId}: "${phrase}" → ${result.intent} (${result.confidence}), expected ${expected}`);
          }
        }
      }
    }
    const accuracy = (total - misses.length) / total;
    // Printed so that a regression shows which phrases moved.
    if (misses.length)
      console.info(
        `embedded classifier: ${total - misses.length}/${total} (${(accuracy * 100).toFixed(1)}%); misses:\n${misses.join('\n')}`,
      );
    expect(total).toBeGreaterThanOrEqual(40);
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('tells "it didn\'t work" from "it worked"', async () => {
    const intents = intentsOf('worked');
    const no = await provider.classify("No it didn't work, this is ridiculous", intents);
    expect(no.intent).toBe('no');
    expect(no.confidence).toBeGreaterThanOrEqual(0.5);
    expect(no.sentiment.score).toBeLessThanOrEqual(-0.4);
    expect(no.sentiment.label).toBe('negative');
    expect(no.reasons.join('\n')).toMatch(/frustration.*ridiculous/);

    const yes = await provider.classify('yes it worked, thanks!', intents);
    expect(yes.intent).toBe('yes');
    expect(yes.confidence).toBeGreaterThanOrEqual(0.5);
    expect(yes.sentiment.score).toBeGreaterThan(0.25);
    expect(yes.sentiment.label).toBe('positive');

    expect((await provider.classify('it did not work', intents)).intent).toBe('no');
    expect((await provider.classify('it worked', intents)).intent).toBe('yes');
    expect((await provider.classify('it never worked', intents)).intent).toBe('no');
  });

  it('gives an unrelated message a low confidence (the journey takes fallback)', async () => {
    for (const text of ['what is the weather in Paris tomorrow', 'do you sell gift cards', '']) {
      const result = await provider.classify(text, intentsOf('triage'));
      expect({ text, low: result.confidence < minConfidenceOf('triage') }).toEqual({ text, low: true });
    }
    expect((await provider.classify('', intentsOf('triage'))).intent).toBeNull();
  });

  it('explains itself and is deterministic', async () => {
    const intents = intentsOf('triage');
    const first = await provider.classify("I can't remember my password", intents);
    expect(first.reasons[0]).toMatch(/^reset_password: closest example "/);
    expect(first.reasons.some((reason) => reason.startsWith('runner-up human'))).toBe(true);
    const again = await new EmbeddedAiProvider().classify("I can't remember my password", intents);
    expect(again).toEqual(first);
  });

  it('works with a single intent and with many', async () => {
    const single = await provider.classify('reset my password please', [
      { name: 'reset', examples: ['reset my password'] },
    ]);
    expect(single.intent).toBe('reset');
    expect(single.confidence).toBeGreaterThan(0.5);
    const many: IntentExamples[] = [
      { name: 'billing', examples: ['I was charged twice', 'refund my payment', 'my invoice is wrong'] },
      { name: 'shipping', examples: ['where is my order', 'my package has not arrived', 'track my parcel'] },
      { name: 'account', examples: ['I forgot my password', 'change my email address', 'delete my account'] },
      { name: 'human', examples: ['talk to a person', 'get me an agent'] },
    ];
    expect((await provider.classify('my parcel still has not been delivered', many)).intent).toBe('shipping');
    expect((await provider.classify('you charged my card two times', many)).intent).toBe('billing');
    expect((await provider.classify('can I speak to someone', many)).intent).toBe('human');
  });
});

describe('example phrases: a regression beside the neighbours, and confidence that knows', () => {
  const banking: IntentExamples[] = [
    {
      name: 'balance',
      examples: ['what is my balance', 'how much money do I have', 'show my account balance', 'balance please'],
    },
    {
      name: 'lost_card',
      examples: ['I lost my card', 'my card was stolen', 'block my card, it is gone', 'cannot find my credit card'],
    },
    {
      name: 'transfer',
      examples: [
        'send money to my sister',
        'transfer 50 dollars to savings',
        'move money between accounts',
        'wire funds',
      ],
    },
  ];

  it('names what the regression learned, and takes a near paraphrase with confidence', async () => {
    const result = await provider.classify('somebody stole my card', banking);
    expect(result.intent).toBe('lost_card');
    expect(result.confidence).toBeGreaterThanOrEqual(0.5);
    expect(result.reasons[0]).toMatch(
      /^lost_card: closest example ".*" \(similarity .*, trained on the examples 0\.\d\d\)$/,
    );
  });

  it('keeps confidence under 0.5 for a request none of the intents is about', async () => {
    for (const text of ['book me a table for two tonight', 'what is the capital of peru', 'play some jazz']) {
      const result = await provider.classify(text, banking);
      expect({ text, low: result.confidence < 0.5 }).toEqual({ text, low: true });
    }
  });

  it("learns an agent's correction: the corrected message and ones like it go to its intent", async () => {
    const text = 'my plastic went missing at the mall';
    const corrected = banking.map((intent) =>
      intent.name === 'lost_card' ? { ...intent, corrections: ['my plastic went missing at the mall'] } : intent,
    );
    const result = await provider.classify(text, corrected);
    expect(result.intent).toBe('lost_card');
    expect(result.reasons[0]).toMatch(/an agent corrected a similar message/);
  });
});

describe('frustration in the classification', () => {
  const intents: IntentExamples[] = [
    { name: 'order', examples: ['where is my order', 'track my parcel'] },
    { name: 'account', examples: ['I cannot log in', 'reset my password'] },
  ];

  it('names an escalation and lets a mood the lexicon misses reach the sentiment rules', async () => {
    const angry = await provider.classify('absolutely furious, the parcel never arrived and nobody answers', intents);
    expect(angry.reasons.some((reason) => reason.startsWith('frustration: escalate'))).toBe(true);
    expect(angry.sentiment.score).toBeLessThanOrEqual(-0.5);
    expect(angry.sentiment.label).toBe('negative');
    expect(
      provider.analyzeSentiment('absolutely furious, the parcel never arrived and nobody answers').score,
    ).toBeGreaterThan(-0.5);
  });

  it('leaves a calm request and a plain request for a person with their own sentiment', async () => {
    const calm = await provider.classify('I cannot log in to my account', intents);
    expect(calm.reasons.some((reason) => reason.startsWith('frustration'))).toBe(false);
    const person = await provider.classify('put me through to an operator', intents);
    expect(person.reasons.find((reason) => reason.startsWith('frustration: escalate'))).toMatch(/asks for a person/);
    expect(person.sentiment.score).toBe(provider.analyzeSentiment('put me through to an operator').score);
  });
});

describe('sentiment', () => {
  it('pushes frustration phrases down and names them', () => {
    const calm = provider.analyzeSentiment('I tried the link');
    const cross = provider.analyzeSentiment("I've tried everything and this is the third time I ask. Useless.");
    expect(cross.score).toBeLessThan(calm.score);
    expect(cross.score).toBeLessThanOrEqual(-0.5);
    const reasons = cross.reasons.join('\n');
    expect(reasons).toMatch(/tried everything/);
    expect(reasons).toMatch(/third time/);
    expect(reasons).toMatch(/useless/);
    expect(provider.analyzeSentiment('let me talk to a person').reasons.join()).toMatch(/asks for a person/);
    expect(provider.analyzeSentiment('THIS IS NOT WORKING AGAIN').score).toBeLessThan(-0.25);
  });

  it("stays within −1 … 1 with the interpreter's labels", () => {
    for (const text of [
      'great great great wonderful amazing perfect thanks',
      'terrible awful useless ridiculous worst!!!',
      'ok',
    ]) {
      const { score, label } = provider.analyzeSentiment(text);
      expect(score).toBeGreaterThanOrEqual(-1);
      expect(score).toBeLessThanOrEqual(1);
      expect(label).toBe(score <= -0.25 ? 'negative' : score >= 0.25 ? 'positive' : 'neutral');
    }
    expect(provider.analyzeSentiment('ok').label).toBe('neutral');
  });
});

describe('summary', () => {
  it("says what was asked and picks the customer's informative sentences", async () => {
    const summary = await provider.summarize([
      { from: 'bot', text: "Hi Ann, I'm the Baton assistant. How can I help you today?" },
      { from: 'customer', text: "Hi. I forgot my password and I can't log in to my account." },
      { from: 'bot', text: "I've sent a reset link to ann@example.com. Did it work?" },
      { from: 'customer', text: 'No. The link says it expired. This is the third time I try!' },
      { from: 'customer', text: 'ok' },
    ]);
    expect(summary).toMatch(/^Customer asked: "I forgot my password and I can't log in to my account"\./);
    expect(summary).toMatch(/third time/);
    expect(summary).not.toMatch(/Baton assistant/);
    expect(summary).toMatch(/frustrated/);
    expect(summary).toMatch(/3 customer messages/);
  });

  it('copes with nothing to summarise', async () => {
    expect(await provider.summarize([])).toMatch(/not written anything/);
    expect(await provider.summarize([{ from: 'customer', text: 'hi' }])).toMatch(/only said: "hi"/);
  });
});
