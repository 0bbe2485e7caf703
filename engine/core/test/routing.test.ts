/**
 * Routing in the interpreter core: rule-first queue choice, the assignment activity's answer, SLA
 * timers that escalate before a breach, the claim deadline, reopening on a customer reply after
 * resolution, and the checked follow-up (delay, per-customer limit, related articles).
 */
import type { CompiledJourney } from '@baton/schemas';
import { wouldReopen } from '../src/interpreter';
import { Conversation, T0, ann, sam } from '@baton/test-support/fixtures/conversation';
import { compileOk, edge, journey, n } from '@baton/test-support/fixtures/journeys';

function routedJourney(
  followup: Record<string, unknown> = { surveyDelaySeconds: 600, surveyLimitDays: 30, relatedArticles: true },
  reopen = true,
): CompiledJourney {
  return compileOk(
    journey(
      [
        n.start(),
        n.handoff('escalate', 'Billing problem', {
          queue: 'support',
          priority: 'normal',
          timeoutSeconds: 3600,
          routing: {
            skills: ['billing'],
            rules: [{ when: { '==': [{ var: 'customer.tier' }, 'gold'] }, queue: 'vip', priority: 'high' }],
          },
        }),
        n.followup('survey', { responseTimeoutSeconds: 86400, ...followup }),
        n.end('done', 'resolved_by_agent'),
        n.end('gone', 'abandoned'),
      ],
      [
        edge('start', 'next', 'escalate'),
        edge('escalate', 'resolved', 'survey'),
        edge('escalate', 'timeout', 'gone'),
        edge('survey', 'answered', 'done'),
        edge('survey', 'timeout', 'done'),
        ...(reopen ? [edge('survey', 'reopened', 'escalate')] : []),
      ],
    ),
  );
}

const minute = 60_000;
const routeAnswer = {
  queue: 'vip',
  priority: 'high',
  agent: { id: 'agent_sam', name: 'Sam' },
  outOfHours: null,
  sla: { firstResponseSeconds: 600, resolutionSeconds: 3000, warnAt: 0.8 },
};

/** Opened and routed: waiting for Sam, the first SLA warning at 80 % of 10 minutes. */
function routed(answer: object = routeAnswer): Conversation {
  const c = new Conversation(routedJourney());
  c.succeed({ ticketId: 'conv_1-1', status: 'pending', created: true, summary: 's' });
  c.succeed(answer as never);
  return c;
}

describe('routing at the handoff', () => {
  it('chooses the queue by rule first, then asks baton.routeTicket with the skills', () => {
    const c = new Conversation(routedJourney());
    expect(c.pendingCall()).toMatchObject({ activity: 'baton.openTicket', input: { queue: 'vip', priority: 'high' } });
    c.succeed({ ticketId: 'conv_1-1', status: 'pending', created: true, summary: 's' });
    expect(c.pendingCall()).toMatchObject({
      activity: 'baton.routeTicket',
      purpose: 'route_ticket',
      input: { ticketId: 'conv_1-1', queue: 'vip', priority: 'high', skills: ['billing'], customer: ann },
    });
    expect(c.state.path[1]?.note).toContain('routing rule 1 chose vip');
  });

  it('keeps the node queue when no rule holds', () => {
    const c = new Conversation(routedJourney(), { customer: { id: 'cus_9', name: 'Bo', tier: 'free' } });
    expect(c.pendingCall().input).toMatchObject({ queue: 'support', priority: 'normal' });
  });

  it('records the assigned agent and waits until the first SLA warning point', () => {
    const c = routed();
    const handoff = c.state.handoffs[0];
    expect(handoff).toMatchObject({
      queue: 'vip',
      priority: 'high',
      assignedTo: { id: 'agent_sam', name: 'Sam' },
      claimDeadline: c.at + 3600_000,
    });
    expect(handoff?.sla).toEqual({
      firstResponse: { dueAt: c.at + 10 * minute, warnAt: c.at + 8 * minute },
      resolution: { dueAt: c.at + 50 * minute, warnAt: c.at + 40 * minute },
    });
    expect(c.state.waiting).toEqual({
      kind: 'agent',
      nodeId: 'escalate',
      ticketId: 'conv_1-1',
      until: c.at + 8 * minute,
    });
    expect(handoff?.events?.[0]).toMatchObject({ type: 'assigned', detail: 'vip (high): assigned to Sam' });
  });

  it('tells an out-of-hours customer when to expect an answer, and starts the SLA clocks at the opening', () => {
    const opensAt = T0 + 12 * 60 * minute;
    const c = routed({
      ...routeAnswer,
      outOfHours: { message: "Our team is back Monday at 09:00 (Europe/Paris); we'll reply then.", opensAt },
    });
    expect(c.said()).toEqual(["Our team is back Monday at 09:00 (Europe/Paris); we'll reply then."]);
    expect(c.state.handoffs[0]?.sla?.firstResponse).toEqual({
      dueAt: opensAt + 10 * minute,
      warnAt: opensAt + 8 * minute,
    });
  });

  it('never strands the customer when routing fails: the ticket waits in its queue', () => {
    const c = new Conversation(routedJourney());
    c.succeed({ ticketId: 'conv_1-1', status: 'pending', created: true, summary: 's' });
    c.fail('store down');
    expect(c.state.waiting).toMatchObject({ kind: 'agent', until: c.at + 3600_000 });
    expect(c.state.path[1]?.note).toContain('routing failed');
  });
});

