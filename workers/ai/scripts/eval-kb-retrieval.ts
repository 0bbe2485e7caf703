/**
 * Measures knowledge-base retrieval on the Bitext sample (../shared/data/bitext-support/train.csv),
 * 5-fold cross-validated: for each fold, one article per intent is built from the other four folds
 * only (the most typical response, with the shipped article's title and tags, as seed-kb.ts builds
 * them); the fold's customer questions (`instruction`) are searched and the top article must be the
 * question's intent's. Also fits and checks the relevance calibration (./src/kb/relevance.ts): the
 * logistic weights are fitted on the other folds' questions and scored on the fold's, together with
 * questions the articles do not cover (../shared/data/clinc150/train.csv, the train split only: its
 * non-banking domains — travel, small talk, kitchen, meta … — and its out-of-scope queries; their
 * top article is wrong by definition, and they weigh `offTopicWeight` in the fit); and tells, per
 * threshold, how many support questions are answered (and rightly) and how many unrelated ones.
 *
 *   npx tsx workers/ai/scripts/eval-kb-retrieval.ts [--body-only] [--off-topic-weight 2]
 *
 * `--body-only` leaves titles and tags out of the articles (retrieval on the responses' words alone).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createKbIndex, headingText, searchableText, termsOf, type KbArticle } from '../src/kb';
import { rankForAnswer } from '../src/kb/answer';
import { logistic, relevanceFeatures, relevanceModel, termWeights, type RelevanceModel } from '../src/kb/relevance';
import { parseCsv } from '../src/triage/train';
import { cosine, fill, topics, vectorOf, type Vector } from './kb-topics';

const dataDir = join(__dirname, '..', '..', '..', '..', 'shared', 'data');
const bodyOnly = process.argv.includes('--body-only');
/**
 * How much an unrelated question counts in the fit against a support question: answering "can you
 * recommend a good pizza recipe" with the refund policy is worse than citing a neighbouring intent's
 * article, so it weighs twice (`--off-topic-weight N` to try another).
 */
const weightFlag = process.argv.indexOf('--off-topic-weight');
const offTopicWeight = weightFlag >= 0 ? Number(process.argv[weightFlag + 1]) : 2;
if (!Number.isFinite(offTopicWeight) || offTopicWeight <= 0)
  throw new Error('--off-topic-weight must be a positive number');
const folds = 5;
/** CLINC150 domains the support articles do not cover (its banking and credit-card intents are left out). */
const unrelatedDomains = [
  'kitchen_and_dining',
  'home',
  'auto_and_commute',
  'travel',
  'utility',
  'work',
  'small_talk',
  'meta',
];

interface Row {
  question: string;
  intent: string;
  response: string;
  articleMaterial: boolean;
  fold: number;
}

function loadBitext(): Row[] {
  const path = join(dataDir, 'bitext-support', 'train.csv');
  const [header, ...rows] = parseCsv(readFileSync(path, 'utf8'));
  if (!header) throw new Error(`${path} is empty`);
  const col = (name: string) => header.indexOf(name);
  const seen = new Map<string, number>();
  return rows.flatMap((row) => {
    const intent = row[col('intent')];
    const question = row[col('instruction')]?.trim();
    const response = row[col('response')]?.trim() ?? '';
    if (!intent || !question) return [];
    // Stratified folds: the n-th question of an intent goes to fold n mod 5.
    const n = seen.get(intent) ?? 0;
    seen.set(intent, n + 1);
    const articleMaterial =
      !(row[col('tags')] ?? '').includes('W') &&
      response.length >= 250 &&
      response.length <= 1600 &&
      !/\d{5,}/.test(response);
    return [{ question, intent, response, articleMaterial, fold: n % folds }];
  });
}

/** One article per intent: the response closest to the intent's centroid (seed-kb's "most typical"). */
function articlesFrom(rows: readonly Row[]): KbArticle[] {
  const byIntent = new Map<string, Row[]>();
  for (const row of rows) if (row.articleMaterial) byIntent.set(row.intent, [...(byIntent.get(row.intent) ?? []), row]);
  return [...byIntent.entries()].map(([intent, candidates]) => {
    const vectors = candidates.map((row) => vectorOf(row.response));
    const centroid: Vector = new Map();
    for (const vector of vectors)
      for (const [key, value] of vector) centroid.set(key, (centroid.get(key) ?? 0) + value);
    let best = 0;
    vectors.forEach((vector, i) => {
      if (cosine(vector, centroid) > cosine(vectors[best] as Vector, centroid)) best = i;
    });
    const topic = topics[intent] ?? { title: intent, tags: [] };
    return {
      articleId: intent,
      title: bodyOnly ? '' : topic.title,
      body: fill((candidates[best] as Row).response),
      tags: bodyOnly ? [] : [intent, ...topic.tags],
      source: 'eval',
    };
  });
}

