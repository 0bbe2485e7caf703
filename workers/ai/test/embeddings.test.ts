/**
 * @jest-environment ./test/helpers/onnx-environment.js
 *
 * The WordPiece tokenizer, the MiniLM embedder and the triage model with embeddings (format v3).
 * The tests that need the model files (scripts/minilm-model.sh) skip, and say so, without them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findEmbeddingModelFor } from '@baton/test-support/embedding-model';
import { cosine, loadEmbedder, TokenizerError, wordPieceTokenizer, type Embedder } from '../src/embeddings';
import { parseLinear, serializeLinear, trainLinear, linearProbabilities } from '../src/linear';
import { embedTexts } from '../src/triage/embedding-inputs';
import { needsEmbeddings, parseTriageArtefact } from '../src/triage-artefact';
import { parseTriageModel, predictIntent, triageModelToJson, TriageEmbeddingsError } from '../src/triage/model';
import { trainingEmbeddings, trainTriage, type TrainingEmbeddings } from '../src/triage/train';

jest.setTimeout(120_000);

/** A tokenizer.json of the BERT kind with a vocabulary of a few pieces. */
function tinyTokenizer(maxLength = 8): string {
  const pieces = [
    '[PAD]',
    '[UNK]',
    '[CLS]',
    '[SEP]',
    'hello',
    'world',
    'cafe',
    ',',
    '!',
    'un',
    '##believ',
    '##able',
    '日',
  ];
  return JSON.stringify({
    truncation: { max_length: maxLength },
    normalizer: { type: 'BertNormalizer', lowercase: true, strip_accents: null },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 20,
      vocab: Object.fromEntries(pieces.map((piece, id) => [piece, id])),
    },
  });
}

describe('WordPiece tokenizer (a tiny vocabulary)', () => {
  const tokenizer = wordPieceTokenizer(tinyTokenizer());

  it('lower-cases, strips accents, splits punctuation and CJK, finds ## pieces, [UNK] for the rest', () => {
    expect(tokenizer.pieces('Héllo, WORLD!')).toEqual(['hello', ',', 'world', '!']);
    expect(tokenizer.pieces('Café')).toEqual(['cafe']);
    expect(tokenizer.pieces('unbelievable')).toEqual(['un', '##believ', '##able']);
    // A word that cannot be spelled whole is one [UNK], not a partial spelling.
    expect(tokenizer.pieces('unbelievablx hello')).toEqual(['[UNK]', 'hello']);
    expect(tokenizer.pieces('日hello')).toEqual(['日', 'hello']);
    expect(tokenizer.pieces('hello\u0000\tworld\u200b')).toEqual(['hello', 'world']);
    expect(tokenizer.pieces('x'.repeat(21))).toEqual(['[UNK]']);
  });

  it('wraps ids in [CLS] … [SEP] and cuts an over-long input to the maximum length', () => {
    expect(tokenizer.encode('hello world')).toEqual([2, 4, 5, 3]);
    expect(tokenizer.encode('')).toEqual([2, 3]);
    const long = tokenizer.encode('hello '.repeat(100));
    expect(long).toHaveLength(8);
    expect(long[0]).toBe(2);
    expect(long[7]).toBe(3);
  });

  it('refuses a file that is not a BERT WordPiece tokenizer, naming the field', () => {
    expect(() => wordPieceTokenizer('{')).toThrow(TokenizerError);
    expect(() =>
      wordPieceTokenizer(JSON.stringify({ ...JSON.parse(tinyTokenizer()), model: { type: 'BPE' } })),
    ).toThrow(/not a BERT WordPiece tokenizer: \/model\/type/);
  });
});

