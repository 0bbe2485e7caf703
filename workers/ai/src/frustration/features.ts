/**
 * The frustration model's features: stemmed words with their negation mark ("¬work" in "did not
 * work"), word bigrams, and the support-domain concepts of ../text ("person", "talk", "failure" …),
 * so that "put me through to an operator" meets "I want a human agent" although they share no word.
 */
import { concepts, tokenize } from '../text';

export function frustrationFeatures(text: string): string[] {
  const tokens = tokenize(text);
  const terms = tokens.map((token) => (token.negated ? `¬${token.stem}` : token.stem));
  const features = new Set<string>(terms);
  for (let i = 0; i + 1 < terms.length; i += 1) features.add(`${terms[i] as string} ${terms[i + 1] as string}`);
  const found = new Set(concepts(tokens));
  for (const concept of found) features.add(`=${concept}`);
  // Asking for someone is talking and a person together ("people call me Brad" is neither).
  if (found.has('talk') && found.has('person')) features.add('=talk+person');
  return [...features].filter((feature) => !/\d/.test(feature));
}
