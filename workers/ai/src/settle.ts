import { sentimentLabel } from './provider';

/**
 * What a provider answered, made safe for the journey: an undeclared intent is no intent, numbers
 * clamped, the deciding reason first (the handoff's steps tried quote it). Shared with the
 * designer's simulator (POST /api/classify), so it classifies as production does.
 */
export function settleClassification(
  result: {
    intent: string | null;
    confidence: number;
    sentiment: { score: number };
    reasons: readonly string[];
    ranking?: readonly { intent: string; confidence: number }[];
  },
  names: readonly string[],
  minConfidence: number,
): {
  intent: string | null;
  confidence: number;
  sentiment: { score: number; label: 'negative' | 'neutral' | 'positive' };
  reasons: string[];
  ranking?: { intent: string; confidence: number }[];
} {
  const declared = new Set(names);
  const intent = result.intent !== null && declared.has(result.intent) ? result.intent : null;
  const confidence = Math.min(1, Math.max(0, Number.isFinite(result.confidence) ? result.confidence : 0));
  const reasons = [...result.reasons];
  if (result.intent !== null && intent === null)
    reasons.unshift(`the provider answered an undeclared intent "${result.intent}"`);
  else if (intent !== null && confidence < minConfidence)
    reasons.unshift(`confidence ${confidence.toFixed(2)} is below ${minConfidence} (${reasons[0] ?? intent})`);
  const score = Math.min(1, Math.max(-1, Number.isFinite(result.sentiment.score) ? result.sentiment.score : 0));
  // Only declared intents rank; a provider without a ranking leaves it out (no clarification then).
  const ranking = result.ranking
    ?.filter((item) => declared.has(item.intent) && Number.isFinite(item.confidence))
    .map((item) => ({ intent: item.intent, confidence: Math.min(1, Math.max(0, item.confidence)) }))
    .slice(0, 5);
  // The label follows the score with the interpreter's thresholds, whatever the provider said.
  return {
    intent,
    confidence: intent === null ? 0 : confidence,
    sentiment: { score, label: sentimentLabel(score) },
    reasons,
    ...(ranking && ranking.length > 0 && { ranking }),
  };
}
