/**
 * Routing against the real servers: queues and agents in MongoDB (FerretDB), the atomic
 * assignment (least-loaded, round-robin, skills, capacity), the admin routes, and a conversation
 * on Temporal whose handoff is assigned, told it is out of hours, resolved (freeing the agent's
 * slot) and reopened by the customer's reply.
 */
import request from 'supertest';
import type { CompiledJourney } from '@baton/schemas';
import { RoutingStore } from '@baton/store';
import { startTestStack, type TestStack } from '@baton/test-support/stack';
import { compileOk, edge, journey, n } from '@baton/test-support/fixtures/journeys';

let stack: TestStack;
let routing: RoutingStore;

beforeAll(async () => {
  stack = await startTestStack();
  routing = new RoutingStore(stack.store);
  await routing.ensureIndexes();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('assignment in the store', () => {
  let tickets = 0;
  const assign = (queue: string, skills: string[] = [], policy: 'least_loaded' | 'round_robin' = 'least_loaded') =>
    routing.assignAgent({ ticketId: `t${(tickets += 1)}`, queue, skills, policy, at: 1000 + tickets });

  beforeEach(async () => {
    await stack.store.collection('agents').deleteMany({});
    await stack.store.collection('agent_slots').deleteMany({});
  });

  it('least-loaded: takes the agent holding the fewest tickets, with every required skill, available, with room', async () => {
    await routing.putAgent({
      id: 'ann',
      name: 'Ann',
      skills: ['billing', 'fr'],
      queues: ['billing'],
      available: true,
      capacity: 2,
    });
    await routing.putAgent({
      id: 'bob',
      name: 'Bob',
      skills: ['billing'],
      queues: ['billing'],
      available: true,
      capacity: 2,
    });
    await routing.putAgent({
      id: 'cat',
      name: 'Cat',
      skills: ['billing', 'fr'],
      queues: ['billing'],
      available: false,
      capacity: 9,
    });
    await routing.putAgent({
      id: 'dan',
      name: 'Dan',
      skills: ['billing', 'fr'],
      queues: ['tech'],
      available: true,
      capacity: 9,
    });
    const first = await routing.assignAgent({
      ticketId: 'fr-1',
      queue: 'billing',
      skills: ['fr'],
      policy: 'least_loaded',
      at: 1,
    });
    expect(first?.id).toBe('ann');
    // A retry for the same ticket answers the same agent and takes no second slot.
    expect(
      (await routing.assignAgent({ ticketId: 'fr-1', queue: 'billing', skills: ['fr'], policy: 'least_loaded', at: 2 }))
        ?.id,
    ).toBe('ann');
    expect(await routing.getAgent('ann')).toMatchObject({ load: 1 });
    expect((await assign('billing', ['fr']))?.id).toBe('ann');
    // Ann is full (capacity 2); Cat is away, Dan works another queue, Bob lacks French.
    expect(await assign('billing', ['fr'])).toBeNull();
    expect((await assign('billing'))?.id).toBe('bob');
    expect(await routing.getAgent('ann')).toMatchObject({ load: 2 });
    expect(await routing.releaseTicket('fr-1', 3)).toBe(true);
    expect(await routing.releaseTicket('fr-1', 4)).toBe(false);
    expect(await routing.getAgent('ann')).toMatchObject({ load: 1 });
    expect((await assign('billing', ['fr']))?.id).toBe('ann');
  });

  it('least-loaded spreads tickets; round-robin takes turns by last assignment', async () => {
    for (const id of ['a1', 'a2', 'a3'])
      await routing.putAgent({ id, name: id, skills: [], queues: ['q'], available: true, capacity: 10 });
    const least: string[] = [];
    for (let i = 0; i < 6; i += 1) least.push((await assign('q'))?.id as string);
    expect(least.sort()).toEqual(['a1', 'a1', 'a2', 'a2', 'a3', 'a3']);
    // Round-robin ignores load: the agent assigned longest ago goes next.
    const turns: string[] = [];
    for (let i = 0; i < 4; i += 1) turns.push((await assign('q', [], 'round_robin'))?.id as string);
    expect(turns).toEqual(['a1', 'a2', 'a3', 'a1']);
  });

  it('never gives more tickets than the capacity under concurrent assignments (unique slot ids)', async () => {
    await routing.putAgent({ id: 'x', name: 'X', skills: [], queues: ['rush'], available: true, capacity: 3 });
    await routing.putAgent({ id: 'y', name: 'Y', skills: [], queues: ['rush'], available: true, capacity: 2 });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        routing.assignAgent({ ticketId: `rush-${i}`, queue: 'rush', skills: [], policy: 'least_loaded', at: i }),
      ),
    );
    const taken = results.filter((agent) => agent !== null).map((agent) => agent?.id);
    expect(taken).toHaveLength(5);
    expect(taken.filter((id) => id === 'x')).toHaveLength(3);
    expect(await routing.getAgent('x')).toMatchObject({ load: 3, capacity: 3 });
    expect(await routing.getAgent('y')).toMatchObject({ load: 2 });
  });

  it('keeps the tickets held when an agent is edited, and the new capacity limits from then on', async () => {
    await routing.putAgent({ id: 'z', name: 'Z', skills: [], queues: ['q2'], available: true, capacity: 3 });
    await assign('q2');
    await routing.putAgent({ id: 'z', name: 'Zed', skills: [], queues: ['q2'], available: true, capacity: 1 });
    expect(await routing.getAgent('z')).toMatchObject({ name: 'Zed', load: 1, capacity: 1 });
    expect(await assign('q2')).toBeNull();
  });
});

