/**
 * Frustration: should a person take over this message? Signals learned from labelled data (the
 * frustration model's "asks for a person", "complains" and "profanity" heads, trained on Bitext, and
 * its "narrates a bad experience" head, trained on complaint tweets over the cues of ./cues), the
 * sentiment (wink-nlp's lexicon with negation and intensity, see ../embedded/sentiment), shouting,
 * and a request the customer repeats. Each signal has a strength in 0 … 1; they combine as
 * independent evidence (1 − Π(1 − strength)) and the message escalates from `escalationThreshold`.
 * `reasons` names every signal that fired.
 */
import { analyzeSentiment, type SentimentAnalysis } from '../embedded/sentiment';
import { heads, loadFrustrationModel, scoreHeads, type FrustrationModel, type Head } from './model';
import { angry, annoyed, exclaims, repeats, shouts } from './signals';

export { parseEscalationCorrections } from './corrections';
export { frustrationFeatures } from './features';
export {
  loadFrustrationModel,
  parseFrustrationModel,
  trainFrustration,
  type FrustrationModel,
  type LabelledText,
} from './model';

export interface FrustrationAssessment {
  escalate: boolean;
  /** 0 … 1: how strongly the message asks for a person. */
  score: number;
  reasons: string[];
}

/** The lowest setting that keeps calm messages (CLINC150, Banking77 train) within a small false-escalation budget (docs/ai.md). */
export const escalationThreshold = 0.3;
/**
 * A learned head counts from this probability on (its strength rises to 1 at probability 1). The
 * narrated-experience head's floor is the lowest at which Banking77 and CLINC150 (never trained on)
 * escalate no more than Banking77 did before the head existed (5.0 %; docs/ai.md).
 */
const headFloors: Record<Head, number> = { person: 0.35, complaint: 0.35, profanity: 0.35, grievance: 0.4 };
const headReason: Record<Head, string> = {
  person: 'asks for a person',
  complaint: 'complains',
  profanity: 'profanity',
  grievance: 'narrates a bad experience',
};
/** Sentiment from this score down counts, fully from `sentimentFull` down. */
const sentimentStart = -0.45;
const sentimentFull = -0.85;
const strengths = { shouting: 0.5, exclamations: 0.2, repeat: 0.6, anger: 0.55, annoyed: 0.45 };

function headStrength(probability: number, floor: number): number {
  return Math.max(0, (probability - floor) / (1 - floor));
}

function evidenceOf(features: readonly string[]): string {
  const shown = features.map((feature) => feature.replace(/^=/, '').replace(/¬/g, 'not '));
  return shown.length ? `: ${shown.map((item) => `"${item}"`).join(', ')}` : '';
}

export function assessFrustration(
  text: string,
  history: readonly string[] = [],
  model: FrustrationModel = loadFrustrationModel(),
  /** The text's sentiment when the caller has it already (it is the costliest signal). */
  sentiment?: SentimentAnalysis,
): FrustrationAssessment {
  const signals: { strength: number; reason: string }[] = [];
  const mood = sentiment ?? analyzeSentiment(text);
  const learned = scoreHeads(model, text, mood);
  for (const head of heads) {
    const { probability, evidence } = learned[head];
    const strength = headStrength(probability, headFloors[head]);
    if (strength > 0)
      signals.push({ strength, reason: `${headReason[head]} (${probability.toFixed(2)})${evidenceOf(evidence)}` });
  }
  if (mood.score <= sentimentStart) {
    const strength = Math.min(1, (sentimentStart - mood.score) / (sentimentStart - sentimentFull));
    const negated = mood.reasons.some((reason) => /\bnot \w/.test(reason) && reason.includes('words:'));
    signals.push({
      strength,
      reason: `${strength >= 0.5 ? 'strong ' : ''}negative sentiment (${mood.score})${negated ? ' with negation handled' : ''}`,
    });
  }
  const anger = angry(text);
  if (anger) signals.push({ strength: strengths.anger, reason: `angry words ("${anger}")` });
  const annoyance = annoyed(text);
  if (annoyance) signals.push({ strength: strengths.annoyed, reason: `annoyed ("${annoyance}")` });
  if (shouts(text)) signals.push({ strength: strengths.shouting, reason: 'shouting' });
  if (exclaims(text)) signals.push({ strength: strengths.exclamations, reason: 'exclamations' });
  const repeated = repeats(text, history);
  if (repeated) signals.push({ strength: strengths.repeat, reason: `repeats an earlier request (${repeated})` });
  let calm = 1;
  for (const signal of signals) calm *= 1 - signal.strength;
  const score = Math.round((1 - calm) * 1000) / 1000;
  signals.sort((a, b) => b.strength - a.strength);
  return { escalate: score >= escalationThreshold, score, reasons: signals.map((signal) => signal.reason) };
}
