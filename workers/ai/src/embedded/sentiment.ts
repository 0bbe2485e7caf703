/**
 * Sentiment: wink-nlp with its English model (wink-eng-lite-web-model: a sentiment lexicon with
 * negation, −1 … 1) on the normalised text, tempered when only a word or two carry it, then pushed
 * down by frustration phrases ("I've tried everything", "this is ridiculous", "third time" …), each
 * of which is named in `reasons`.
 */
import type winkNLP from 'wink-nlp';
import type { ItemToken, WinkMethods } from 'wink-nlp';
import type englishModel from 'wink-eng-lite-web-model';
import { sentimentLabel } from '../provider';
import { normalizeText } from '../text';

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

export interface SentimentAnalysis {
  score: number;
  label: 'negative' | 'neutral' | 'positive';
  reasons: string[];
}

let last: { text: string; result: SentimentAnalysis } | undefined;

/** Sentiment only: −1 … 1 with its reasons. The last text's answer is kept: triage asks twice (itself and the frustration assessment). */
export function analyzeSentiment(text: string): SentimentAnalysis {
  if (last?.text !== text) last = { text, result: sentimentOf(text) };
  return { ...last.result, reasons: [...last.result.reasons] };
}

function sentimentOf(text: string): SentimentAnalysis {
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
