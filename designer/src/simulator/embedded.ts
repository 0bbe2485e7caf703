import { call } from '../api';

export interface IntentChoice {
  name: string;
  examples: string[];
}

const words = (text: string) =>
  new Set(
    text
      .toLowerCase()
      .split(/[^\p{L}\p{N}']+/u)
      .filter((w) => w.length > 1),
  );

/** The intent whose example phrases share the most words with the text (overlap over the example's size). */
export function matchExamples(
  text: string,
  intents: readonly IntentChoice[],
): { intent: string | null; confidence: number } {
  const said = words(text);
  let best: { intent: string | null; confidence: number } = { intent: null, confidence: 0 };
  for (const intent of intents) {
    for (const example of intent.examples) {
      const ex = words(example);
      if (ex.size === 0) continue;
      let shared = 0;
      for (const w of ex) if (said.has(w)) shared += 1;
      const score = shared / Math.max(ex.size, Math.min(said.size, 6));
      if (score > best.confidence) best = { intent: intent.name, confidence: Math.round(score * 100) / 100 };
    }
  }
  return best;
}

type Classification = {
  intent: string | null;
  confidence: number;
  sentiment: { score: number; label: string };
  reasons: string[];
};

/**
 * "Embedded" answer of a classification in the simulator: the node's own `baton.classify` input sent
 * to `POST /api/classify`, which runs the embedded provider as production does (trained model plus
 * the node's example phrases). Without that route, an approximation: the triage model's sentiment
 * and intent, else the closest example phrases; without the API at all, the phrases alone.
 */
export async function embeddedClassification(
  text: string,
  intents: readonly IntentChoice[],
  nodeInput?: Record<string, unknown>,
): Promise<Classification> {
  const model = nodeInput?.model as { name?: unknown; version?: unknown } | undefined;
  if (model && typeof model.name === 'string') {
    // A node backed by a published triage model: the model answers, as the worker asks it.
    try {
      return await call<Classification>('POST', `/triage-models/${encodeURIComponent(model.name)}/classify`, {
        text,
        ...(typeof model.version === 'number' && { version: model.version }),
      });
    } catch (error) {
      return {
        intent: null,
        confidence: 0,
        sentiment: { score: 0, label: 'neutral' },
        reasons: [`the model ${model.name} did not answer: ${error instanceof Error ? error.message : String(error)}`],
      };
    }
  }
  if (nodeInput) {
    try {
      const answer = await call<Classification>('POST', '/classify', {
        text,
        intents: nodeInput.intents,
        ...(typeof nodeInput.minConfidence === 'number' && { minConfidence: nodeInput.minConfidence }),
      });
      return {
        ...answer,
        reasons: [
          `embedded provider (as production): ${answer.intent ?? 'no intent'} (${answer.confidence.toFixed(2)})`,
          ...answer.reasons,
        ],
      };
    } catch {
      // An older API without the route, or none reachable: the approximation below.
    }
  }
  const byExamples = matchExamples(text, intents);
  let sentiment = 0;
  const reasons: string[] = [];
  let chosen = byExamples;
  try {
    const triage = await call<{ intent: string; confidence: number; sentiment: number }>('POST', '/triage', { text });
    sentiment = triage.sentiment;
    if (intents.some((i) => i.name === triage.intent) && triage.confidence >= byExamples.confidence) {
      chosen = { intent: triage.intent, confidence: triage.confidence };
      reasons.push(`embedded triage model: ${triage.intent} (${triage.confidence.toFixed(2)})`);
    }
  } catch {
    reasons.push('the API triage model was not reachable; example phrases only');
  }
  if (reasons.length === 0 || !reasons[0]!.startsWith('embedded'))
    reasons.push(`closest example phrases: ${chosen.intent ?? 'none'} (${chosen.confidence.toFixed(2)})`);
  const label = sentiment <= -0.25 ? 'negative' : sentiment >= 0.25 ? 'positive' : 'neutral';
  return { ...chosen, sentiment: { score: sentiment, label }, reasons };
}