describe('admin routes', () => {
  it('PUT and GET queues and agents', async () => {
    const queue = {
      name: 'Billing',
      assignment: 'round_robin',
      hours: { timeZone: 'Europe/Paris', windows: [{ day: 1, from: '09:00', to: '17:00' }] },
      sla: { firstResponseMinutes: { high: 15 }, overflowQueue: 'tier2' },
    };
    const put = await request(stack.app).put('/api/queues/billing').send(queue).expect(200);
    expect(put.body).toMatchObject({
      id: 'billing',
      assignment: 'round_robin',
      hours: { holidays: [] },
      sla: { warnAt: 0.8, raisePriority: true },
    });
    expect((await request(stack.app).get('/api/queues/billing').expect(200)).body).toEqual(put.body);
    expect(
      (await request(stack.app).get('/api/queues').expect(200)).body.queues.map((q: { id: string }) => q.id),
    ).toContain('billing');
    await request(stack.app)
      .put('/api/agents/sam')
      .send({ name: 'Sam', skills: ['billing'], queues: ['billing'], capacity: 4 })
      .expect(200);
    expect((await request(stack.app).get('/api/agents/sam').expect(200)).body).toMatchObject({
      id: 'sam',
      available: true,
      capacity: 4,
      load: 0,
    });
    expect(
      (await request(stack.app).get('/api/agents?queue=billing').expect(200)).body.agents.map(
        (a: { id: string }) => a.id,
      ),
    ).toEqual(['sam']);
  });

  it('answers problem+json naming the field', async () => {
    const bad = await request(stack.app)
      .put('/api/queues/billing')
      .send({ name: 'Billing', hours: { timeZone: 'Nowhere/Land', windows: [] } })
      .expect(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(bad.body)).toContain('timeZone');
    const agent = await request(stack.app).put('/api/agents/kim').send({ name: 'Kim', capacity: -1 }).expect(400);
    expect(JSON.stringify(agent.body)).toContain('capacity');
    await request(stack.app).get('/api/agents/nobody').expect(404);
  });
});

