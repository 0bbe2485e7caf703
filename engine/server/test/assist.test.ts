/**
 * The assist never proposes an internal article's text as a reply to the customer (regression: given
 * an agents' procedure, it pasted "unlock the account manually in the admin console" into the reply).
 */
import { createEmbeddedProvider, type KbAnswer, type KbPassage } from '@baton/ai';
import { createKbIndex } from '@baton/ai/kb';
import { assistAnswer, quotesInternal } from '../src/api/assist';

const procedure =
  'Verify the customer with two security questions, then unlock the account manually in the admin console and send a new reset link from there.';
const index = createKbIndex([
  {
    articleId: 'kb-internal-unlock',
    title: 'Unlock a locked account (agents)',
    body: procedure,
    tags: ['password', 'locked out', 'unlock', 'account'],
    source: 'test',
    audience: 'internal',
  },
  {
    articleId: 'kb-reset',
    title: 'Reset your password',
    body: 'Locked out of your account? Open the login page and choose "Forgot password". We email you a link to set a new password.',
    tags: ['password', 'reset'],
    source: 'test',
  },
]);
const embedded = createEmbeddedProvider();
const quiet = () => undefined;
const question = 'I am locked out of my account, please unlock it';

test('the suggested reply comes from customer articles; the internal procedure is labelled guidance for the agent', async () => {
  const result = await assistAnswer(
    index,
    question,
    { customerName: 'Ada Lovelace' },
    {
      preferred: embedded,
      embedded,
      log: quiet,
    },
  );
  expect(result.suggestedReply).toMatch(/^Hi Ada,/);
  expect(result.suggestedReply).toContain('Forgot password');
  expect(result.suggestedReply).not.toMatch(/admin console/);
  expect(result.answer ?? '').not.toMatch(/admin console/);
  expect(result.basedOn).toBe('kb-reset');
  expect(result.sources.map((source) => source.articleId)).toEqual(['kb-reset']);
  expect(result.internalGuidance).toEqual([
    expect.objectContaining({ articleId: 'kb-internal-unlock', audience: 'internal' }),
  ]);
});

test('a provider that repeats an internal sentence has its reply withheld', async () => {
  const seen: string[][] = [];
  const leaky = {
    name: 'openai:leaky',
    answer: async (_q: string, passages: readonly KbPassage[]): Promise<KbAnswer> => {
      seen.push(passages.map((passage) => passage.articleId));
      return { answer: 'Unlock it.', suggestedReply: `Hi! ${procedure}`, basedOn: 'kb-reset' };
    },
  };
  const result = await assistAnswer(index, question, {}, { preferred: leaky, embedded, log: quiet });
  expect(seen).toEqual([['kb-reset']]);
  expect(result).toMatchObject({ suggestedReply: null, answer: null, basedOn: null, provider: 'openai:leaky' });
  expect(quotesInternal('nothing in common here at all, really nothing', [{ body: procedure }])).toBe(false);
});