describe('SLA timers', () => {
  it('escalates at 80 % of the first-response target while the ticket keeps waiting', () => {
    const c = routed();
    const warn = c.state.handoffs[0]?.sla?.firstResponse?.warnAt as number;
    c.timeout(warn);
    const [call] = c.lastCalls();
    expect(call).toMatchObject({
      activity: 'baton.slaEscalate',
      purpose: 'sla_escalate',
      input: { ticketId: 'conv_1-1', queue: 'vip', priority: 'high', targets: ['first_response'] },
    });
    // Still with the agent; the next timer is the resolution warning (40 min), the claim deadline being later.
    expect(c.state.waiting).toMatchObject({ kind: 'agent', until: c.state.handoffs[0]?.sla?.resolution?.warnAt });
    c.send({
      type: 'activity_result',
      callId: call?.callId as string,
      ok: true,
      output: { queue: 'overflow', priority: 'urgent', targets: ['first_response'] },
    });
    expect(c.state.handoffs[0]).toMatchObject({ queue: 'overflow', priority: 'urgent' });
    expect(c.state.handoffs[0]?.events?.map((e) => e.type)).toEqual(['assigned', 'sla_escalated']);
    expect(c.state.background).toBeNull();
    expect(c.state.path[1]?.note).toContain('first_response near breach: vip (high) → overflow (urgent)');
  });

  it('cancels the first-response timer when the agent answers', () => {
    const c = routed();
    c.send({ type: 'agent_claimed', agent: sam });
    c.send({ type: 'agent_message', agent: sam, text: 'Hello, I am on it', clientMessageId: 'a1' });
    expect(c.state.handoffs[0]?.sla?.firstResponse?.met).toBe(true);
    expect(c.state.waiting).toMatchObject({ kind: 'agent', until: c.state.handoffs[0]?.sla?.resolution?.warnAt });
  });

  it('takes the timeout path (after freeing the agent slot) when nobody claims by the deadline', () => {
    const c = routed({ ...routeAnswer, sla: null });
    c.timeout(c.state.handoffs[0]?.claimDeadline);
    expect(c.pendingCall()).toMatchObject({
      activity: 'baton.releaseAgent',
      input: { ticketId: 'conv_1-1', agentId: 'agent_sam' },
    });
    c.succeed({ released: true });
    expect(c.state).toMatchObject({ status: 'ended', nodeId: 'gone', outcome: 'abandoned' });
  });
});