describe('linear model with dense features', () => {
  it('learns from dense features beside the n-grams and keeps them through the binary file (version 2)', () => {
    // The texts say nothing; only the dense feature tells the labels apart.
    const examples = Array.from({ length: 40 }, (_, i) => ({
      text: `message ${i % 3}`,
      label: i % 2 === 0 ? 'even' : 'odd',
      dense: Float32Array.from([i % 2 === 0 ? 1 : -1, 0.5]),
    }));
    const model = trainLinear(examples, { dense: 2, bits: 10, epochs: 10 });
    const back = parseLinear(serializeLinear(model));
    expect(back.dense).toBe(2);
    const even = linearProbabilities(back, 'message 1', Float32Array.from([1, 0.5]));
    expect(back.labels[even[0]! > even[1]! ? 0 : 1]).toBe('even');
    expect(() => linearProbabilities(back, 'message 1')).toThrow('expected 2 dense features, got 0');
    expect(() => trainLinear(examples, { dense: 3, bits: 10 })).toThrow('example 0: expected 3 dense features, got 2');
    // A model without dense features is still a version 1 file.
    const plain = examples.map(({ text, label }) => ({ text, label }));
    expect(serializeLinear(trainLinear(plain, { bits: 10, epochs: 1 }))[4]).toBe(1);
  });
});

const rows = [
  ...['my card was stolen', 'someone took my credit card', 'I lost my debit card', 'my card is missing'].map(
    (text) => ({ text, intent: 'lost_card' }),
  ),
  ...['I want a refund', 'give me my money back', 'please refund my order', 'return the payment to me'].map((text) => ({
    text,
    intent: 'refund',
  })),
  ...[
    'how do I open an account',
    'sign me up for a new account',
    'I want to become a customer',
    'create an account',
  ].map((text) => ({ text, intent: 'open_account' })),
];

/** Embeddings that are not the model's: a v3 file whose recorded files no machine has. */
function fakeEmbeddings(): TrainingEmbeddings {
  return {
    requirement: {
      model: 'minilm-l6-v2-q',
      dimensions: 4,
      sha256: { model: '0'.repeat(64), tokenizer: '1'.repeat(64) },
    },
    of: (text) => Float32Array.from([text.length % 2, text.includes('card') ? 1 : 0, 0.5, 0.25]),
  };
}

