/**
 * The embedded AI provider: offline, deterministic, no model download. The default, and the one
 * the tests use.
 *
 * Intents: each text becomes four TF-IDF vectors (stemmed word unigrams with negation marks, word
 * bigrams, character trigrams, support-domain concepts); its similarity to an intent combines the
 * cosine to the closest example with the cosine to the intent's centroid. Confidence is the
 * softmax share of the best intent, scaled by how similar the text is to it at all, so an
 * unrelated message gets a low confidence (and the journey's fallback) rather than a guess.
 *
 * Sentiment: wink-nlp with its English model (wink-eng-lite-web-model: a sentiment lexicon with
 * negation, −1 … 1) on the normalised text, tempered when only a word or two carry it, then pushed
 * down by frustration phrases ("I've tried everything", "this is ridiculous", "third time" …), each
 * of which is named in `reasons`.
 *
 * Summary: extractive; the customer's request plus the most informative other sentences.
 */
import type winkNLP from 'wink-nlp';
import type { ItemToken, WinkMethods } from 'wink-nlp';
import type englishModel from 'wink-eng-lite-web-model';
import type { AiProvider, Classification, IntentExamples, KbAnswer, KbPassage, TranscriptLine } from './provider';
import { extractiveAnswer } from './kb';
import { sentimentLabel } from './provider';
import { clauses, concepts, normalizeText, stopwords, tokenize, words, type Token } from './text';
import { loadTriageModel, posteriorNb, triageTokens, type TriageModel } from './triage/model';

// ---------------------------------------------------------------- features

type Channel = 'words' | 'bigrams' | 'chars' | 'concepts';
const channels: readonly Channel[] = ['words', 'bigrams', 'chars', 'concepts'];
const channelWeight: Record<Channel, number> = { words: 0.4, bigrams: 0.15, chars: 0.15, concepts: 0.3 };
/** Function words count, a little. */
const stopWeight = 0.3;

type Counts = Map<string, number>;
type Features = Record<Channel, Counts>;
type Vector = Map<string, number>;
type Vectors = Record<Channel, Vector>;

function add(counts: Counts, key: string, weight = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + weight);
}

function termOf(token: Token): string {
  return token.negated ? `¬${token.stem}` : token.stem;
}

export function featuresOf(text: string): Features {
  const tokens = tokenize(text);
  const features: Features = { words: new Map(), bigrams: new Map(), chars: new Map(), concepts: new Map() };
  tokens.forEach((token, index) => {
    add(features.words, termOf(token), token.stop ? stopWeight : 1);
    const next = tokens[index + 1];
    if (next && !(token.stop && next.stop)) add(features.bigrams, `${termOf(token)} ${termOf(next)}`);
  });
  for (const clause of clauses(normalizeText(text))) {
    for (const word of words(clause)) {
      const padded = `_${word}_`;
      const weight = stopwords.has(word) ? stopWeight : 1;
      for (let i = 0; i + 3 <= padded.length; i += 1) add(features.chars, padded.slice(i, i + 3), weight);
    }
  }
  for (const concept of concepts(tokens)) add(features.concepts, concept);
  return features;
}

function sublinear(tf: number): number {
  return tf >= 1 ? 1 + Math.log(tf) : tf;
}

function normalize(vector: Vector): Vector {
  let norm = 0;
  for (const value of vector.values()) norm += value * value;
  norm = Math.sqrt(norm);
  if (norm === 0) return vector;
  for (const [key, value] of vector) vector.set(key, value / norm);
  return vector;
}

function dot(a: Vector, b: Vector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let sum = 0;
  for (const [key, value] of small) {
    const other = large.get(key);
    if (other !== undefined) sum += value * other;
  }
  return sum;
}

/** Weighted mean of the channel cosines, over the channels that either side has anything in. */
function similarity(a: Vectors, b: Vectors): number {
  let sum = 0;
  let weights = 0;
  for (const channel of channels) {
    if (a[channel].size === 0 && b[channel].size === 0) continue;
    weights += channelWeight[channel];
    sum += channelWeight[channel] * dot(a[channel], b[channel]);
  }
  return weights === 0 ? 0 : sum / weights;
}

