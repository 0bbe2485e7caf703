/**
 * The frustration model's features: stemmed words with their negation mark ("¬work" in "did not
 * work"), word bigrams, the support-domain concepts of ../text ("person", "talk", "failure" …), so
 * that "put me through to an operator" meets "I want a human agent" although they share no word,
 * and the complaint cues of ./cues ("=waited long", "=sarcastic thanks", "=negative mood" …).
 * A tweet's @handles and links are dropped first: they name the company, not the complaint.
 */
import { analyzeSentiment, type SentimentAnalysis } from '../embedded/sentiment';
import { concepts, tokenize } from '../text';
import { cueFeatures, withoutSocialMarkup } from './cues';

export function frustrationFeatures(text: string, mood: SentimentAnalysis = analyzeSentiment(text)): string[] {
  const tokens = tokenize(withoutSocialMarkup(text));
  const terms = tokens.map((token) => (token.negated ? `¬${token.stem}` : token.stem));
  const features = new Set<string>(terms);
  for (let i = 0; i + 1 < terms.length; i += 1) features.add(`${terms[i] as string} ${terms[i + 1] as string}`);
  const found = new Set(concepts(tokens));
  for (const concept of found) features.add(`=${concept}`);
  // Asking for someone is talking and a person together ("people call me Brad" is neither).
  if (found.has('talk') && found.has('person')) features.add('=talk+person');
  for (const cue of cueFeatures(text, mood)) features.add(cue);
  return [...features].filter((feature) => !/\d/.test(feature));
}
