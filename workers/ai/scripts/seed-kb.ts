/**
 * Builds the demo knowledge base, `workers/ai/models/kb-articles.json`, from the example responses of
 * the Bitext sample (`../shared/data/bitext-support/train.csv`, CDLA-Sharing-1.0: see
 * workers/ai/models/LICENSE-kb-articles.md). Deduplicated by intent: for each of the 27 intents, the
 * two most typical responses (closest to all the others of the intent) that are not near-copies of
 * each other, with the {{placeholders}} filled with neutral wording.
 *
 *   npx tsx workers/ai/scripts/seed-kb.ts [path/to/train.csv]
 *
 * Every article is for customers (`audience: 'customer'`) except a few agents' procedures written
 * here by hand (`internal`), which no customer ever reads; a few general FAQ articles are written
 * here too.
 *
 * `baton dev` loads the artefact into `kb_articles` when the collection is empty.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KbArticle } from '../src/kb';
import { cosine, fill, topics, vectorOf, type Vector } from './kb-topics';
import { parseCsv } from '../src/triage/train';

const csvPath =
  process.argv[2] ?? join(__dirname, '..', '..', '..', '..', 'shared', 'data', 'bitext-support', 'train.csv');
const outPath = join(__dirname, '..', 'models', 'kb-articles.json');
const perIntent = 2;

/** General FAQ articles for customers (the FAQ example journey, examples/faq, answers from them too). */
const faqArticles: KbArticle[] = [
  {
    articleId: 'kb-faq-opening-hours',
    title: 'Support opening hours',
    body: 'Our support team answers chat and email every day from 8:00 to 20:00 (Central European Time), public holidays included. Outside these hours the chat bot answers common questions and leaves your request for the team, who reply the next morning.',
    tags: ['faq', 'hours', 'opening hours', 'contact', 'support'],
    source: 'baton:faq',
    audience: 'customer',
    locale: 'en',
  },
  {
    articleId: 'kb-faq-warranty',
    title: 'Warranty and repairs',
    body: 'Every product has a two-year warranty from the delivery date. If an item breaks, open the order in "My orders", choose "Report a problem" and describe the fault; we send a free return label and repair or replace the item within 14 days.',
    tags: ['faq', 'warranty', 'repair', 'broken', 'guarantee'],
    source: 'baton:faq',
    audience: 'customer',
    locale: 'en',
  },
];

/**
 * Agents' procedures: written for the inbox, never for a customer (audience `internal`). They share
 * the customers' words on purpose, so that a search for a customer must leave them out by audience.
 */
const internalArticles: KbArticle[] = [
  {
    articleId: 'kb-internal-unlock-account',
    title: 'Unlock a locked account (agents)',
    body: 'When a customer is locked out after too many password attempts, verify their identity with two of: date of birth, last order number, billing postcode. Then unlock the account manually in the admin console (Accounts › Security › Clear lockout) and send a new password reset link from there. Never read the reset link aloud or paste it into the chat.',
    tags: ['password', 'reset', 'locked out', 'login', 'account', 'procedure'],
    source: 'baton:agent-procedures',
    audience: 'internal',
    locale: 'en',
  },
  {
    articleId: 'kb-internal-refund-override',
    title: 'Refunds above the automatic limit (agents)',
    body: 'Refunds above 200 EUR need a team lead: open the order in the back office, choose Refund › Override, enter the approval code from the team lead and the reason. Goodwill refunds outside the refund policy are allowed once per customer per year; check the customer notes before offering one.',
    tags: ['refund', 'money back', 'policy', 'procedure'],
    source: 'baton:agent-procedures',
    audience: 'internal',
    locale: 'en',
  },
  {
    articleId: 'kb-internal-address-change-check',
    title: 'Shipping address changes after dispatch (agents)',
    body: 'Before changing the shipping address of a dispatched order, call the carrier on the partner line and quote the internal account number from the carrier sheet. Flag the order for fraud review when the new address is in another country.',
    tags: ['shipping', 'address', 'delivery', 'procedure'],
    source: 'baton:agent-procedures',
    audience: 'internal',
    locale: 'en',
  },
];

function main(): void {
  const [header, ...rows] = parseCsv(readFileSync(csvPath, 'utf8'));
  if (!header) throw new Error(`${csvPath} is empty`);
  const column = (name: string) => {
    const index = header.indexOf(name);
    if (index < 0) throw new Error(`${csvPath} has no "${name}" column`);
    return index;
  };
  const [intentCol, categoryCol, tagsCol, responseCol] = [
    column('intent'),
    column('category'),
    column('tags'),
    column('response'),
  ];
  const byIntent = new Map<string, { row: number; text: string; category: string }[]>();
  rows.forEach((row, index) => {
    const intent = row[intentCol];
    const response = row[responseCol]?.trim();
    // Offensive-language rows (tag W) answer an insult first: not article material.
    if (!intent || !response || (row[tagsCol] ?? '').includes('W')) return;
    const list = byIntent.get(intent) ?? [];
    list.push({ row: index + 2, text: response, category: row[categoryCol] ?? '' });
    byIntent.set(intent, list);
  });

  const articles: KbArticle[] = [];
  for (const intent of [...byIntent.keys()].sort()) {
    const topic = topics[intent];
    if (!topic) throw new Error(`no title for intent "${intent}": add it to topics`);
    // Responses that quote one customer's order number are not general articles.
    const candidates = (byIntent.get(intent) ?? []).filter(
      (candidate) => candidate.text.length >= 250 && candidate.text.length <= 1600 && !/\d{5,}/.test(candidate.text),
    );
    const vectors = candidates.map((candidate) => vectorOf(candidate.text));
    // Typical = closest on average to the other responses of the intent.
    const typical = candidates
      .map((candidate, i) => ({
        candidate,
        vector: vectors[i] as Vector,
        centrality:
          vectors.reduce((sum, other, j) => (i === j ? sum : sum + cosine(vectors[i] as Vector, other)), 0) /
          Math.max(1, vectors.length - 1),
      }))
      .sort((a, b) => b.centrality - a.centrality || a.candidate.row - b.candidate.row);
    const picked: typeof typical = [];
    for (const entry of typical) {
      if (picked.length >= perIntent) break;
      if (picked.some((other) => cosine(other.vector, entry.vector) > 0.75)) continue;
      picked.push(entry);
    }
    picked.forEach((entry, n) => {
      articles.push({
        articleId: `kb-${intent.replace(/_/g, '-')}${n === 0 ? '' : `-${n + 1}`}`,
        title: n === 0 ? topic.title : `${topic.title} (another way)`,
        body: fill(entry.candidate.text),
        tags: [...new Set([intent, entry.candidate.category.toLowerCase().replace(/_/g, '-'), ...topic.tags])],
        source: `bitext:${intent}#row${entry.candidate.row}`,
        audience: 'customer',
        locale: 'en',
      });
    });
  }
  articles.push(...faqArticles, ...internalArticles);
  writeFileSync(
    outPath,
    `${JSON.stringify({ source: 'Bitext customer-support sample (CDLA-Sharing-1.0), responses deduplicated by intent', articles }, null, 1)}\n`,
  );
  console.log(`${articles.length} articles from ${byIntent.size} intents → ${outPath}`);
}

main();
