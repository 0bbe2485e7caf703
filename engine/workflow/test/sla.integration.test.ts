/**
 * SLA timers as Temporal timers inside the conversation workflow, on the time-skipping test
 * server: at 80 % of the first-response target the ticket's priority is raised and it moves to the
 * overflow queue (recorded on the ticket and in the conversation); an agent's answer in time
 * cancels that timer. Minutes of queue time pass in seconds.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CompiledJourney } from '@baton/schemas';
import { type Conversations } from '@baton/server/client';
import { RoutingStore, type Store } from '@baton/store';
import { startTimeSkippingStack, type TimeSkippingStack } from '@baton/test-support/time-skipping';
import { compileOk, edge, journey, n } from '@baton/test-support/fixtures/journeys';

let stack: TimeSkippingStack;
let env: TestWorkflowEnvironment;
let store: Store;
let routing: RoutingStore;
let conversations: Conversations;

const slaJourney: CompiledJourney = compileOk(
  journey(
    [
      n.start(),
      n.handoff('escalate', 'Needs a person', {
        queue: 'desk',
        timeoutSeconds: 86400,
        routing: { skills: [], rules: [] },
      }),
      n.end('done', 'resolved_by_agent'),
      n.end('gone', 'abandoned'),
    ],
    [edge('start', 'next', 'escalate'), edge('escalate', 'resolved', 'done'), edge('escalate', 'timeout', 'gone')],
  ),
);
const kim = { id: 'kim', name: 'Kim' };
const customer = { id: 'cus_sla', name: 'Ola' };

beforeAll(async () => {
  stack = await startTimeSkippingStack('sla');
  ({ env, store } = stack);
  routing = new RoutingStore(store);
  await routing.putQueue({
    id: 'desk',
    name: 'Desk',
    assignment: 'least_loaded',
    outOfHoursMessage: 'x',
    sla: {
      firstResponseMinutes: { normal: 10 },
      resolutionMinutes: { normal: 60, high: 60 },
      warnAt: 0.8,
      raisePriority: true,
      overflowQueue: 'tier2',
    },
  });
  await routing.putQueue({
    id: 'tier2',
    name: 'Tier 2',
    assignment: 'least_loaded',
    outOfHoursMessage: 'x',
    sla: { firstResponseMinutes: {}, resolutionMinutes: {}, warnAt: 0.8, raisePriority: true },
  });
  await routing.putAgent({ id: 'kim', name: 'Kim', skills: [], queues: ['desk'], available: true, capacity: 10 });
  conversations = stack.conversations;
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

it('raises the priority and moves the ticket to the overflow queue at 80 % of the first-response target', async () => {
  const opened = await conversations.start({
    conversationId: 'sla-breach',
    journey: slaJourney,
    customer,
    variables: {},
    channel: 'test',
  });
  const handoff = opened.handoffs[0];
  expect(handoff).toMatchObject({ queue: 'desk', priority: 'normal', assignedTo: kim });
  const ticketId = handoff?.ticketId as string;

  await env.sleep('7 minutes');
  expect((await conversations.get('sla-breach')).handoffs[0]).toMatchObject({ queue: 'desk', priority: 'normal' });
  await env.sleep('2 minutes');
  const escalated = await conversations.get('sla-breach');
  expect(escalated.waiting).toMatchObject({ kind: 'agent', nodeId: 'escalate' });
  expect(escalated.handoffs[0]).toMatchObject({ queue: 'tier2', priority: 'high' });
  expect(escalated.handoffs[0]?.events?.map((e) => e.type)).toEqual(['assigned', 'sla_escalated']);
  expect(escalated.path.find((p) => p.nodeId === 'escalate')?.note).toContain(
    'first_response near breach: desk (normal) → tier2 (high)',
  );
  const ticket = await store.getTicket(ticketId);
  expect(ticket).toMatchObject({ queue: 'tier2', priority: 'high' });
  expect((await routing.getTicketRouting(ticketId))?.routingEvents?.map((e) => e.type)).toEqual([
    'assigned',
    'sla_escalated',
  ]);

  // The resolution target (60 min) warns at 48 min: tier2 has no overflow, the priority goes up again.
  await conversations.claim('sla-breach', kim);
  await env.sleep('40 minutes');
  const later = await conversations.get('sla-breach');
  expect(later.handoffs[0]).toMatchObject({ queue: 'tier2', priority: 'urgent' });

  await conversations.agentAction('sla-breach', { type: 'resolve', agent: kim });
  expect(await routing.getAgent('kim')).toMatchObject({ load: 0 });
}, 120_000);

it('cancels the first-response timer when the agent answers in time', async () => {
  const opened = await conversations.start({
    conversationId: 'sla-met',
    journey: slaJourney,
    customer,
    variables: {},
    channel: 'test',
  });
  const ticketId = opened.handoffs[0]?.ticketId as string;
  await env.sleep('2 minutes');
  await conversations.claim('sla-met', kim);
  await conversations.agentAction('sla-met', { type: 'message', agent: kim, clientMessageId: 'a1', text: 'On it.' });
  await env.sleep('20 minutes');
  const view = await conversations.get('sla-met');
  expect(view.handoffs[0]).toMatchObject({ queue: 'desk', priority: 'normal', sla: { firstResponse: { met: true } } });
  expect(view.handoffs[0]?.events?.map((e) => e.type)).toEqual(['assigned']);
  expect(await store.getTicket(ticketId)).toMatchObject({ queue: 'desk', priority: 'normal' });
  await conversations.agentAction('sla-met', { type: 'resolve', agent: kim });
}, 120_000);
