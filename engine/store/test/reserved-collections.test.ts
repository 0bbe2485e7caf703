/** Custom activities may not write Baton's own collections, the read models and the retention setting included. */
import { readModelCollections } from '../src/read-model-shapes';
import { reservedCollectionProblem, retentionSettingsCollection } from '../src';

test.each([...Object.values(readModelCollections), retentionSettingsCollection, 'conversations', 'audit'])(
  'a custom activity is refused %s',
  (name) => {
    expect(reservedCollectionProblem(name)).toMatch(/belongs to Baton/);
  },
);

test("a custom activity's own collection is allowed", () => {
  expect(reservedCollectionProblem('orders_cache')).toBeUndefined();
});
