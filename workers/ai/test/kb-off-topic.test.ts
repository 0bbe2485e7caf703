/**
 * The knowledge base knows when a question is outside it: on the example knowledge base (the
 * articles `baton dev` seeds and examples/faq answers from), questions about something else are
 * `unsure` at the answer node's default minConfidence (0.4) instead of being answered with the
 * nearest article, while the FAQ's own questions are answered with the right one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { answerCustomer, createKbIndex, type KbArticle } from '../src/kb';

const { articles } = JSON.parse(readFileSync(join(__dirname, '..', 'models', 'kb-articles.json'), 'utf8')) as {
  articles: KbArticle[];
};
const index = createKbIndex(articles);
const minConfidence = 0.4;
const ask = (question: string) => answerCustomer(index, { question, minConfidence });

test.each([
  'can you recommend a good pizza recipe',
  "what's a good movie to watch tonight",
  'I need help booking a flight to Paris',
  'what is the weather like tomorrow',
  'tell me a joke',
  'how long should I boil an egg',
  'what is the capital of france',
])('%s → unsure (nothing in the knowledge base is about it)', async (question) => {
  const answer = await ask(question);
  expect(answer).toMatchObject({ status: 'unsure', answer: null, article: null });
  expect(answer.score).toBeLessThan(minConfidence);
});

test.each([
  ['How do I reset my password?', 'kb-recover-password'],
  ['what are your opening hours', 'kb-faq-opening-hours'],
  ['I want to cancel my order', 'kb-cancel-order'],
  ['what payment methods do you accept', 'kb-check-payment-methods'],
  ['how do I change my shipping address', 'kb-change-shipping-address'],
  ['how do I get a refund?', 'kb-get-refund'],
])('%s → answered from its article', async (question, articleId) => {
  const answer = await ask(question);
  expect(answer.status).toBe('answered');
  expect(answer.article?.articleId.replace(/-2$/, '')).toBe(articleId);
  expect(answer.score).toBeGreaterThanOrEqual(minConfidence);
});