describe('resolution, follow-up and reopening', () => {
  function resolved(): Conversation {
    const c = routed();
    c.send({ type: 'agent_claimed', agent: sam });
    c.send({ type: 'agent_message', agent: sam, text: 'Refunded.', clientMessageId: 'a1' });
    c.send({ type: 'ticket_resolved', agent: sam });
    expect(c.pendingCall()).toMatchObject({ activity: 'baton.releaseAgent' });
    c.succeed({ released: true });
    // The follow-up sends the transcript, then waits out the survey delay.
    expect(c.pendingCall()).toMatchObject({ activity: 'baton.sendTranscript' });
    c.succeed({ sent: true, to: ann.email as string, duplicate: false });
    return c;
  }

  it('waits the survey delay as a timer, then checks the limit and finds related articles', () => {
    const c = resolved();
    expect(c.state.waiting).toEqual({ kind: 'timer', nodeId: 'survey', until: c.at + 600_000 });
    c.timeout();
    expect(c.pendingCall()).toMatchObject({
      activity: 'baton.followupCheck',
      input: { customerId: 'cus_1', surveyLimitDays: 30, relatedArticles: true },
    });
    c.succeed({ surveyAllowed: true, articles: ['Refund policy', 'Billing cycles'] });
    expect(c.said()).toEqual([
      'You may find these articles helpful: Refund policy; Billing cycles.',
      expect.stringContaining('how easy it was to handle your issue'),
    ]);
    expect(c.state.waiting?.kind).toBe('survey');
  });

  it('skips the survey for a customer surveyed recently', () => {
    const c = resolved();
    c.timeout();
    c.succeed({ surveyAllowed: false, reason: 'the customer answered a survey in the last 30 days', articles: [] });
    expect(c.state).toMatchObject({ status: 'ended', outcome: 'resolved_by_agent' });
    expect(c.state.path.find((p) => p.nodeId === 'survey')?.note).toContain(
      'survey skipped: the customer answered a survey in the last 30 days',
    );
  });

  it('asks anyway when the check fails', () => {
    const c = resolved();
    c.timeout();
    c.fail('db down');
    expect(c.state.waiting?.kind).toBe('survey');
  });

  it('reopens the ticket with the same agent when the customer writes after resolution', () => {
    const c = resolved();
    expect(wouldReopen(c.journey, c.state)).toBe(true);
    c.say('Actually the refund did not arrive');
    expect(c.pendingCall()).toMatchObject({
      activity: 'baton.reopenTicket',
      purpose: 'reopen_ticket',
      input: { ticketId: 'conv_1-1', text: 'Actually the refund did not arrive' },
    });
    c.succeed({ reopened: true, status: 'open', count: 1 });
    const handoff = c.state.handoffs[0];
    expect(handoff).toMatchObject({ reopened: 1, claimedBy: sam });
    expect(handoff?.resolvedAt).toBeUndefined();
    expect(c.state.waiting).toMatchObject({ kind: 'agent', nodeId: 'escalate' });
    // The path follows the canvas: survey --reopened--> escalate.
    expect(c.state.path.slice(-2)).toMatchObject([
      { nodeId: 'survey', handle: 'reopened', note: 'transcript sent; the customer wrote after the resolution' },
      { nodeId: 'escalate', note: 'ticket conv_1-1 reopened by the customer' },
    ]);
    expect(c.state.handoffs).toHaveLength(1);
    // Same agent answers and resolves again, without claiming anew.
    c.send({ type: 'agent_message', agent: sam, text: 'Sent again.', clientMessageId: 'a2' });
    c.send({ type: 'ticket_resolved', agent: sam });
    c.succeed({ released: true });
    expect(c.state.nodeId).toBe('survey');
    // The second follow-up sends the transcript again, under its own idempotency (sequence 2).
    expect(c.pendingCall()).toMatchObject({ activity: 'baton.sendTranscript', input: { sequence: 2 } });
  });

  it('a ticket resolved without a claim waits for a claim again, for the full time, when reopened', () => {
    const c = routed({ ...routeAnswer, sla: null });
    c.send({ type: 'ticket_resolved', agent: sam });
    c.succeed({ released: true });
    c.succeed({ sent: true });
    c.say('still broken', 'late');
    const reopenedAt = c.at;
    c.succeed({ reopened: true, status: 'pending', count: 1 });
    expect(c.state.waiting).toEqual({
      kind: 'agent',
      nodeId: 'escalate',
      ticketId: 'conv_1-1',
      until: reopenedAt + 3600_000,
    });
  });

  it('only records the reply when the follow-up has no reopened edge (journeys made before it)', () => {
    const c = new Conversation(routedJourney(undefined, false));
    c.succeed({ ticketId: 'conv_1-1', status: 'pending', created: true, summary: 's' });
    c.succeed({ ...routeAnswer, agent: null, sla: null });
    c.send({ type: 'ticket_resolved', agent: sam });
    c.succeed({ sent: true });
    expect(wouldReopen(c.journey, c.state)).toBe(false);
    c.say('thanks!');
    expect(c.state.waiting?.kind).toBe('timer');
    expect(c.state.handoffs[0]?.reopened).toBeUndefined();
    expect(c.state.transcript.at(-1)).toMatchObject({ from: 'customer', text: 'thanks!' });
  });

  it('does not reopen once the conversation has left the follow-up', () => {
    const c = resolved();
    c.timeout();
    c.succeed({ surveyAllowed: false, articles: [] });
    expect(wouldReopen(c.journey, c.state)).toBe(false);
  });
});

describe('follow-ups without the new fields', () => {
  it('ask the survey right after the transcript, as before', () => {
    const c = new Conversation(routedJourney({}));
    c.succeed({ ticketId: 'conv_1-1', status: 'pending', created: true, summary: 's' });
    c.succeed({ ...routeAnswer, agent: null, sla: null });
    expect(c.state.handoffs[0]?.assignedTo).toBeNull();
    c.send({ type: 'ticket_resolved', agent: sam });
    // Nobody was assigned: no slot to free.
    expect(c.pendingCall()).toMatchObject({ activity: 'baton.sendTranscript' });
    c.succeed({ sent: true });
    expect(c.state.waiting?.kind).toBe('survey');
  });
});

describe('routing rules are checked like every rule', () => {
  it('refuses a forbidden operator, naming the node and the field', async () => {
    const { compileJourney } = await import('../src/compiler');
    const raw = journey(
      [
        n.start(),
        n.handoff('escalate', 'x', { routing: { rules: [{ when: { and: [{ log: 'x' }] }, queue: 'vip' }] } }),
        n.end('done'),
        n.end('gone', 'abandoned'),
      ],
      [edge('start', 'next', 'escalate'), edge('escalate', 'resolved', 'done'), edge('escalate', 'timeout', 'gone')],
    );
    const result = compileJourney(raw);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          nodeId: 'escalate',
          message: expect.stringContaining('unknown or forbidden rule operator "log"'),
          path: expect.stringContaining('/routing/rules/0/when/and/0/log'),
        }),
      ]),
    );
  });
});
