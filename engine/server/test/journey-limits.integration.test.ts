/**
 * What a journey may do is bounded, on the real stack (Temporal dev server, Mongo-wire server, a worker,
 * the API). A 3 KB rule of nested maps passed validate and publish, and one start on it held its workflow
 * task past the 5 s timeout, retried without end at full CPU. Now validate and publish refuse it with a
 * diagnostic that names the node and the rule; and a compiled journey that carries it anyway (written
 * straight into the store, as a hand-made or older version would be) ends its conversation within
 * seconds, as a failure of that node with the reason, instead of a stuck workflow task.
 */
import request from 'supertest';
import type { CompiledJourney, Diagnostic } from '@baton/schemas';
import { compileJourney } from '@baton/core/compiler';
import { edge, journey, n } from '@baton/test-support/fixtures/journeys';
import { startTestStack, type TestStack } from '@baton/test-support/stack';

/**
 * Six maps, each over a list of 100 numbers: about 3 KB, and 10^12 steps if it ran. The list is a `merge`
 * of numbers rather than a literal list, as the Mongo-wire store keeps no list directly inside a list.
 */
function nestedMaps(): unknown {
  const items = { merge: Array.from({ length: 100 }, (_, index) => index % 10) };
  let rule: unknown = { '+': [{ var: '' }, 1] };
  for (let level = 0; level < 6; level += 1) rule = { map: [items, rule] };
  return rule;
}

/** start → set (x = rule) → end */
function withRule(id: string, rule: unknown) {
  return journey(
    [n.start(), n.set('calc', [{ variable: 'x', value: rule as never }]), n.end('done')],
    [edge('start', 'next', 'calc'), edge('calc', 'next', 'done')],
    { id, name: 'Runaway rule', variables: { x: {} } },
  );
}

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});
const api = () => request(stack.app);

describe('journey limits on the real stack', () => {
  const run = Date.now().toString(36);

  it('refuses the 3 KB nested-map rule at validate and at publish, with the located diagnostic', async () => {
    const id = `limits-refused-${run}`;
    const draft = withRule(id, nestedMaps());
    expect(JSON.stringify(draft.nodes[1]).length).toBeLessThan(4000);
    await api().post('/api/journeys').send(draft).expect(201);

    const validated = await api().post(`/api/journeys/${id}/validate`).send(draft).expect(200);
    expect(validated.body.ok).toBe(false);
    const costly = (validated.body.diagnostics as Diagnostic[]).find((d) => d.code === 'rule_too_costly');
    expect(costly).toMatchObject({ severity: 'error', nodeId: 'calc', path: '/nodes/1/data/assign/0/value' });

    const published = await api().post(`/api/journeys/${id}/publish`).send({ author: 'ops' }).expect(422);
    expect(JSON.stringify(published.body)).toContain('/nodes/1/data/assign/0/value');
    expect(JSON.stringify(published.body)).toContain('nested map/filter/reduce');
    expect(await stack.store.getVersion(id)).toBeNull();
  });

  it('ends a conversation on a runaway rule that reached the workflow as a node failure, within seconds', async () => {
    const id = `limits-runaway-${run}`;
    // Compiled with a harmless rule, then the runaway one put in its place: the compiler's limits bypassed.
    const source = withRule(id, 1);
    const compiled = compileJourney(source);
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
    const runaway = structuredClone(compiled.journey) as CompiledJourney;
    (runaway.nodes.calc as { data: unknown }).data = { assign: [{ variable: 'x', value: nestedMaps() }] };
    runaway.hash = 'f'.repeat(64);
    await stack.store.publishVersion({ journeyId: id, source: source as never, compiled: runaway, author: 'ops' });

    const conversationId = `limits-runaway-${run}-c1`;
    const began = Date.now();
    await api()
      .post('/api/conversations')
      .send({ journeyId: id, conversationId, customer: { id: 'cust-limits', name: 'Lin' }, channel: 'web' })
      .expect(201);
    let conversation: { status: string; outcome: string | null; nodeId: string; transcript: { text: string }[] };
    for (;;) {
      conversation = (await api().get(`/api/conversations/${conversationId}`).expect(200)).body.conversation;
      if (conversation.status === 'ended' || Date.now() - began > 20_000) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(Date.now() - began).toBeLessThan(10_000);
    expect(conversation).toMatchObject({ status: 'ended', outcome: 'abandoned', nodeId: 'calc' });
    expect(conversation.transcript.map((entry) => entry.text)).toContain(
      'The conversation stopped: node "calc" failed: the rule ran past 100000 operations',
    );
  }, 60_000);
});
