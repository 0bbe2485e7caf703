/**
 * The embedded AI provider: offline, deterministic, no model download. The default, and the one
 * the tests use.
 *
 * Intents: each text becomes four TF-IDF vectors (stemmed word unigrams with negation marks, word
 * bigrams, character trigrams, support-domain concepts); its similarity to an intent combines the
 * cosine to the closest example with the cosine to the intent's centroid, mixed with a softmax
 * regression trained on the examples. Confidence is gated by how similar the text is to any example,
 * so an unrelated message gets a low confidence (and the journey's fallback) rather than a guess.
 *
 * Sentiment: wink-nlp with its English model (wink-eng-lite-web-model: a sentiment lexicon with
 * negation, −1 … 1) on the normalised text, tempered when only a word or two carry it, then pushed
 * down by frustration phrases ("I've tried everything", "this is ridiculous", "third time" …), each
 * of which is named in `reasons`.
 *
 * Frustration (../frustration): whether the message should reach a person, from a learned model and
 * signals; an escalation is named in `reasons`, and one on the customer's mood caps the sentiment.
 *
 * Summary: extractive; the customer's request plus the most informative other sentences.
 *
 * This file is the provider and how it combines the sources of an intent; beside it: features,
 * phrases (the example-phrase classifier), model-view (the trained triage model), sentiment, summary,
 * scripts (what the English models cannot read).
 */
import {
  sentimentLabel,
  type AiProvider,
  type Classification,
  type IntentExamples,
  type KbAnswer,
  type KbPassage,
  type RankedIntent,
  type TranscriptLine,
} from '../provider';
import { assessFrustration } from '../frustration';
import { extractiveAnswer } from '../kb';
import { modelView } from './model-view';
import { buildModel, classifyByPhrases, type Model, type PhraseClassification } from './phrases';
import { unsupportedScript } from './scripts';
import { analyzeSentiment, type SentimentAnalysis } from './sentiment';
import { clip, summarizeTranscript } from './summary';

export { featuresOf } from './features';
export { unsupportedScript } from './scripts';

/** Messages longer than this are classified by their beginning (the request comes first). */
const maxClassifiedLength = 5_000;
/** A correction at least this similar to the message decides its intent. */
const correctionOverride = 0.6;
/** The sentiment score at most of a message whose mood escalates (a journey's "frustrated" rule reads it). */
const moodOfEscalation = -0.5;
/** The trained model's share in the confidence of an intent mapped to it. */
const modelWeight = 0.7;

/** The best three intents, best first, confidences rounded as the best one's is. */
function topIntents(scores: readonly [string, number][]): RankedIntent[] {
  return [...scores]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 3)
    .map(([intent, confidence]) => ({ intent, confidence: Math.round(confidence * 1000) / 1000 }));
}

export interface EmbeddedProviderOptions {
  /** Intent models kept (one per distinct intent list); 64 by default. */
  cacheSize?: number;
}

export class EmbeddedAiProvider implements AiProvider {
  readonly name = 'embedded';
  private readonly models = new Map<string, Model>();
  private readonly cacheSize: number;

  constructor(options: EmbeddedProviderOptions = {}) {
    this.cacheSize = options.cacheSize ?? 64;
  }

  private model(intents: readonly IntentExamples[]): Model {
    const key = JSON.stringify(intents.map((intent) => [intent.name, intent.examples, intent.corrections ?? []]));
    let model = this.models.get(key);
    if (model) {
      // Least recently used goes first.
      this.models.delete(key);
    } else {
      model = buildModel(intents);
      if (this.models.size >= this.cacheSize) {
        const oldest = this.models.keys().next().value;
        if (oldest !== undefined) this.models.delete(oldest);
      }
    }
    this.models.set(key, model);
    return model;
  }

  /** Intent only (no sentiment): the scores of every intent, best first, and the confidence. */
  classifyIntent(text: string, intents: readonly IntentExamples[]): PhraseClassification {
    return classifyByPhrases(text, intents, (declared) => this.model(declared));
  }

  /** Sentiment only: −1 … 1 with its reasons. */
  analyzeSentiment(text: string): SentimentAnalysis {
    return analyzeSentiment(text);
  }

