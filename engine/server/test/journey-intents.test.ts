/** The intents an agent may correct a classify node's answer to: declared intents, or a model-backed node's routed model intents. */
import { compileOk, edge, journey, n, node } from '@baton/test-support/fixtures/journeys';
import { journeyIntents } from '../src/api/routes/tickets';

test('lists the example-phrase intents, and the model intents a model-backed node routes', () => {
  const compiled = compileOk(
    journey(
      [
        n.start(),
        n.classify('phrases', ['billing', 'shipping']),
        node('model', 'classify', {
          label: 'Banking model',
          model: { name: 'banking', version: 2 },
          routes: [
            { handle: 'cards', intents: ['card_arrival', 'lost_or_stolen_card'] },
            { handle: 'refunds', intents: ['request_refund'] },
          ],
        }),
        n.end('done'),
      ],
      [
        edge('start', 'next', 'phrases'),
        edge('phrases', 'fallback', 'model'),
        edge('phrases', 'billing', 'done'),
        edge('phrases', 'shipping', 'done'),
        edge('model', 'fallback', 'done'),
        edge('model', 'cards', 'done'),
        edge('model', 'refunds', 'done'),
        edge('model', 'other', 'done'),
      ],
    ),
  );
  expect(journeyIntents(compiled)).toEqual([
    { nodeId: 'phrases', label: 'phrases', intents: ['billing', 'shipping'] },
    { nodeId: 'model', label: 'Banking model', intents: ['card_arrival', 'lost_or_stolen_card', 'request_refund'] },
  ]);
});