describe('a routed conversation on Temporal', () => {
  function routedJourney(): CompiledJourney {
    return compileOk(
      journey(
        [
          n.start(),
          n.handoff('escalate', 'Billing question', {
            queue: 'general',
            timeoutSeconds: 3600,
            routing: {
              skills: ['billing'],
              rules: [{ when: { '==': [{ var: 'customer.tier' }, 'gold'] }, queue: 'closed-desk', priority: 'high' }],
            },
          }),
          n.followup('survey', { surveyDelaySeconds: 3600, responseTimeoutSeconds: 86400 }),
          n.end('done', 'resolved_by_agent'),
          n.end('gone', 'abandoned'),
        ],
        [
          edge('start', 'next', 'escalate'),
          edge('escalate', 'resolved', 'survey'),
          edge('escalate', 'timeout', 'gone'),
          edge('survey', 'answered', 'done'),
          edge('survey', 'timeout', 'done'),
          edge('survey', 'reopened', 'escalate'),
        ],
      ),
    );
  }

  it('assigns, tells the out-of-hours customer when to expect an answer, frees the slot on resolution, and reopens on a reply', async () => {
    const today = new Date().getUTCDay();
    // Open only on a day three days from today: closed now, whatever the time.
    await routing.putQueue({
      id: 'closed-desk',
      name: 'Desk',
      assignment: 'least_loaded',
      hours: { timeZone: 'UTC', windows: [{ day: (today + 3) % 7, from: '09:00', to: '10:00' }], holidays: [] },
      outOfHoursMessage: "Our team is back {{next}}; we'll reply then.",
    });
    await routing.putAgent({
      id: 'lee',
      name: 'Lee',
      skills: ['billing', 'de'],
      queues: ['closed-desk'],
      available: true,
      capacity: 3,
    });
    const conversationId = `routed-${Date.now()}`;
    const opened = await stack.conversations.start({
      conversationId,
      journey: routedJourney(),
      customer: { id: 'cus_r', name: 'Rae', email: 'rae@example.com', tier: 'gold' },
      variables: {},
      channel: 'test',
    });
    expect(opened.waiting).toMatchObject({ kind: 'agent', nodeId: 'escalate' });
    const handoff = opened.handoffs[0];
    expect(handoff).toMatchObject({ queue: 'closed-desk', priority: 'high', assignedTo: { id: 'lee', name: 'Lee' } });
    const outOfHours = opened.transcript.find((entry) => entry.text.startsWith('Our team is back'));
    expect(outOfHours?.text).toMatch(
      /^Our team is back (\w+day|on \d{4}-\d{2}-\d{2}) at 09:00 \(UTC\); we'll reply then\.$/,
    );

    const ticketId = handoff?.ticketId as string;
    const ticket = await routing.getTicketRouting(ticketId);
    expect(ticket).toMatchObject({ queue: 'closed-desk', priority: 'high', assignedTo: { id: 'lee', name: 'Lee' } });
    expect(await routing.getAgent('lee')).toMatchObject({ load: 1 });

    const lee = { id: 'lee', name: 'Lee' };
    await request(stack.app).post(`/api/tickets/${ticketId}/claim`).send({ agent: lee }).expect(200);
    await request(stack.app)
      .post(`/api/tickets/${ticketId}/messages`)
      .send({ agent: lee, clientMessageId: 'a1', text: 'Fixed your invoice.' })
      .expect(201);
    await request(stack.app).post(`/api/tickets/${ticketId}/resolve`).send({ agent: lee }).expect(200);
    expect(await routing.getAgent('lee')).toMatchObject({ load: 0 });
    const resolved = await stack.conversations.get(conversationId);
    expect(resolved.waiting).toMatchObject({ kind: 'timer', nodeId: 'survey' });

    // The customer writes during the follow-up: the ticket opens again, same agent, counted.
    const reply = await request(stack.app)
      .post(`/api/conversations/${conversationId}/messages`)
      .send({ clientMessageId: 'c-late', text: 'The invoice is still wrong' })
      .expect(201);
    expect(reply.body.conversation.waiting).toMatchObject({ kind: 'agent', nodeId: 'escalate' });
    const reopened = await stack.store.getTicket(ticketId);
    expect(reopened).toMatchObject({ status: 'open', assignee: lee, resolvedAt: null });
    expect(await routing.getTicketRouting(ticketId)).toMatchObject({ reopened: 1 });
    expect((await routing.getTicketRouting(ticketId))?.routingEvents?.map((e) => e.type)).toEqual([
      'assigned',
      'released',
      'reopened',
    ]);
    expect(await routing.getAgent('lee')).toMatchObject({ load: 1 });
    const view = await stack.conversations.get(conversationId);
    expect(view.handoffs[0]).toMatchObject({ reopened: 1, claimedBy: lee });
    expect(view.handoffs[0]?.events?.map((e) => e.type)).toEqual(['out_of_hours', 'assigned', 'released', 'reopened']);

    // Resolved again by the same agent, without a new claim.
    await request(stack.app).post(`/api/tickets/${ticketId}/resolve`).send({ agent: lee }).expect(200);
    expect(await routing.getAgent('lee')).toMatchObject({ load: 0 });
  }, 60_000);
});
