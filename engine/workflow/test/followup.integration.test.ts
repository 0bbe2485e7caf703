/**
 * The follow-up after resolution on the time-skipping test server: the survey waits out its delay
 * (a Temporal timer), related knowledge-base articles are offered by simple text match, the answer
 * is stored, and a customer surveyed within the limit is not asked again.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CompiledJourney } from '@baton/schemas';
import { type Conversations } from '@baton/server/client';
import { connectStore, RoutingStore, type Store } from '@baton/store';
import { requireServers, uniqueDbName } from '@baton/test-support/servers';
import { startTimeSkippingStack, type TimeSkippingStack } from '@baton/test-support/time-skipping';
import { compileOk, edge, journey, n } from '@baton/test-support/fixtures/journeys';

let stack: TimeSkippingStack;
let env: TestWorkflowEnvironment;
let store: Store;
let conversations: Conversations;

const followupJourney: CompiledJourney = compileOk(
  journey(
    [
      n.start(),
      n.ask('q', 'request', 'How can I help?'),
      n.handoff('escalate', 'Needs a person', { timeoutSeconds: 86400 }),
      n.followup('survey', {
        surveyDelaySeconds: 3600,
        surveyLimitDays: 30,
        relatedArticles: true,
        responseTimeoutSeconds: 86400,
      }),
      n.end('done', 'resolved_by_agent'),
      n.end('gone', 'abandoned'),
    ],
    [
      edge('start', 'next', 'q'),
      edge('q', 'reply', 'escalate'),
      edge('q', 'timeout', 'gone'),
      edge('escalate', 'resolved', 'survey'),
      edge('escalate', 'timeout', 'gone'),
      edge('survey', 'answered', 'done'),
      edge('survey', 'timeout', 'done'),
    ],
    { variables: { request: { type: 'string' } } },
  ),
);
const sam = { id: 'sam', name: 'Sam' };

beforeAll(async () => {
  stack = await startTimeSkippingStack('followup');
  ({ env, store } = stack);
  await store
    .collection('kb_articles')
    .insertMany([
      { _id: 'kb1', articleId: 'kb1', title: 'How to reset your password', body: '…', tags: ['account'] } as never,
      { _id: 'kb2', articleId: 'kb2', title: 'Password rules and reset links', body: '…', tags: ['password'] } as never,
      { _id: 'kb3', articleId: 'kb3', title: 'Shipping times', body: '…', tags: ['delivery'] } as never,
    ]);
  conversations = stack.conversations;
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

async function resolvedConversation(conversationId: string, customerId: string): Promise<void> {
  await conversations.start({
    conversationId,
    journey: followupJourney,
    customer: { id: customerId, name: 'Vi', email: `${customerId}@example.com` },
    variables: {},
    channel: 'test',
  });
  await conversations.sendMessage(conversationId, { clientMessageId: 'm1', text: 'I need to reset my password' });
  await conversations.claim(conversationId, sam);
  await conversations.agentAction(conversationId, { type: 'resolve', agent: sam });
}

it('asks after the delay, offers related articles, stores the answer, and respects the per-customer limit', async () => {
  await resolvedConversation('fu-1', 'cus_f');
  const waiting = await conversations.get('fu-1');
  expect(waiting.waiting).toMatchObject({ kind: 'timer', nodeId: 'survey' });
  expect(waiting.transcript.some((entry) => entry.text.includes('Please tell us'))).toBe(false);

  await env.sleep('61 minutes');
  const asked = await conversations.get('fu-1');
  expect(asked.waiting).toMatchObject({ kind: 'survey', nodeId: 'survey' });
  const texts = asked.transcript.map((entry) => entry.text);
  expect(texts).toContain(
    'You may find these articles helpful: How to reset your password; Password rules and reset links.',
  );
  expect(texts.at(-1)).toContain('how easy it was to handle your issue (1 = very hard, 7 = very easy)');

  await conversations.answerSurvey('fu-1', { ces: 6, csat: 5 });
  expect(await store.getSurvey('fu-1')).toMatchObject({ customerId: 'cus_f', ces: 6, csat: 5 });

  // The same customer, resolved again within 30 days: no second survey.
  await resolvedConversation('fu-2', 'cus_f');
  await env.sleep('61 minutes');
  const skipped = await conversations.get('fu-2');
  expect(skipped).toMatchObject({ status: 'ended', outcome: 'resolved_by_agent' });
  expect(skipped.path.find((p) => p.nodeId === 'survey')?.note).toContain(
    'survey skipped: the customer answered a survey in the last 30 days',
  );
  expect(skipped.transcript.some((entry) => entry.text.includes('Please tell us'))).toBe(false);

  // Another customer is asked.
  await resolvedConversation('fu-3', 'cus_g');
  await env.sleep('61 minutes');
  expect((await conversations.get('fu-3')).waiting).toMatchObject({ kind: 'survey' });
}, 120_000);

it('finds no articles when nothing matches, and none without a knowledge base', async () => {
  const routing = new RoutingStore(store);
  expect(await routing.relatedArticleTitles('shipping delivery')).toEqual(['Shipping times']);
  expect(await routing.relatedArticleTitles('refund my invoice')).toEqual([]);
  const empty = await connectStore(requireServers().mongoUri, uniqueDbName('followup_nokb'));
  try {
    expect(await new RoutingStore(empty).relatedArticleTitles('reset password')).toEqual([]);
  } finally {
    await empty.close();
  }
});
