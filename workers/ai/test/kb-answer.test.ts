import { answerCustomer, createKbIndex, passageFor, type KbArticle } from '../src/kb';
import { rankForAnswer } from '../src/kb/answer';
import type { KbAnswer, KbPassage } from '../src/provider';

const articles: KbArticle[] = [
  {
    articleId: 'reset',
    title: 'Reset your password',
    body: 'We are sorry you are locked out.\n\nTo reset your password, follow these steps:\n\n1. Open the login page.\n2. Choose "Forgot password" and enter your email.\n\nWrite to us if the email does not arrive.',
    tags: ['password', 'account'],
    source: 't',
    audience: 'customer',
  },
  {
    articleId: 'unlock-internal',
    title: 'Unlock a locked account (agents)',
    body: 'Verify the customer, then unlock the account manually in the admin console and reset the password there.',
    tags: ['password', 'locked out', 'account'],
    source: 't',
    audience: 'internal',
  },
  {
    articleId: 'refund',
    title: 'Request a refund',
    body: 'Refunds are paid back to the card you used within five days.',
    tags: ['refund'],
    source: 't',
    link: 'https://help.example.com/refunds',
  },
];

const index = createKbIndex(articles);

describe('search filters', () => {
  it('a customer search never returns an internal article; an agent search labels it', () => {
    const q = 'locked out: unlock my account in the admin console';
    const all = index.search(q, { limit: 10 });
    expect(all.find((hit) => hit.articleId === 'unlock-internal')?.audience).toBe('internal');
    const customer = index.search(q, { limit: 10, audience: 'customer' });
    expect(customer.length).toBeGreaterThan(0);
    expect(customer.map((hit) => hit.articleId)).not.toContain('unlock-internal');
  });

  it('filters by tag (any of them, case-insensitively) and by locale language', () => {
    expect(index.search('refund password', { tags: ['REFUND'] }).map((hit) => hit.articleId)).toEqual(['refund']);
    const localized = createKbIndex([
      { ...articles[0]!, articleId: 'fr', locale: 'fr' },
      { ...articles[0]!, articleId: 'en', locale: 'en-GB' },
    ]);
    expect(localized.search('reset password', { locale: 'en' }).map((hit) => hit.articleId)).toEqual(['en']);
  });

  it('relevance is 0..1 and higher for a question the article answers than for an unrelated one', () => {
    const good = index.search('how do I reset my password', { audience: 'customer' })[0];
    const poor = index.search('can you recommend a pasta recipe for tonight', { audience: 'customer' })[0];
    expect(good?.relevance).toBeGreaterThan(0);
    expect(good?.relevance).toBeLessThanOrEqual(1);
    expect(good!.relevance).toBeGreaterThan(poor?.relevance ?? 0);
  });
});

describe('the passage that answers', () => {
  it("takes the paragraph that matches and the steps it introduces, in the article's own words", () => {
    const passage = passageFor(articles[0]!.body, 'how to reset password');
    expect(passage).toBe(
      'To reset your password, follow these steps:\n\n1. Open the login page.\n2. Choose "Forgot password" and enter your email.',
    );
  });
});

describe('answerCustomer', () => {
  it('answers extractively from a customer article with its link, or the widget path', async () => {
    const answered = await answerCustomer(index, { question: 'how do I reset my password', minConfidence: 0.1 });
    expect(answered).toMatchObject({
      status: 'answered',
      article: { articleId: 'reset', title: 'Reset your password', link: '/kb/reset' },
    });
    expect(answered.answer).toContain('Forgot password');
    const refund = await answerCustomer(index, { question: 'refund to my card', minConfidence: 0.1 });
    expect(refund.article?.link).toBe('https://help.example.com/refunds');
  });

  it('is unsure below minConfidence and when only an internal article matches', async () => {
    const strict = await answerCustomer(index, { question: 'how do I reset my password', minConfidence: 1 });
    expect(strict).toMatchObject({ status: 'unsure', answer: null, article: null });
    const internalOnly = createKbIndex([articles[1]!]);
    const none = await answerCustomer(internalOnly, { question: 'unlock my account admin console', minConfidence: 0 });
    expect(none.status).toBe('unsure');
    expect(JSON.stringify(none)).not.toMatch(/admin console/);
  });

  it('a generating provider reads customer passages only and must cite one of them', async () => {
    const seen: KbPassage[][] = [];
    const provider = (reply: KbAnswer) => ({
      name: 'openai:test',
      answer: async (_question: string, passages: readonly KbPassage[]) => {
        seen.push([...passages]);
        return reply;
      },
    });
    const cited = await answerCustomer(
      index,
      { question: 'locked out, reset my password', minConfidence: 0 },
      provider({ answer: 'Use Forgot password.', suggestedReply: 'Hi, use "Forgot password".', basedOn: 'reset' }),
    );
    expect(cited).toMatchObject({ status: 'answered', answer: 'Hi, use "Forgot password".' });
    expect(seen[0]!.map((passage) => passage.articleId)).not.toContain('unlock-internal');

    const refused = await answerCustomer(
      index,
      { question: 'locked out, reset my password', minConfidence: 0 },
      provider({ answer: null, suggestedReply: null, basedOn: null }),
    );
    expect(refused.status).toBe('unsure');
    const uncited = await answerCustomer(
      index,
      { question: 'locked out, reset my password', minConfidence: 0 },
      provider({ answer: 'x', suggestedReply: 'Unlock it in the admin console.', basedOn: 'unlock-internal' }),
    );
    expect(uncited).toMatchObject({ status: 'unsure', answer: null });
  });
});

test('the answer keeps BM25 order, except that the most relevant of the hits tied with the first leads', () => {
  const hit = (id: string, score: number, relevance: number) => ({ id, score, relevance });
  expect(rankForAnswer([hit('a', 10, 0.4), hit('a2', 9.8, 0.7), hit('b', 5, 0.9)]).map((h) => h.id)).toEqual([
    'a2',
    'a',
    'b',
  ]);
  expect(rankForAnswer([hit('a', 10, 0.4), hit('b', 8, 0.9)]).map((h) => h.id)).toEqual(['a', 'b']);
  expect(rankForAnswer([])).toEqual([]);
});