type Feature = Exclude<keyof RelevanceModel, 'bias'>;
const features: readonly Feature[] = ['coverage', 'title', 'specific', 'matched', 'unknown', 'margin'];

interface Sample extends Record<Feature, number> {
  correct: boolean;
  offTopic?: boolean;
}

/**
 * Per question: whether the BM25 top hit is right (`top1`), and the features of the article the
 * answer node would cite (`rankForAnswer` in workers/ai/src/kb/answer.ts) with whether that one is
 * right (`chosen`).
 */
function samplesOf(
  articles: readonly KbArticle[],
  questions: readonly Row[],
): { top1: number; chosen: number; samples: Sample[] } {
  const index = createKbIndex(articles);
  const weights = termWeights(articles.map((article) => termsOf(searchableText(article))));
  const terms = new Map(articles.map((article) => [article.articleId, termsOf(searchableText(article))]));
  const headings = new Map(articles.map((article) => [article.articleId, termsOf(headingText(article))]));
  let top1 = 0;
  let chosen = 0;
  const samples: Sample[] = [];
  for (const row of questions) {
    const hits = index.search(row.question, { limit: 4 });
    if (!hits[0]) {
      samples.push({ coverage: 0, title: 0, specific: 0, matched: 0, unknown: 0, margin: 0, correct: false });
      continue;
    }
    if (hits[0].articleId === row.intent) top1 += 1;
    const question = termsOf(row.question);
    const candidates = hits.slice(0, 3).map((hit, rank) => {
      const features = relevanceFeatures(
        question,
        terms.get(hit.articleId) ?? new Set(),
        weights,
        { score: hit.score, next: hits[rank + 1]?.score ?? 0 },
        headings.get(hit.articleId) ?? new Set(),
      );
      return { hit, features, score: hit.score, relevance: logistic(features) };
    });
    const best = rankForAnswer(candidates)[0] as (typeof candidates)[number];
    const correct = best.hit.articleId === row.intent;
    if (correct) chosen += 1;
    samples.push({ ...best.features, correct });
  }
  return { top1, chosen, samples };
}

/** Logistic regression by gradient descent (a weight per feature and a bias; no library needed). */
function fit(samples: readonly Sample[]): RelevanceModel {
  const model: RelevanceModel = { bias: 0, coverage: 0, title: 0, specific: 0, matched: 0, unknown: 0, margin: 0 };
  const rate = 0.5;
  for (let epoch = 0; epoch < 3000; epoch += 1) {
    const grad: RelevanceModel = { bias: 0, coverage: 0, title: 0, specific: 0, matched: 0, unknown: 0, margin: 0 };
    for (const sample of samples) {
      const error = (logistic(sample, model) - (sample.correct ? 1 : 0)) * (sample.offTopic ? offTopicWeight : 1);
      grad.bias += error;
      for (const feature of features) grad[feature] += error * sample[feature];
    }
    model.bias -= (rate * grad.bias) / samples.length;
    for (const feature of features) model[feature] -= (rate * grad[feature]) / samples.length;
  }
  return model;
}

const pct = (part: number, whole: number) => (whole > 0 ? Math.round((1000 * part) / whole) / 10 : 0);

/**
 * Questions the support articles do not cover, from clinc150/train.csv only: its non-banking domains
 * (travel, small talk, kitchen, meta …) and its out-of-scope queries, one in three.
 */
function unrelatedQuestions(): { text: string; fold: number }[] {
  const clincPath = join(dataDir, 'clinc150', 'train.csv');
  if (!existsSync(clincPath)) return [];
  const domains = JSON.parse(readFileSync(join(dataDir, 'clinc150', 'domains.json'), 'utf8')) as Record<
    string,
    string[]
  >;
  const offTopic = new Set([...unrelatedDomains.flatMap((domain) => domains[domain] ?? []), 'out_of_scope']);
  const [, ...clinc] = parseCsv(readFileSync(clincPath, 'utf8'));
  return clinc
    .filter(([text, intent]) => text && intent && offTopic.has(intent))
    .filter((_row, i) => i % 3 === 0)
    .map(([text], i) => ({ text: text as string, fold: i % folds }));
}

