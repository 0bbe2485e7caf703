/**
 * Summary: extractive; the customer's request plus the most informative other sentences, and a word
 * on their mood.
 */
import type { TranscriptLine } from '../provider';
import { tokenize } from '../text';
import type { SentimentAnalysis } from './sentiment';

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

export function clip(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `analyze` is the provider's sentiment, which marks the sentences that carry frustration. */
export function summarizeTranscript(
  transcript: readonly TranscriptLine[],
  analyze: (text: string) => SentimentAnalysis,
): string {
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
    if (analyze(sentence.text).reasons.some((reason) => reason.startsWith('frustration'))) score += 1;
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
  const mood = analyze(customer.map((line) => line.text).join('. '));
  if (mood.label === 'negative') summary += ' The customer sounds frustrated.';
  return summary + count;
}