describe('triage model with embeddings (format v3)', () => {
  it('writes version 3 naming the embedding model, and refuses inputs without embeddings', () => {
    const { model } = trainTriage(rows, { folds: 2, embeddings: fakeEmbeddings(), linear: { bits: 12, epochs: 5 } });
    const file = JSON.parse(triageModelToJson(model)) as Record<string, unknown>;
    expect(file).toEqual(
      expect.objectContaining({
        version: 3,
        embeddings: {
          model: 'minilm-l6-v2-q',
          dimensions: 4,
          sha256: { model: '0'.repeat(64), tokenizer: '1'.repeat(64) },
        },
      }),
    );
    const back = parseTriageModel(JSON.stringify(file));
    expect(back.embeddings?.dimensions).toBe(4);
    // What `baton triage publish` and the store read: version 3, needing embeddings.
    const artefact = parseTriageArtefact(new TextEncoder().encode(JSON.stringify(file)));
    expect(artefact.formatVersion).toBe(3);
    expect(needsEmbeddings(artefact)).toBe(true);
    expect(() => predictIntent(back, 'my card was stolen')).toThrow(TriageEmbeddingsError);
    expect(() => predictIntent(back, 'my card was stolen')).toThrow('needs sentence embeddings (minilm-l6-v2-q)');
    const { embeddings: _dropped, ...noEmbeddings } = file;
    expect(() => parseTriageModel(JSON.stringify(noEmbeddings))).toThrow(/\/embeddings is missing in a version 3 file/);
    expect(() =>
      parseTriageModel(JSON.stringify({ ...file, embeddings: { ...(file.embeddings as object), dimensions: 5 } })),
    ).toThrow(/\/embeddings\/dimensions \(5\) differ from the intent model's \(4\)/);
  });

  it('on a machine without the embedding model, refuses with the reason and how to get it', async () => {
    const { model } = trainTriage(rows, { folds: 2, embeddings: fakeEmbeddings(), linear: { bits: 12, epochs: 5 } });
    const empty = mkdtempSync(join(tmpdir(), 'baton-no-minilm-'));
    try {
      await expect(embedTexts(model, ['hello'], empty)).rejects.toThrow(TriageEmbeddingsError);
      await expect(embedTexts(model, ['hello'], empty)).rejects.toThrow(
        /needs sentence embeddings, and the sentence-embedding model \(minilm-l6-v2-q\) is not on this machine: .*model\.onnx.*missing; run scripts\/minilm-model\.sh/,
      );
      await expect(loadEmbedder({ dir: empty })).rejects.toThrow('run scripts/minilm-model.sh');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    // A model without embeddings needs none and loads nothing.
    const plain = trainTriage(rows, { folds: 2, linear: { bits: 12, epochs: 5 } }).model;
    expect(await embedTexts(plain, ['hello'], '/nonexistent')).toEqual([undefined]);
  });
});

const found = findEmbeddingModelFor('the MiniLM tokenizer ids, embedder and embedding triage tests');
const withModel = found.ok ? describe : describe.skip;

withModel('with the MiniLM model files', () => {
  let embedder: Embedder;
  beforeAll(async () => {
    embedder = await loadEmbedder({ dir: found.ok ? found.dir : '' });
  });
  afterAll(() => embedder?.release());

  it("tokenizes as bert-base-uncased's vocabulary does", () => {
    const tokenizer = embedder.tokenizer;
    expect(tokenizer.vocabSize).toBe(30522);
    expect(tokenizer.encode('hello world')).toEqual([101, 7592, 2088, 102]);
    expect(tokenizer.encode('Héllo, WORLD!')).toEqual([101, 7592, 1010, 2088, 999, 102]);
    expect(tokenizer.pieces('unaffable')).toEqual(['una', '##ffa', '##ble']);
    expect(tokenizer.pieces("I can't log-in")).toEqual(['i', 'can', "'", 't', 'log', '-', 'in']);
    expect(tokenizer.encode('word '.repeat(300))).toHaveLength(128);
    const tokenizerFile = readFileSync(join(found.ok ? found.dir : '', 'tokenizer.json'), 'utf8');
    expect(wordPieceTokenizer(tokenizerFile).maxLength).toBe(128);
  });

  it('embeds to unit vectors where a paraphrase is closer than an unrelated sentence', async () => {
    const [stolen, taken, weather, again] = await embedder.embed([
      'my card was stolen',
      'someone took my credit card',
      'what will the weather be like in paris tomorrow',
      'my card was stolen',
    ]);
    expect(stolen).toHaveLength(384);
    expect(cosine(stolen!, stolen!)).toBeCloseTo(1, 4);
    expect(cosine(stolen!, taken!)).toBeGreaterThan(cosine(stolen!, weather!) + 0.3);
    // Embedded with others or alone, a text gets the same vector (the quantised model's activations
    // are quantised per run, so texts are not batched together by default).
    const [alone] = await embedder.embed(['my card was stolen']);
    expect(Array.from(alone!)).toEqual(Array.from(again!));
  });

  it('trains → writes → reads → classifies with embeddings, and refuses embedding files of another hash', async () => {
    const embeddings = await trainingEmbeddings(embedder, rows);
    const { model } = trainTriage(rows, { folds: 2, embeddings, linear: { bits: 12 } });
    const back = parseTriageModel(triageModelToJson(model));
    expect(back.embeddings).toEqual({ model: 'minilm-l6-v2-q', dimensions: 384, sha256: embedder.sha256 });
    const texts = ['a thief took my visa card', 'I would like my money returned'];
    const vectors = await embedTexts(back, texts, found.ok ? found.dir : undefined);
    expect(texts.map((text, i) => predictIntent(back, text, vectors[i]).intent)).toEqual(['lost_card', 'refund']);
    const requirement = { ...fakeEmbeddings().requirement, dimensions: 384 };
    const other = parseTriageModel(triageModelToJson({ ...model, embeddings: requirement }));
    await expect(embedTexts(other, texts, found.ok ? found.dir : undefined)).rejects.toThrow(
      `trained with a minilm-l6-v2-q model file of sha256 ${'0'.repeat(64)}`,
    );
  });
});
