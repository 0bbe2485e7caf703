/** The ranking a classify node's clarifying question reads: best first, declared intents only. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EmbeddedAiProvider } from '../src/embedded';
import { settleClassification } from '../src/settle';
import { classifyForNode, classifyWithArtefact, parseTriageArtefact } from '../src/triage-artefact';

const intents = [
  { name: 'refund', examples: ['where is my refund', 'I want my money back', 'refund not received'] },
  { name: 'cancel', examples: ['cancel my order', 'I do not want the order anymore', 'stop my purchase'] },
  { name: 'invoice', examples: ['send me the invoice', 'I need a bill for my order', 'download my receipt'] },
];

test('the embedded provider ranks the declared intents, its answer first, best first', async () => {
  const provider = new EmbeddedAiProvider();
  const answer = await provider.classify('please cancel my order', intents);
  expect(answer.intent).toBe('cancel');
  const ranking = answer.ranking ?? [];
  expect(ranking.length).toBeGreaterThanOrEqual(2);
  expect(ranking.length).toBeLessThanOrEqual(3);
  expect(ranking[0]).toEqual({ intent: 'cancel', confidence: answer.confidence });
  for (let i = 1; i < ranking.length; i += 1)
    expect(ranking[i - 1]?.confidence ?? 0).toBeGreaterThanOrEqual(ranking[i]?.confidence ?? 0);
  expect(new Set(ranking.map((item) => item.intent)).size).toBe(ranking.length);
});

test('settling keeps only declared intents in the ranking, clamped, and leaves it out when none remain', () => {
  const settled = settleClassification(
    {
      intent: 'refund',
      confidence: 0.6,
      sentiment: { score: 0 },
      reasons: [],
      ranking: [
        { intent: 'refund', confidence: 0.6 },
        { intent: 'made_up', confidence: 0.5 },
        { intent: 'cancel', confidence: 1.4 },
      ],
    },
    ['refund', 'cancel'],
    0.5,
  );
  expect(settled.ranking).toEqual([
    { intent: 'refund', confidence: 0.6 },
    { intent: 'cancel', confidence: 1 },
  ]);
  const none = settleClassification(
    { intent: null, confidence: 0, sentiment: { score: 0 }, reasons: [], ranking: [{ intent: 'x', confidence: 1 }] },
    ['refund'],
    0.5,
  );
  expect(none).not.toHaveProperty('ranking');
});

test("a published model's answer to a node carries its ranking; the triage output keeps its documented fields", () => {
  const artefact = parseTriageArtefact(readFileSync(join(__dirname, '..', 'models', 'triage-model.json')));
  const answer = classifyForNode('support@1', artefact, 'I need to cancel the order I made this morning');
  expect(answer.intent).toBe('cancel_order');
  expect(answer.ranking[0]).toEqual({ intent: 'cancel_order', confidence: answer.confidence });
  expect(answer.ranking.length).toBeGreaterThan(1);
  expect(answer.ranking.length).toBeLessThanOrEqual(5);
  expect(classifyWithArtefact(artefact, 'where is my parcel?')).not.toHaveProperty('ranking');
});
