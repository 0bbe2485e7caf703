/**
 * A classify node's clarifying question with the real `baton.classify` activity (embedded provider,
 * the real test MongoDB for corrections) behind the interpreter: an ambiguous message makes the node
 * ask which of its two best intents was meant, and the customer's choice (or a reply naming neither)
 * decides the handle.
 */
import type { JsonValue } from '@baton/schemas';
import { EmbeddedAiProvider } from '@baton/ai';
import { compileJourney } from '@baton/core/compiler';
import { simulate, type ActivityRunner } from '@baton/core/simulator';
import { connectStore, type Store } from '@baton/store';
import { edge, journey, n, node } from '@baton/test-support/fixtures/journeys';
import { requireServers, uniqueDbName } from '@baton/test-support/servers';
import { createClassifyActivity } from '../src/activities/classify';
import { createActivityRegistry } from '../src/registry';

jest.setTimeout(60_000);

let store: Store;
let activities: ActivityRunner;

beforeAll(async () => {
  const servers = requireServers();
  store = await connectStore(servers.mongoUri, uniqueDbName('baton_test_clarify'));
  const registry = createActivityRegistry([createClassifyActivity({ correctionsCacheMs: 0 })], {
    store,
    provider: new EmbeddedAiProvider(),
    logger: { debug() {}, info() {}, warn() {}, error() {} },
  });
  const classify = registry.activities['baton.classify'] as (input: unknown) => Promise<unknown>;
  activities = async (name, input) => {
    if (name !== 'baton.classify') throw new Error(`unexpected activity ${name}`);
    return (await classify(input)) as JsonValue;
  };
});

afterAll(async () => {
  if (store) {
    await store.collection('journeys').db.dropDatabase();
    await store.close();
  }
});

const handles = ['refund', 'cancel', 'invoice', 'fallback'];
const compiled = compileJourney(
  journey(
    [
      n.start(),
      n.ask('ask_need', 'need', 'How can I help?'),
      node('triage', 'classify', {
        intents: [
          {
            name: 'refund',
            title: 'A refund',
            examples: ['where is my refund', 'I want my money back', 'refund not received yet'],
          },
          { name: 'cancel', examples: ['cancel my order', 'I do not want the order anymore', 'stop my purchase'] },
          { name: 'invoice', examples: ['send me the invoice', 'I need a bill for my order', 'download my receipt'] },
        ],
        clarify: { enabled: true },
      }),
      ...handles.map((handle) => n.end(`to-${handle}`, 'resolved_by_bot', `left by ${handle}`)),
    ],
    [
      edge('start', 'next', 'ask_need'),
      edge('ask_need', 'reply', 'triage'),
      edge('ask_need', 'timeout', 'to-fallback'),
      ...handles.map((handle) => edge('triage', handle, `to-${handle}`)),
    ],
    { variables: { need: { type: 'string' } } },
  ),
);
if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
const customer = { id: 'c1', name: 'Ann', email: 'ann@example.com' };
const ambiguous = 'cancel my order and give me my money back';

test('an ambiguous message: the bot asks with quick replies, the customer picks the second', async () => {
  const result = await simulate(
    compiled.journey,
    { customer, steps: [{ customer: ambiguous }, { customer: 'the second one' }] },
    { activities },
  );
  const asked = result.state?.transcript.find((entry) => entry.quickReplies !== undefined);
  expect(asked).toMatchObject({ text: 'Did you mean Cancel or A refund?', quickReplies: ['Cancel', 'A refund'] });
  expect(result.path.find((step) => step.nodeId === 'triage')).toMatchObject({ handle: 'refund' });
  expect(result.state?.intent?.name).toBe('refund');
});

test('a reply naming neither choice leaves by fallback; a clear message is not asked about', async () => {
  const neither = await simulate(
    compiled.journey,
    { customer, steps: [{ customer: ambiguous }, { customer: 'I just want to talk to someone' }] },
    { activities },
  );
  expect(neither.path.find((step) => step.nodeId === 'triage')).toMatchObject({ handle: 'fallback' });
  const clear = await simulate(
    compiled.journey,
    { customer, steps: [{ customer: 'please send me the invoice' }] },
    {
      activities,
    },
  );
  expect(clear.state?.transcript.some((entry) => entry.quickReplies !== undefined)).toBe(false);
  expect(clear.path.find((step) => step.nodeId === 'triage')).toMatchObject({ handle: 'invoice' });
});

test('a reply naming neither choice but meaning one is classified between the two by the real activity', async () => {
  for (const reply of ['the one about getting my money back', 'the money I paid has not come back to me yet']) {
    const result = await simulate(
      compiled.journey,
      { customer, steps: [{ customer: ambiguous }, { customer: reply }] },
      { activities },
    );
    const classifications = result.activityCalls.filter((call) => call.name === 'baton.classify');
    expect(classifications).toHaveLength(2);
    // The second call offers only the two intents the question named.
    const offered = (classifications[1]?.input as { intents: { name: string }[] }).intents.map((intent) => intent.name);
    expect(offered.sort()).toEqual(['cancel', 'refund']);
    expect({ reply, handle: result.path.find((step) => step.nodeId === 'triage')?.handle }).toEqual({
      reply,
      handle: 'refund',
    });
    expect(result.state?.intent?.name).toBe('refund');
  }
});
