/**
 * BERT's WordPiece tokenizer, as a Hugging Face `tokenizer.json` describes it (BertNormalizer,
 * BertPreTokenizer, WordPiece, [CLS] … [SEP]): clean text (control characters dropped, whitespace
 * as spaces, CJK ideographs split), lower case with accents stripped, split on whitespace and
 * punctuation, then the longest vocabulary pieces (`##` before a continuation), [UNK] for a word it
 * cannot spell; at most `maxLength` ids including [CLS] and [SEP].
 */
import { z } from 'zod';

const TokenizerFile = z.object({
  truncation: z
    .object({ max_length: z.number().int().min(3) })
    .nullable()
    .optional(),
  normalizer: z
    .object({
      type: z.literal('BertNormalizer'),
      lowercase: z.boolean(),
      strip_accents: z.boolean().nullable().optional(),
    })
    .loose(),
  pre_tokenizer: z.object({ type: z.literal('BertPreTokenizer') }).loose(),
  model: z
    .object({
      type: z.literal('WordPiece'),
      unk_token: z.string().min(1),
      continuing_subword_prefix: z.string(),
      max_input_chars_per_word: z.number().int().min(1),
      vocab: z.record(z.string(), z.number().int().min(0)),
    })
    .loose(),
});

export class TokenizerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenizerError';
  }
}

export interface WordPieceTokenizer {
  /** Ids from [CLS] to [SEP], at most maxLength of them. */
  encode(text: string): number[];
  /** The word pieces of a text, without [CLS]/[SEP] and untruncated (for tests and debugging). */
  pieces(text: string): string[];
  readonly maxLength: number;
  readonly vocabSize: number;
}

function isPunctuation(char: string, code: number): boolean {
  // BERT counts every non-alphanumeric ASCII character as punctuation ($, ^, `, …), then Unicode's P*.
  if (
    (code >= 33 && code <= 47) ||
    (code >= 58 && code <= 64) ||
    (code >= 91 && code <= 96) ||
    (code >= 123 && code <= 126)
  )
    return true;
  return /\p{P}/u.test(char);
}

function isCjk(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x20000 && code <= 0x2a6df) ||
    (code >= 0x2a700 && code <= 0x2b73f) ||
    (code >= 0x2b740 && code <= 0x2b81f) ||
    (code >= 0x2b820 && code <= 0x2ceaf) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0x2f800 && code <= 0x2fa1f)
  );
}

function normalize(text: string, lowercase: boolean, stripAccents: boolean): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if (code === 0 || code === 0xfffd) continue;
    if (/\s/u.test(char)) {
      out += ' ';
      continue;
    }
    if (/\p{Cc}|\p{Cf}/u.test(char)) continue;
    out += isCjk(code) ? ` ${char} ` : char;
  }
  if (lowercase) out = out.toLowerCase();
  if (stripAccents) out = out.normalize('NFD').replace(/\p{Mn}/gu, '');
  return out;
}

function preTokenize(text: string): string[] {
  const words: string[] = [];
  for (const chunk of text.split(' ')) {
    let current = '';
    for (const char of chunk) {
      if (isPunctuation(char, char.codePointAt(0) as number)) {
        if (current) words.push(current);
        words.push(char);
        current = '';
      } else current += char;
    }
    if (current) words.push(current);
  }
  return words;
}

/** A tokenizer from the text of a `tokenizer.json`; a file of another kind throws TokenizerError. */
export function wordPieceTokenizer(source: string, options: { maxLength?: number } = {}): WordPieceTokenizer {
  let raw: unknown;
  try {
    raw = JSON.parse(source);
  } catch (error) {
    throw new TokenizerError(`tokenizer.json is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = TokenizerFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TokenizerError(
      `tokenizer.json is not a BERT WordPiece tokenizer: /${issue?.path.map(String).join('/') ?? ''}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const file = parsed.data;
  const vocab = new Map(Object.entries(file.model.vocab));
  const id = (token: string): number => {
    const found = vocab.get(token);
    if (found === undefined) throw new TokenizerError(`tokenizer.json: the vocabulary has no ${token}`);
    return found;
  };
  const unk = id(file.model.unk_token);
  const cls = id('[CLS]');
  const sep = id('[SEP]');
  const prefix = file.model.continuing_subword_prefix;
  const maxChars = file.model.max_input_chars_per_word;
  const maxLength = options.maxLength ?? file.truncation?.max_length ?? 512;
  const lowercase = file.normalizer.lowercase;
  // BERT strips accents when it lower-cases, unless the file says otherwise.
  const stripAccents = file.normalizer.strip_accents ?? lowercase;
  const inverse = new Map([...vocab].map(([token, value]) => [value, token]));

  function wordPiece(word: string, out: number[]): void {
    const chars = [...word];
    if (chars.length > maxChars) {
      out.push(unk);
      return;
    }
    const ids: number[] = [];
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let found: number | undefined;
      while (start < end) {
        const piece = (start > 0 ? prefix : '') + chars.slice(start, end).join('');
        found = vocab.get(piece);
        if (found !== undefined) break;
        end -= 1;
      }
      if (found === undefined) {
        out.push(unk);
        return;
      }
      ids.push(found);
      start = end;
    }
    out.push(...ids);
  }

  function ids(text: string, limit: number): number[] {
    const out: number[] = [];
    for (const word of preTokenize(normalize(text, lowercase, stripAccents))) {
      wordPiece(word, out);
      if (out.length >= limit) break;
    }
    return out.slice(0, limit);
  }

  return {
    encode: (text) => [cls, ...ids(text, maxLength - 2), sep],
    pieces: (text) => ids(text, Number.MAX_SAFE_INTEGER).map((value) => inverse.get(value) ?? '?'),
    maxLength,
    vocabSize: vocab.size,
  };
}
