/**
 * The sentiment the OpenAI-compatible provider reports: the model's score checked against the
 * embedded provider's (wink-nlp's lexicon with negation, the frustration phrases and the frustration
 * assessment of ./frustration), because a
 * small model reads a plain problem ("I cannot log in to my account") as fury, and journeys hand off
 * on a negative sentiment.
 *
 * The rule (docs/ai.md, "AI providers"):
 * - both agree (same label): the mean of the two scores;
 * - the model alone says negative: the result stays neutral (at most `modelAloneFloor`), so the
 *   model's negative escalates only when the embedded signal agrees;
 * - the embedded signal is strongly negative itself (≤ `strongLocal`): it stands, whatever the model says;
 * - any other disagreement: the mean.
 */
import { analyzeSentiment } from './embedded/sentiment';
import { assessFrustration } from './frustration';
import { sentimentLabel } from './provider';

/** A sentiment computed in process, on the customer's raw text: −1 … 1 and why. */
export type LocalSentiment = (text: string) => { score: number; reasons: readonly string[] };

/** Just above the interpreter's negative threshold (−0.25): the model alone never makes a message negative. */
const modelAloneFloor = -0.2;
/** An embedded score this low is frustration the model cannot talk away. */
const strongLocal = -0.5;

/**
 * The embedded provider's signals, as its classify reads them: the lexicon's score, held at
 * `strongLocal` or below when the frustration assessment escalates on the customer's mood (asking for
 * a person is an intent, not a mood, so it alone does not).
 */
export const embeddedSentiment: LocalSentiment = (text) => {
  const mood = analyzeSentiment(text);
  const frustration = assessFrustration(text, [], undefined, mood);
  const moody = frustration.escalate && frustration.reasons.some((reason) => !reason.startsWith('asks for a person'));
  if (!moody) return mood;
  return {
    score: Math.min(mood.score, strongLocal),
    reasons: [
      ...mood.reasons,
      `frustration: escalate (${frustration.score.toFixed(2)}): ${frustration.reasons.join('; ')}`,
    ],
  };
};

const round = (score: number) => Math.round(Math.max(-1, Math.min(1, score)) * 1000) / 1000;

export function combineSentiment(
  model: number,
  local: { score: number; reasons: readonly string[] },
): { score: number; reasons: string[] } {
  const modelLabel = sentimentLabel(model);
  const localLabel = sentimentLabel(local.score);
  const mean = (model + local.score) / 2;
  let score: number;
  let rule: string;
  if (local.score <= strongLocal) {
    score = Math.min(mean, local.score);
    rule = 'the embedded signal is strongly negative';
  } else if (modelLabel === 'negative' && localLabel !== 'negative') {
    score = Math.max(mean, modelAloneFloor);
    rule = "the model's negative alone does not make it negative";
  } else {
    score = mean;
    rule = modelLabel === localLabel ? 'both agree' : 'the mean of both';
  }
  const both = `model ${model.toFixed(2)}, embedded ${local.score.toFixed(2)}`;
  return {
    score: round(score),
    reasons: [`sentiment ${round(score).toFixed(2)} (${both}: ${rule})`, ...local.reasons],
  };
}