// ---------------------------------------------------------------- intent model

interface IntentModel {
  name: string;
  examples: { text: string; vectors: Vectors; correction: boolean }[];
  centroid: Vectors;
}

interface Model {
  idf: Record<Channel, Map<string, number>>;
  intents: IntentModel[];
}

function buildModel(intents: readonly IntentExamples[]): Model {
  const documents: { intent: number; text: string; features: Features; correction: boolean }[] = [];
  intents.forEach((intent, index) => {
    for (const example of intent.examples)
      documents.push({ intent: index, text: example, features: featuresOf(example), correction: false });
    for (const example of intent.corrections ?? [])
      documents.push({ intent: index, text: example, features: featuresOf(example), correction: true });
  });
  const idf = {} as Record<Channel, Map<string, number>>;
  for (const channel of channels) {
    const df = new Map<string, number>();
    for (const document of documents)
      for (const key of document.features[channel].keys()) df.set(key, (df.get(key) ?? 0) + 1);
    const weights = new Map<string, number>();
    for (const [key, count] of df) weights.set(key, Math.log((1 + documents.length) / (1 + count)) + 1);
    idf[channel] = weights;
  }
  const model: Model = {
    idf,
    intents: intents.map((intent) => ({ name: intent.name, examples: [], centroid: emptyVectors() })),
  };
  for (const document of documents) {
    const vectors = vectorize(model, document.features);
    const intent = model.intents[document.intent] as IntentModel;
    intent.examples.push({ text: document.text, vectors, correction: document.correction });
    for (const channel of channels)
      for (const [key, value] of vectors[channel])
        intent.centroid[channel].set(key, (intent.centroid[channel].get(key) ?? 0) + value);
  }
  for (const intent of model.intents) for (const channel of channels) normalize(intent.centroid[channel]);
  return model;
}

function emptyVectors(): Vectors {
  return { words: new Map(), bigrams: new Map(), chars: new Map(), concepts: new Map() };
}

/** TF-IDF, unit length per channel. A term no example has weighs as a common one: it dilutes, without swamping. */
function vectorize(model: Model, features: Features): Vectors {
  const vectors = emptyVectors();
  for (const channel of channels) {
    const idf = model.idf[channel];
    for (const [key, tf] of features[channel]) vectors[channel].set(key, sublinear(tf) * (idf.get(key) ?? 1));
    normalize(vectors[channel]);
  }
  return vectors;
}

/** How close a text is to an intent: its closest example, tempered by the intent as a whole. */
const exampleShare = 0.7;
/** Softmax temperature over intent scores. */
const temperature = 0.08;
/** Below `floor` a text resembles the intent in nothing; from `floor + span` on it resembles it fully. */
const relevanceFloor = 0.06;
const relevanceSpan = 0.3;

interface Scored {
  name: string;
  score: number;
  closest: string;
  closestSimilarity: number;
  /** The closest of the agents' corrections to this intent, if any. */
  correction?: { text: string; similarity: number };
}

function scoreIntents(model: Model, text: string): Scored[] {
  const vectors = vectorize(model, featuresOf(text));
  return model.intents.map((intent) => {
    let best = 0;
    let closest = intent.examples[0]?.text ?? '';
    let correction: Scored['correction'];
    for (const example of intent.examples) {
      const value = similarity(vectors, example.vectors);
      if (value > best) {
        best = value;
        closest = example.text;
      }
      if (example.correction && value > (correction?.similarity ?? 0))
        correction = { text: example.text, similarity: value };
    }
    const score = exampleShare * best + (1 - exampleShare) * similarity(vectors, intent.centroid);
    return { name: intent.name, score, closest, closestSimilarity: best, ...(correction && { correction }) };
  });
}

// ---------------------------------------------------------------- sentiment