function offTopicSamples(articles: readonly KbArticle[], texts: readonly string[]): Sample[] {
  const rows = texts.map((question) => ({ question, intent: '', response: '', articleMaterial: false, fold: 0 }));
  return samplesOf(articles, rows).samples.map((sample) => ({ ...sample, offTopic: true }));
}

const thresholds = [0.3, 0.4, 0.5, 0.6];

function main(): void {
  const rows = loadBitext();
  const unrelated = unrelatedQuestions();
  const perFold: {
    fold: number;
    questions: number;
    top1: number;
    chosen: number;
    samples: Sample[];
    offTopic: Sample[];
  }[] = [];
  for (let fold = 0; fold < folds; fold += 1) {
    const articles = articlesFrom(rows.filter((row) => row.fold !== fold));
    const questions = rows.filter((row) => row.fold === fold);
    const { top1, chosen, samples } = samplesOf(articles, questions);
    const offTopic = offTopicSamples(
      articles,
      unrelated.filter((question) => question.fold === fold).map((question) => question.text),
    );
    perFold.push({ fold, questions: questions.length, top1, chosen, samples, offTopic });
  }
  const questions = perFold.reduce((sum, f) => sum + f.questions, 0);
  const top1 = perFold.reduce((sum, f) => sum + f.top1, 0);
  const chosen = perFold.reduce((sum, f) => sum + f.chosen, 0);

  // Calibration, cross-validated: weights fitted on the other folds (support questions, and unrelated
  // ones whose top article is wrong by definition), judged on this fold.
  let brier = 0;
  const bins = Array.from({ length: 5 }, () => ({ n: 0, predicted: 0, right: 0 }));
  const table = thresholds.map((threshold) => ({ threshold, answered: 0, right: 0, unrelatedAnswered: 0 }));
  for (const f of perFold) {
    const others = perFold.filter((other) => other.fold !== f.fold);
    const model = fit(others.flatMap((other) => [...other.samples, ...other.offTopic]));
    for (const sample of [...f.samples, ...f.offTopic]) {
      const p = logistic(sample, model);
      brier += (p - (sample.correct ? 1 : 0)) ** 2;
      const bin = bins[Math.min(4, Math.floor(p * 5))] as (typeof bins)[number];
      bin.n += 1;
      bin.predicted += p;
      if (sample.correct) bin.right += 1;
    }
    for (const row of table) {
      for (const sample of f.samples) {
        if (logistic(sample, model) < row.threshold) continue;
        row.answered += 1;
        if (sample.correct) row.right += 1;
      }
      row.unrelatedAnswered += f.offTopic.filter((sample) => logistic(sample, model) >= row.threshold).length;
    }
  }
  const fitted = fit(perFold.flatMap((f) => [...f.samples, ...f.offTopic]));
  const samples = questions + unrelated.length;

  console.log(
    JSON.stringify(
      {
        articles: bodyOnly ? 'one per intent, body only' : 'one per intent, with title and tags',
        folds,
        questions,
        top1Accuracy: pct(top1, questions),
        perFold: perFold.map((f) => pct(f.top1, f.questions)),
        answerArticleRight: pct(chosen, questions),
        unrelatedQuestions: unrelated.length,
        offTopicWeight,
        calibration: {
          brier: Math.round((1000 * brier) / samples) / 1000,
          bins: bins.map((bin, i) => ({
            relevance: `${i / 5}-${(i + 1) / 5}`,
            questions: bin.n,
            meanRelevance: bin.n ? Math.round((100 * bin.predicted) / bin.n) / 100 : null,
            topArticleRight: pct(bin.right, bin.n),
          })),
        },
        thresholds: table.map((row) => ({
          minConfidence: row.threshold,
          supportQuestionsAnswered: pct(row.answered, questions),
          rightWhenAnswered: pct(row.right, row.answered),
          unrelatedAnswered: pct(row.unrelatedAnswered, unrelated.length),
        })),
        shippedWeights: relevanceModel,
        fittedOnAllFolds: Object.fromEntries(
          Object.entries(fitted).map(([name, weight]) => [name, Math.round(weight * 100) / 100]),
        ),
      },
      null,
      2,
    ),
  );
}

main();
