/**
 * Hashed text features for the linear classifier: word unigrams + bigrams and character n-grams
 * inside word boundaries, each hashed (FNV-1a) into a fixed number of buckets, counted with
 * sublinear TF (1 + ln tf) and L2-normalised. No vocabulary is stored: the same text always gives
 * the same vector, in training and at inference.
 */

export interface FeatureOptions {
  /** log2 of the number of hash buckets. */
  bits: number;
  /** 1 = unigrams only, 2 = unigrams + bigrams. */
  wordNgrams: number;
  /** Smallest and largest character n-gram; [0, 0] turns them off. */
  charMin: number;
  charMax: number;
  /** How many times a word unigram or bigram counts (character n-grams count once): words weigh more than their pieces. */
  wordWeight?: number;
}

export const defaultFeatureOptions: FeatureOptions = { bits: 18, wordNgrams: 2, charMin: 3, charMax: 5, wordWeight: 3 };

/** A sparse vector: bucket indices (ascending, unique) and their values. */
export interface SparseVector {
  index: Int32Array;
  value: Float32Array;
}

/** Lower case, typographic apostrophes folded, punctuation dropped, digit runs as `#num`. */
export function linearWords(text: string): string[] {
  const words = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`´]/g, "'")
    .replace(/n't\b/g, ' not')
    .replace(/[^\p{L}\p{N}'#$%€£]+/gu, ' ')
    .split(' ');
  const out: string[] = [];
  for (const word of words) {
    const trimmed = word.replace(/^'+|'+$/g, '');
    if (trimmed === '' || trimmed.length > 40) continue;
    out.push(/\d/.test(trimmed) ? '#num' : trimmed);
  }
  return out;
}

const fnvOffset = 0x811c9dc5;
const fnvPrime = 0x01000193;

function fnvString(seed: number, text: string): number {
  let hash = seed;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), fnvPrime);
  return hash >>> 0;
}

// Different seeds keep a word, a bigram and a character n-gram spelled alike in different buckets.
const wordSeed = fnvString(fnvOffset, 'w:');
const bigramSeed = fnvString(fnvOffset, 'b:');
const charSeed = fnvString(fnvOffset, 'c:');

/** The sparse feature vector of a text. */
export function featurize(text: string, options: FeatureOptions): SparseVector {
  const mask = (1 << options.bits) - 1;
  const wordWeight = options.wordWeight ?? 1;
  // Bucket ids, repeated as often as they count; sorting them gives the counts without a Map.
  const ids: number[] = [];
  const words = linearWords(text);
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i] as string;
    const unigram = fnvString(wordSeed, word) & mask;
    const bigram =
      options.wordNgrams >= 2 && i + 1 < words.length
        ? fnvString(fnvString(bigramSeed, word), ` ${words[i + 1] as string}`) & mask
        : -1;
    for (let w = 0; w < wordWeight; w += 1) {
      ids.push(unigram);
      if (bigram >= 0) ids.push(bigram);
    }
    if (options.charMax > 0 && word !== '#num') {
      // Boundary markers let "<ca" (a word start) differ from "ca" inside a word.
      const padded = `<${word}>`;
      for (let start = 0; start < padded.length; start += 1) {
        let hash = charSeed;
        for (let length = 1; length <= options.charMax && start + length <= padded.length; length += 1) {
          hash = Math.imul(hash ^ padded.charCodeAt(start + length - 1), fnvPrime);
          if (length >= options.charMin && length < padded.length) ids.push((hash >>> 0) & mask);
        }
      }
    }
  }
  const sorted = Int32Array.from(ids).sort();
  const index: number[] = [];
  const tfs: number[] = [];
  let norm = 0;
  for (let i = 0; i < sorted.length;) {
    const bucket = sorted[i] as number;
    let j = i + 1;
    while (j < sorted.length && sorted[j] === bucket) j += 1;
    const tf = 1 + Math.log(j - i);
    index.push(bucket);
    tfs.push(tf);
    norm += tf * tf;
    i = j;
  }
  const value = Float32Array.from(tfs);
  if (norm > 0) {
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < value.length; i += 1) value[i] = (value[i] as number) * scale;
  }
  return { index: Int32Array.from(index), value };
}
