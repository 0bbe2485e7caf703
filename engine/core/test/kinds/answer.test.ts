import { Conversation } from '@baton/test-support/fixtures/conversation';
import { node } from '@baton/test-support/fixtures/journeys';
import { confirmedBy, readAnswer } from '../../src/kinds/answer/step';
import { around, handleTaken } from './support';

const found = {
  status: 'answered',
  answer: 'Open Settings and choose "Reset password".',
  article: { articleId: 'kb-reset', title: 'Reset your password', link: '/kb/kb-reset' },
  score: 0.8,
  reasons: ['best passage'],
};

// The conversation reaches the node at its start, so the question comes from a variable's default.
const question = { q: { type: 'string', default: 'how do I reset my password' } };
const plain = () =>
  around(node('faq', 'answer', { question: '{{q}}', variable: 'cited', tags: ['account'] }), ['answered', 'unsure'], {
    ...question,
    cited: { type: 'object' },
  });
const confirming = () =>
  around(
    node('faq', 'answer', { question: '{{q}}', confirm: { prompt: 'Did that answer your question?' } }),
    ['resolved', 'not_resolved', 'answered', 'unsure'],
    question,
  );

test('answered: the passage is said with the article title and link, the citation goes into the variable', () => {
  const conversation = plain().conversation();
  expect(conversation.pendingCall()).toMatchObject({
    activity: 'baton.answer',
    input: { question: 'how do I reset my password', tags: ['account'], minConfidence: 0.4 },
  });
  const output = conversation.succeed(found);
  expect(conversation.said(output)[0]).toBe(
    'Open Settings and choose "Reset password".\n\nReset your password: /kb/kb-reset',
  );
  expect(handleTaken(conversation, 'faq')).toBe('answered');
  expect(conversation.state.vars.cited).toEqual({ ...found.article, score: 0.8 });
});

test("unsure: below the node's minConfidence, when the activity says unsure, or when it fails", () => {
  const low = plain().conversation();
  low.succeed({ ...found, score: 0.39 });
  expect(handleTaken(low, 'faq')).toBe('unsure');
  expect(low.said().some((line) => line.includes('Reset password'))).toBe(false);
  expect(low.state.vars.cited).toBeNull();

  const none = plain().conversation();
  none.succeed({ status: 'unsure', answer: null, article: null, score: 0.1, reasons: [] });
  expect(handleTaken(none, 'faq')).toBe('unsure');

  const failing = plain().conversation();
  failing.fail('timed out');
  expect(handleTaken(failing, 'faq')).toBe('unsure');
  expect(failing.state.counters.failures).toBe(1);
});

test('with confirm: "yes" leaves by resolved, "no" by not_resolved, no reply by answered', () => {
  const yes = confirming().conversation();
  expect(yes.said(yes.succeed(found))).toContain('Did that answer your question?');
  expect(yes.state.waiting?.kind).toBe('reply');
  expect(yes.state.transcript.at(-1)).toMatchObject({
    text: 'Did that answer your question?',
    quickReplies: ['Yes', 'No'],
  });
  yes.say('Yes, thanks!');
  expect(handleTaken(yes, 'faq')).toBe('resolved');

  const no = confirming().conversation();
  no.succeed(found);
  no.say('no, that is not my problem');
  expect(handleTaken(no, 'faq')).toBe('not_resolved');

  const silent = confirming().conversation();
  silent.succeed(found);
  silent.timeout();
  expect(handleTaken(silent, 'faq')).toBe('answered');
});

test('an empty question is unsure without asking the knowledge base', () => {
  const conversation = around(node('faq', 'answer', {}), ['answered', 'unsure']).conversation();
  expect(handleTaken(conversation, 'faq')).toBe('unsure');
  expect(conversation.lastCalls()).toEqual([]);
});

test('an unsure answer never asks for confirmation', () => {
  const conversation = confirming().conversation();
  const output = conversation.succeed({ ...found, score: 0.1 });
  expect(conversation.said(output).some((line) => line.includes('Did that answer'))).toBe(false);
  expect(handleTaken(conversation, 'faq')).toBe('unsure');
});

test('the activity output is read defensively and replies are read as yes only when plainly yes', () => {
  expect(readAnswer({ ...found, article: null })).toBeNull();
  expect(readAnswer({ ...found, answer: ' ' })).toBeNull();
  expect(readAnswer('yes')).toBeNull();
  expect(readAnswer({ ...found, score: 7 })?.score).toBe(1);
  expect(['yes', 'Yep that did it', 'thanks!'].map(confirmedBy)).toEqual([true, true, true]);
  expect(['no', 'yes but it still fails', 'what about refunds?', 'not really'].map(confirmedBy)).toEqual([
    false,
    false,
    false,
    false,
  ]);
});

test("the customer's name and locale go with the question (articles in their language)", () => {
  const conversation = new Conversation(plain().journey, { customer: { id: 'c-1', name: 'Zoé', locale: 'fr-CA' } });
  expect(conversation.pendingCall().input).toMatchObject({ customerName: 'Zoé', locale: 'fr-CA' });
  const odd = new Conversation(plain().journey, { customer: { id: 'c-2', locale: 'not a locale!' } });
  expect(odd.pendingCall().input).not.toHaveProperty('locale');
});
