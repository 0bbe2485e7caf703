/**
 * A start the server refuses for Baton's search attributes (listed, yet refused: a frontend's stale
 * cache, one removed since) is sent again without them, and later starts leave them out. A fake
 * Temporal client records what was sent.
 */
import type { Client } from '@temporalio/client';
import type { CompiledJourney } from '@baton/schemas';
import { Conversations } from '../src/client';

const allFive = { BatonJourneyId: 2, BatonJourneyVersion: 3, BatonCustomerId: 2, BatonTicketId: 2, BatonStatus: 2 };

function fakeClient(refuse: boolean, customAttributes: Record<string, number> = allFive) {
  const sent: unknown[] = [];
  const answer = { status: 'waiting' };
  const client = {
    options: { namespace: 'default' },
    connection: {
      operatorService: {
        listSearchAttributes: async () => ({
          customAttributes,
          systemAttributes: {},
        }),
      },
    },
    workflow: {
      executeUpdateWithStart: async (
        _update: unknown,
        { startWorkflowOperation }: { startWorkflowOperation: { options: Record<string, unknown> } },
      ) => {
        const attributes = startWorkflowOperation.options.typedSearchAttributes;
        sent.push(attributes);
        if (attributes && refuse)
          throw new Error('Namespace default has no mapping defined for search attribute BatonJourneyId');
        return answer;
      },
    },
  } as unknown as Client;
  return { client, sent, answer };
}

const journey = { id: 'refunds', version: 4 } as unknown as CompiledJourney;
const input = (conversationId: string) => ({
  conversationId,
  journey,
  customer: { id: 'cus_1' },
  variables: {},
  channel: 'web',
});

it('starts with the journey, its version, the customer and BatonStatus "bot" when the namespace has them', async () => {
  const { client, sent, answer } = fakeClient(false);
  await expect(new Conversations(client).start(input('c1'))).resolves.toBe(answer);
  expect(sent).toEqual([
    [
      { key: { name: 'BatonJourneyId', type: 'KEYWORD' }, value: 'refunds' },
      { key: { name: 'BatonJourneyVersion', type: 'INT' }, value: 4 },
      { key: { name: 'BatonCustomerId', type: 'KEYWORD' }, value: 'cus_1' },
      { key: { name: 'BatonStatus', type: 'KEYWORD' }, value: 'bot' },
    ],
  ]);
});

it('leaves BatonStatus out (so the workflow sets no ticket attributes) where the namespace lacks the ticket’s two', async () => {
  const { client, sent } = fakeClient(false, { BatonJourneyId: 2, BatonJourneyVersion: 3, BatonCustomerId: 2 });
  const warnings: string[] = [];
  await new Conversations(client, 'baton', (message) => warnings.push(message)).start(input('c1'));
  expect(sent).toEqual([
    [
      { key: { name: 'BatonJourneyId', type: 'KEYWORD' }, value: 'refunds' },
      { key: { name: 'BatonJourneyVersion', type: 'INT' }, value: 4 },
      { key: { name: 'BatonCustomerId', type: 'KEYWORD' }, value: 'cus_1' },
    ],
  ]);
  expect(warnings).toEqual([expect.stringContaining('lacks the search attributes BatonTicketId, BatonStatus')]);
});

it('starts again without them when the server refuses them, warns, and leaves them out next time', async () => {
  const { client, sent, answer } = fakeClient(true);
  const warnings: string[] = [];
  const conversations = new Conversations(client, 'baton', (message) => warnings.push(message));
  await expect(conversations.start(input('c1'))).resolves.toBe(answer);
  await expect(conversations.start(input('c2'))).resolves.toBe(answer);
  expect(sent.map((attributes) => attributes !== undefined)).toEqual([true, false, false]);
  expect(warnings).toEqual([expect.stringContaining("Temporal refused Baton's search attributes")]);
});