/**
 * wink-nlp with the English model: loaded once per process, on first use, so a process that never
 * measures sentiment (an API that only serves the assist, the CLI's validate) does not hold it.
 */
let english: WinkMethods | undefined;
function englishNlp(): WinkMethods {
  if (!english) {
    /* eslint-disable @typescript-eslint/no-require-imports -- a deliberate lazy load of a large third-party model */
    const nlp = require('wink-nlp') as typeof winkNLP;
    const model = require('wink-eng-lite-web-model') as typeof englishModel;
    /* eslint-enable @typescript-eslint/no-require-imports */
    english = nlp(model, ['sbd', 'negation', 'sentiment']);
  }
  return english;
}

/**
 * Two gaps in the model's lexicon, for support chat: it rates the acknowledgements "ok"/"okay" as
 * strongly positive (0.75/0.81, above "great" at 0.6) where they only acknowledge (AFINN left them
 * out), so they are not scored; and it lists "work", "works", "working" but not "worked" ("it
 * never worked" would score 0), so "worked" is read as "work".
 */
function forSentiment(normalized: string): string {
  return normalized.replace(/\b(ok|okay)\b/g, ' ').replace(/\bworked\b/g, 'work');
}

/** A word's own polarity in the model's lexicon (for the reasons); pure, so a bounded memo is safe. */
const wordPolarity = new Map<string, number>();
const wordPolarityLimit = 20_000;
function polarityOf(nlp: WinkMethods, word: string): number {
  let polarity = wordPolarity.get(word);
  if (polarity === undefined) {
    polarity = Number(nlp.readDoc(word).out(nlp.its.sentiment));
    if (wordPolarity.size >= wordPolarityLimit) wordPolarity.clear();
    wordPolarity.set(word, polarity);
  }
  return polarity;
}

/** Frustration phrases: each pushes the score down and is named in the reasons. */
const frustration: { pattern: RegExp; weight: number; what: string }[] = [
  {
    pattern: /\btried (everything|every ?thing|all|it all)\b|\bdone everything\b/,
    weight: 0.35,
    what: 'tried everything',
  },
  { pattern: /\b(ridiculous|absurd|a joke|unbelievable)\b/, weight: 0.3, what: 'ridiculous' },
  { pattern: /\b(useless|pointless|worthless|hopeless)\b/, weight: 0.3, what: 'useless' },
  {
    pattern:
      /\b((second|third|fourth|fifth|2nd|3rd|4th|5th|\d+th) time|how many times|again and again|over and over|keeps? (happening|failing|saying|asking))\b/,
    weight: 0.3,
    what: 'repeated failure',
  },
  {
    pattern:
      /\b(talk|speak|chat)( to| with)( a| an| some| your)?( real| actual| live)? (person|human|agent|someone|somebody|representative|manager|supervisor)\b|\breal (person|human)\b/,
    weight: 0.2,
    what: 'asks for a person',
  },
  {
    pattern:
      /\b(waste of (my )?time|fed up|sick (and tired )?of|unacceptable|frustrat\w*|annoy\w*|infuriat\w*|had enough)\b/,
    weight: 0.3,
    what: 'exasperation',
  },
  { pattern: /\bstill (not|does not|did not|can not|broken|nothing|no)\b/, weight: 0.15, what: 'still not working' },
  { pattern: /\b(not help(ing|ful)|no help|does not help|did not help)\b/, weight: 0.25, what: 'not helped' },
  { pattern: /\b(cancel|close) (my )?(account|subscription|order)\b/, weight: 0.2, what: 'threatens to leave' },
  { pattern: /\b(terrible|awful|worst|horrible|pathetic)\b/, weight: 0.2, what: 'harsh words' },
];
const maxFrustration = 0.8;

function shouting(text: string): boolean {
  const loud = text.match(/\b[A-Z]{3,}\b/g) ?? [];
  const letters = text.match(/[A-Za-z]/g) ?? [];
  const upper = text.match(/[A-Z]/g) ?? [];
  return loud.length >= 2 && letters.length >= 8 && upper.length / letters.length >= 0.6;
}

