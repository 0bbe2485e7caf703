/**
 * Durable timeouts on Temporal's time-skipping test server: a customer who never answers is
 * abandoned after the ask's timeout, and a ticket nobody claims takes the handoff's timeout path.
 * Hours of conversation time pass in seconds, through real Temporal timers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Conversations } from '@baton/server/client';
import { compileJourney } from '@baton/core/compiler';
import { startTimeSkippingStack, type TimeSkippingStack } from '@baton/test-support/time-skipping';

const compiled = compileJourney(
  JSON.parse(readFileSync(join(__dirname, '../../../examples/password-reset/journey.json'), 'utf8')),
);

let stack: TimeSkippingStack;
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  stack = await startTimeSkippingStack('timeouts');
  ({ env } = stack);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

const customer = { id: 'c1', name: 'Ana', email: 'ana@example.com' };

it('abandons a conversation whose customer never answers, after the ask timeout', async () => {
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
  const conversations = new Conversations(env.client, 'timeouts');
  const opened = await conversations.start({
    conversationId: 'silent-1',
    journey: compiled.journey,
    customer,
    variables: {},
    channel: 'test',
  });
  expect(opened.waiting).toMatchObject({ kind: 'reply', nodeId: 'ask_need' });
  await env.sleep('14 minutes');
  expect((await conversations.get('silent-1')).status).toBe('active');
  await env.sleep('2 minutes');
  const view = await conversations.get('silent-1');
  expect(view).toMatchObject({ status: 'ended', outcome: 'abandoned', nodeId: 'gone' });
  expect(view.path.find((p) => p.nodeId === 'ask_need')).toMatchObject({ handle: 'timeout', note: 'no reply in time' });
});

it('tells the customer when nobody claims the ticket in time', async () => {
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
  const conversations = new Conversations(env.client, 'timeouts');
  await conversations.start({
    conversationId: 'unclaimed-1',
    journey: compiled.journey,
    customer,
    variables: {},
    channel: 'test',
  });
  const asked = await conversations.sendMessage('unclaimed-1', {
    clientMessageId: 'm1',
    text: 'let me talk to a person',
  });
  expect(asked.conversation.waiting).toMatchObject({ kind: 'agent', nodeId: 'escalate' });
  await env.sleep('25 hours');
  const view = await conversations.get('unclaimed-1');
  expect(view.status).toBe('ended');
  expect(view.transcript.map((e) => e.text)).toContain(
    'Our team is busy right now; we will email you at ana@example.com as soon as someone is free.',
  );
});
