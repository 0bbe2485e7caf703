/**
 * Builds the demo knowledge base, `workers/ai/models/kb-articles.json`, from the example responses of
 * the Bitext sample (`../shared/data/bitext-support/train.csv`, CDLA-Sharing-1.0: see
 * workers/ai/models/LICENSE-kb-articles.md). Deduplicated by intent: for each of the 27 intents, the
 * two most typical responses (closest to all the others of the intent) that are not near-copies of
 * each other, with the {{placeholders}} filled with neutral wording.
 *
 *   npx tsx workers/ai/scripts/seed-kb.ts [path/to/train.csv]
 *
 * `baton dev` loads the artefact into `kb_articles` when the collection is empty.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kbTerm, type KbArticle } from '../src/kb';
import { parseCsv } from '../src/triage/train';

const csvPath =
  process.argv[2] ?? join(__dirname, '..', '..', '..', '..', 'shared', 'data', 'bitext-support', 'train.csv');
const outPath = join(__dirname, '..', 'models', 'kb-articles.json');
const perIntent = 2;

/** Title and search tags of each intent's articles. */
const topics: Record<string, { title: string; tags: string[] }> = {
  cancel_order: { title: 'Cancel an order', tags: ['order', 'cancel', 'purchase'] },
  change_order: { title: 'Change an order (add or remove items)', tags: ['order', 'modify', 'items'] },
  change_shipping_address: {
    title: 'Change the shipping address of an order',
    tags: ['shipping', 'address', 'delivery'],
  },
  check_cancellation_fee: {
    title: 'Cancellation and early termination fees',
    tags: ['cancellation', 'fee', 'termination'],
  },
  check_invoice: { title: 'Find and check an invoice', tags: ['invoice', 'bill', 'billing'] },
  check_payment_methods: { title: 'Payment methods we accept', tags: ['payment', 'methods', 'card', 'paypal'] },
  check_refund_policy: { title: 'Refund policy', tags: ['refund', 'policy', 'money back', 'return'] },
  complaint: { title: 'Make a complaint', tags: ['complaint', 'unhappy', 'escalate', 'feedback'] },
  contact_customer_service: {
    title: 'Contact customer service',
    tags: ['contact', 'support', 'phone', 'email', 'hours'],
  },
  contact_human_agent: { title: 'Talk to a human agent', tags: ['human', 'agent', 'person', 'representative'] },
  create_account: { title: 'Create an account', tags: ['account', 'sign up', 'register', 'new'] },
  delete_account: { title: 'Delete or close your account', tags: ['account', 'delete', 'close', 'remove'] },
  delivery_options: { title: 'Delivery options', tags: ['delivery', 'shipping', 'options', 'express'] },
  delivery_period: { title: 'When will my order arrive?', tags: ['delivery', 'arrive', 'time', 'eta'] },
  edit_account: { title: 'Edit your account details', tags: ['account', 'edit', 'profile', 'update'] },
  get_invoice: { title: 'Download an invoice', tags: ['invoice', 'download', 'receipt', 'bill'] },
  get_refund: { title: 'Request a refund', tags: ['refund', 'money back', 'reimbursement'] },
  newsletter_subscription: {
    title: 'Subscribe to or leave the newsletter',
    tags: ['newsletter', 'subscribe', 'unsubscribe', 'email'],
  },
  payment_issue: { title: 'Problems with a payment', tags: ['payment', 'declined', 'charge', 'card', 'failed'] },
  place_order: { title: 'Place an order', tags: ['order', 'buy', 'purchase', 'checkout'] },
  recover_password: {
    title: 'Reset or recover your password',
    tags: ['password', 'reset', 'forgot', 'login', 'locked out', 'sign in', 'reset link'],
  },
  registration_problems: { title: 'Problems signing up', tags: ['registration', 'sign up', 'error', 'account'] },
  review: { title: 'Leave a review or feedback', tags: ['review', 'feedback', 'rating'] },
  set_up_shipping_address: { title: 'Set up a shipping address', tags: ['shipping', 'address', 'new address'] },
  switch_account: { title: 'Switch between accounts or plans', tags: ['account', 'switch', 'plan', 'upgrade'] },
  track_order: { title: 'Track an order', tags: ['order', 'track', 'status', 'where is my order'] },
  track_refund: { title: 'Track a refund', tags: ['refund', 'track', 'status'] },
};

/** Neutral wording for the dataset's placeholders; any other `{{Name}}` becomes "Name" (a page or button name). */
const fills: Record<string, string> = {
  'Customer Support Phone Number': 'our support phone line',
  'Customer Service Phone Number': 'our support phone line',
  'Support Phone Number': 'our support phone line',
  'Phone Number': 'our support phone line',
  'Live Chat': 'live chat',
  'Website Name': 'our website',
  'Website URL': 'our website',
  website: 'our website',
  Website: 'our website',
  'Website or App': 'our website or app',
  'Company Name': 'our company',
  'Customer Support Availability': 'during our support hours',
  'Customer Support Hours': 'our support hours',
  'Support Team Availability': 'during our support hours',
  'Customer Support Email': 'our support email address',
  'Customer Support Email Address': 'our support email address',
  'Support Email': 'our support email address',
  'Order Number Anonymized': 'your order number',
  'Purchase ID Anonymized': 'your order number',
  'Order ID Anonymized': 'your order number',
  'Bill Number Anonymized': 'your invoice number',
  'Invoice Number Anonymized': 'your invoice number',
  'number of days': 'a few days',
  'tracking number': 'your tracking number',
  'order number': 'your order number',
};

function fill(text: string): string {
  return text
    .replace(/\{\{\s*([^}]+?)\s*\}\}/g, (_match, name: string) => fills[name] ?? `"${name}"`)
    .replace(/\b(our|the|your|a) (our|your) /gi, (_match, _first: string, second: string) => `${second} `)
    .replace(/\[([A-Z][A-Za-z ]+)\]/g, (_match, name: string) => fills[name] ?? name)
    .replace(
      /\b(with )?the (order )?number your /gi,
      (_match, withWord: string | undefined) => `${withWord ?? ''}your `,
    );
}

type Vector = Map<string, number>;
function vectorOf(text: string): Vector {
  const vector: Vector = new Map();
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    const term = kbTerm(word);
    if (term) vector.set(term, (vector.get(term) ?? 0) + 1);
  }
  let norm = 0;
  for (const value of vector.values()) norm += value * value;
  norm = Math.sqrt(norm) || 1;
  for (const [key, value] of vector) vector.set(key, value / norm);
  return vector;
}
function cosine(a: Vector, b: Vector): number {
  let sum = 0;
  for (const [key, value] of a) sum += value * (b.get(key) ?? 0);
  return sum;
}

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
      });
    });
  }
  writeFileSync(
    outPath,
    `${JSON.stringify({ source: 'Bitext customer-support sample (CDLA-Sharing-1.0), responses deduplicated by intent', articles }, null, 1)}\n`,
  );
  console.log(`${articles.length} articles from ${byIntent.size} intents → ${outPath}`);
}

main();