// ---------------------------------------------------------------- summary

const fillerWords = new Set([
  'ok',
  'okay',
  'yes',
  'yeah',
  'yep',
  'no',
  'nope',
  'thank',
  'thanks',
  'sure',
  'great',
  'fine',
  'cool',
  'bye',
  'goodbye',
]);

function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence !== '');
}

function contentStems(sentence: string): string[] {
  return tokenize(sentence)
    .filter((token) => !token.stop && !fillerWords.has(token.stem))
    .map((token) => token.stem);
}

function clip(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

// ---------------------------------------------------------------- combination

/** Messages longer than this are classified by their beginning (the request comes first). */
const maxClassifiedLength = 5_000;
/** A correction at least this similar to the message decides its intent. */
const correctionOverride = 0.6;
/** The trained model's share in the confidence of an intent mapped to it. */
const modelWeight = 0.7;

const scripts: [string, RegExp][] = [
  ['Japanese', /[\u3040-\u30ff]/gu],
  ['Chinese', /[\u4e00-\u9fff]/gu],
  ['Korean', /[\uac00-\ud7af]/gu],
  ['Cyrillic', /[\u0400-\u04ff]/gu],
  ['Greek', /[\u0370-\u03ff]/gu],
  ['Arabic', /[\u0600-\u06ff]/gu],
  ['Hebrew', /[\u0590-\u05ff]/gu],
  ['Devanagari', /[\u0900-\u097f]/gu],
  ['Thai', /[\u0e00-\u0e7f]/gu],
];

/** The script of a message written mostly in a script the English models cannot read, else null. */
export function unsupportedScript(text: string): string | null {
  // Most messages are Latin script through and through: one cheap test instead of a dozen.
  // eslint-disable-next-line no-control-regex -- the range starts at U+0000 on purpose
  if (!/[^\u0000-\u036f\u1e00-\u20cf]/.test(text)) return null;
  const letters = (text.match(/\p{L}/gu) ?? []).length;
  if (letters === 0) return null;
  let best: [string, number] | null = null;
  for (const [name, pattern] of scripts) {
    const count = (text.match(pattern) ?? []).length;
    if (count > (best?.[1] ?? 0)) best = [name, count];
  }
  // Japanese mixes kana with Chinese characters: count them together.
  const kana = (text.match(/[\u3040-\u30ff]/gu) ?? []).length;
  if (kana > 0) best = ['Japanese', kana + (text.match(/[\u4e00-\u9fff]/gu) ?? []).length];
  return best && best[1] / letters >= 0.5 ? best[0] : null;
}

let triageModel: TriageModel | undefined;

/**
 * The trained triage model's view: per declared intent, the probability mass of the model intents it
 * stands for (`modelIntents`, or its own name when that is a model intent), scaled by how much of
 * the message the model's vocabulary covers, so that off-domain text is not confidently anything.
 * Null when no declared intent maps to the model.
 */
function modelView(
  text: string,
  intents: readonly IntentExamples[],
): { masses: Map<string, { mass: number; top: string }>; coverage: number } | null {
  triageModel ??= loadTriageModel();
  const model = triageModel;
  const labels = new Set(model.intent.labels);
  const mapped = intents
    .map((intent) => ({
      name: intent.name,
      labels: (intent.modelIntents ?? [intent.name]).filter((label) => labels.has(label)),
    }))
    .filter((intent) => intent.labels.length > 0);
  if (mapped.length === 0) return null;
  const tokens = triageTokens(text);
  const words = tokens.filter((token) => !token.includes('_') && token !== '#num');
  if (words.length === 0) return null;
  const coverage = words.filter((word) => model.intent.features[word] !== undefined).length / words.length;
  const scale = Math.min(1, coverage / 0.6);
  const posterior = posteriorNb(model.intent, tokens);
  const byLabel = new Map(model.intent.labels.map((label, index) => [label, posterior[index] ?? 0]));
  const masses = new Map<string, { mass: number; top: string }>();
  for (const intent of mapped) {
    let mass = 0;
    let top = intent.labels[0] as string;
    for (const label of intent.labels) {
      mass += byLabel.get(label) ?? 0;
      if ((byLabel.get(label) ?? 0) > (byLabel.get(top) ?? 0)) top = label;
    }
    masses.set(intent.name, { mass: mass * scale, top });
  }
  return { masses, coverage };
}

// ---------------------------------------------------------------- provider

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
  classifyIntent(
    text: string,
    intents: readonly IntentExamples[],
  ): { intent: string | null; confidence: number; ranking: Scored[]; reasons: string[]; shares?: Map<string, number> } {
    if (intents.length === 0) return { intent: null, confidence: 0, ranking: [], reasons: ['no intents declared'] };
    if (words(normalizeText(text)).length === 0)
      return { intent: null, confidence: 0, ranking: [], reasons: ['nothing to classify'] };
    const ranking = scoreIntents(this.model(intents), text).sort(
      (a, b) => b.score - a.score || a.name.localeCompare(b.name),
    );
    const best = ranking[0] as Scored;
    const relevance = Math.min(1, Math.max(0, (best.score - relevanceFloor) / relevanceSpan));
    if (relevance === 0) {
      return {
        intent: null,
        confidence: 0,
        ranking,
        reasons: [`nothing like any intent's examples (best ${best.name} ${best.score.toFixed(2)})`],
      };
    }
    const top = best.score / temperature;
    let total = 0;
    for (const item of ranking) total += Math.exp(item.score / temperature - top);
    const share = 1 / total;
    const confidence = Math.round(relevance * share * 1000) / 1000;
    const shares = new Map(
      ranking.map((item) => [item.name, (relevance * Math.exp(item.score / temperature - top)) / total]),
    );
    const reasons = [
      `${best.name}: closest example "${best.closest}" (similarity ${best.closestSimilarity.toFixed(2)}, score ${best.score.toFixed(2)})`,
    ];
    const second = ranking[1];
    if (second) reasons.push(`runner-up ${second.name} (score ${second.score.toFixed(2)})`);
    return { intent: best.name, confidence, ranking, reasons, shares };
  }

  /** Sentiment only: −1 … 1 with its reasons. */
  analyzeSentiment(text: string): { score: number; label: 'negative' | 'neutral' | 'positive'; reasons: string[] } {
    const normalized = normalizeText(text);
    const nlp = englishNlp();
    const doc = nlp.readDoc(forSentiment(normalized));
    const negative = new Set<string>();
    const positive = new Set<string>();
    let sentimentWords = 0;
    doc.tokens().each((token: ItemToken) => {
      if (token.out(nlp.its.type) !== 'word') return;
      const word = token.out(nlp.its.normal);
      const polarity = polarityOf(nlp, word);
      if (polarity === 0) return;
      sentimentWords += 1;
      // The model flips a negated word ("did not work"); the reasons say so.
      const negated = token.out(nlp.its.negationFlag);
      const shown = negated ? `not ${word}` : word;
      ((negated ? -polarity : polarity) < 0 ? negative : positive).add(shown);
    });
    const reasons: string[] = [];
    if (negative.size) reasons.push(`negative words: ${[...negative].join(', ')}`);
    if (positive.size) reasons.push(`positive words: ${[...positive].join(', ')}`);
    // The model's score is the mean intensity of the sentiment words, so one word decides it alone
    // ("it did not work" scores as "terrible"); one neutral pseudo-word of evidence tempers a lone word.
    let score = (Number(doc.out(nlp.its.sentiment)) * sentimentWords) / (sentimentWords + 1);
    let pushed = 0;
    for (const trigger of frustration) {
      const match = trigger.pattern.exec(normalized);
      if (!match) continue;
      pushed += trigger.weight;
      reasons.push(`frustration (${trigger.what}): "${match[0]}"`);
    }
    if (shouting(text)) {
      pushed += 0.15;
      reasons.push('frustration (shouting): capital letters');
    }
    if (/[!?]{3,}|!\?|\?!/.test(text)) {
      pushed += 0.1;
      reasons.push('frustration (exclamations)');
    }
    score -= Math.min(maxFrustration, pushed);
    score = Math.round(Math.max(-1, Math.min(1, score)) * 1000) / 1000;
    return { score, label: sentimentLabel(score), reasons };
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
  ): { intent: string | null; confidence: number; reasons: string[] } {
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
    if (!view)
      return { intent: phrases.intent, confidence: phrases.confidence, reasons: [...phrases.reasons, ...note] };
    // Intents mapped to the trained model: mostly its view (trained on thousands of utterances),
    // partly the journey's phrases; intents it does not know: the phrases alone.
    let best: { name: string; confidence: number } | null = null;
    for (const intent of intents) {
      const phrase = phrases.shares?.get(intent.name) ?? 0;
      const model = view.masses.get(intent.name);
      const confidence = model ? modelWeight * model.mass + (1 - modelWeight) * phrase : phrase;
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
    };
  }

  async classify(text: string, intents: readonly IntentExamples[]): Promise<Classification> {
    const intent = this.combinedIntent(text, intents);
    const sentiment = this.analyzeSentiment(text);
    return {
      intent: intent.intent,
      confidence: intent.confidence,
      sentiment: { score: sentiment.score, label: sentiment.label },
      reasons: [...intent.reasons, ...sentiment.reasons],
    };
  }

  async summarize(transcript: readonly TranscriptLine[]): Promise<string> {
    const customer = transcript.filter((line) => line.from === 'customer');
    if (customer.length === 0) return 'The customer has not written anything yet.';
    const sentences: { text: string; order: number; stems: string[] }[] = [];
    for (const line of customer)
      for (const text of sentencesOf(line.text))
        sentences.push({ text, order: sentences.length, stems: contentStems(text) });

    // Rarer words inside this conversation say more; frustration, numbers (order ids) and questions count extra.
    const df = new Map<string, number>();
    for (const sentence of sentences) for (const word of new Set(sentence.stems)) df.set(word, (df.get(word) ?? 0) + 1);
    const scoreOf = (sentence: (typeof sentences)[number]): number => {
      const unique = new Set(sentence.stems);
      if (unique.size === 0) return 0;
      let information = 0;
      for (const word of unique) information += Math.log(1 + sentences.length / (df.get(word) ?? 1));
      let score = information / Math.sqrt(sentence.stems.length);
      if (this.analyzeSentiment(sentence.text).reasons.some((reason) => reason.startsWith('frustration'))) score += 1;
      if (/\d/.test(sentence.text)) score += 0.5;
      if (sentence.text.includes('?')) score += 0.3;
      return score;
    };
    const substantive = sentences.filter((sentence) => new Set(sentence.stems).size >= 2 || /\d/.test(sentence.text));
    const quote = (text: string) => `"${clip(text.replace(/[.!?]+$/, ''))}"`;
    const count = ` (${customer.length} customer message${customer.length === 1 ? '' : 's'}.)`;
    const request = substantive[0];
    if (!request)
      return `The customer only said: ${sentences
        .map((sentence) => quote(sentence.text))
        .slice(0, 3)
        .join('; ')}.${count}`;
    const others = substantive
      .filter((sentence) => sentence !== request)
      .map((sentence) => ({ sentence, score: scoreOf(sentence) }))
      .filter((item) => item.score > 0)
      .sort((a, b) => b.score - a.score || a.sentence.order - b.sentence.order)
      .slice(0, 2)
      .map((item) => item.sentence)
      .sort((a, b) => a.order - b.order);
    let summary = `Customer asked: ${quote(request.text)}.`;
    if (others.length) summary += ` Then said: ${others.map((sentence) => quote(sentence.text)).join('; ')}.`;
    const mood = this.analyzeSentiment(customer.map((line) => line.text).join('. '));
    if (mood.label === 'negative') summary += ' The customer sounds frustrated.';
    return summary + count;
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