  /**
   * The intent from three sources (see schemas/src/nodes/classify/README.md): the journey's example
   * phrases (with agents' corrections as further examples, nearest neighbour + centroid), the
   * trained triage model for intents mapped to its labels, and a correction that is very close to
   * the message, which wins outright.
   */
  combinedIntent(
    text: string,
    intents: readonly IntentExamples[],
  ): { intent: string | null; confidence: number; reasons: string[]; ranking?: RankedIntent[] } {
    const script = unsupportedScript(text);
    if (script)
      return {
        intent: null,
        confidence: 0,
        reasons: [`not in a supported language (${script} script): the embedded classifier reads English`],
      };
    const clipped = text.length > maxClassifiedLength;
    const subject = clipped ? text.slice(0, maxClassifiedLength) : text;
    const note = clipped ? [`classified the first ${maxClassifiedLength} of ${text.length} characters`] : [];
    const phrases = this.classifyIntent(subject, intents);
    if (phrases.ranking.length === 0) return { intent: null, confidence: 0, reasons: [...phrases.reasons, ...note] };

    // An agent corrected a message very like this one: their label wins.
    const corrected = phrases.ranking
      .filter((item) => item.correction && item.correction.similarity >= correctionOverride)
      .sort((a, b) => (b.correction?.similarity ?? 0) - (a.correction?.similarity ?? 0))[0];
    if (corrected?.correction) {
      const confidence =
        Math.round(
          Math.max(corrected.correction.similarity, corrected.name === phrases.intent ? phrases.confidence : 0) * 1000,
        ) / 1000;
      return {
        intent: corrected.name,
        confidence,
        reasons: [
          `${corrected.name}: an agent corrected a similar message "${clip(corrected.correction.text, 80)}" (similarity ${corrected.correction.similarity.toFixed(2)})`,
          ...note,
        ],
      };
    }

    const view = modelView(subject, intents);
    if (!view) {
      const shares = phrases.shares;
      return {
        intent: phrases.intent,
        confidence: phrases.confidence,
        reasons: [...phrases.reasons, ...note],
        ...(shares && { ranking: topIntents(phrases.ranking.map((item) => [item.name, shares.get(item.name) ?? 0])) }),
      };
    }
    // Intents mapped to the trained model: mostly its view (trained on thousands of utterances),
    // partly the journey's phrases; intents it does not know: the phrases alone.
    let best: { name: string; confidence: number } | null = null;
    const all: [string, number][] = [];
    for (const intent of intents) {
      const phrase = phrases.shares?.get(intent.name) ?? 0;
      const model = view.masses.get(intent.name);
      const confidence = model ? modelWeight * model.mass + (1 - modelWeight) * phrase : phrase;
      all.push([intent.name, confidence]);
      if (!best || confidence > best.confidence) best = { name: intent.name, confidence };
    }
    const coverage = `trained model's vocabulary covers ${Math.round(view.coverage * 100)} % of the words`;
    const unfamiliar = view.coverage < 0.3 ? [`few known words (${coverage}): perhaps not English`] : [];
    if (!best || best.confidence <= 0.001)
      return { intent: null, confidence: 0, reasons: [...unfamiliar, 'nothing like any intent', ...note] };
    const model = view.masses.get(best.name);
    const sources = [
      model ? `trained model ${model.top} ${model.mass.toFixed(2)}` : 'not mapped to the trained model',
      `example phrases ${(phrases.shares?.get(best.name) ?? 0).toFixed(2)}`,
    ].join(', ');
    const confidence = Math.round(best.confidence * 1000) / 1000;
    return {
      intent: best.name,
      confidence,
      reasons: [...unfamiliar, `${best.name} (${confidence.toFixed(2)}): ${sources}`, ...phrases.reasons, ...note],
      ranking: topIntents(all),
    };
  }

  async classify(text: string, intents: readonly IntentExamples[]): Promise<Classification> {
    const intent = this.combinedIntent(text, intents);
    const sentiment = this.analyzeSentiment(text);
    const frustration = assessFrustration(text, [], undefined, sentiment);
    // A message that escalates on its mood (a complaint, profanity, anger, shouting) reads as negative
    // to the journey's sentiment rules even where the lexicon misses it; asking for a person is an
    // intent, not a mood, so it alone leaves the score as it is.
    const moody = frustration.reasons.some((reason) => !reason.startsWith('asks for a person'));
    const score = frustration.escalate && moody ? Math.min(sentiment.score, moodOfEscalation) : sentiment.score;
    return {
      intent: intent.intent,
      confidence: intent.confidence,
      ...(intent.ranking && { ranking: intent.ranking }),
      sentiment: { score, label: sentimentLabel(score) },
      reasons: [
        ...intent.reasons,
        ...sentiment.reasons,
        ...(frustration.escalate
          ? [`frustration: escalate (${frustration.score.toFixed(2)}): ${frustration.reasons.join('; ')}`]
          : []),
      ],
    };
  }

  async summarize(transcript: readonly TranscriptLine[]): Promise<string> {
    return summarizeTranscript(transcript, (text) => this.analyzeSentiment(text));
  }

  /** Extractive: the best passage's relevant sentences, and its article as the reply (see ai/kb). */
  async answer(
    question: string,
    passages: readonly KbPassage[],
    context: { customerName?: string },
  ): Promise<KbAnswer> {
    return extractiveAnswer(question, passages, context.customerName);
  }
}

export function createEmbeddedProvider(options: EmbeddedProviderOptions = {}): EmbeddedAiProvider {
  return new EmbeddedAiProvider(options);
}
