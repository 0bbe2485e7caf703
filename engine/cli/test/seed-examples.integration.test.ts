/**
 * The one function every stack publishes the example journeys with (`baton dev`, `npm run stack:prod`,
 * the fault suite's stacks): the support model first, model-backed classify nodes pinned to its
 * version, drafts kept, and a catalog without the examples' activities said (or thrown when strict).
 */
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@baton/test-support/baton-cli';
import { startTestStack, type TestStack } from '@baton/test-support/stack';
import { seedExamples } from '../src/dev/stack';

jest.setTimeout(180_000);

const exampleIds = readdirSync(join(repoRoot, 'examples'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(repoRoot, 'examples', entry.name, 'journey.json')))
  .map((entry) => entry.name)
  .sort();

let withCatalog: TestStack;
let withoutCatalog: TestStack;
beforeAll(async () => {
  // The first runs a worker, which puts the examples' activities in the catalog; the second has none.
  [withCatalog, withoutCatalog] = await Promise.all([startTestStack(), startTestStack({ worker: false })]);
});
afterAll(async () => {
  await withCatalog?.stop();
  await withoutCatalog?.stop();
});

test('publishes the support model and every example once, with the classify node pinned to support@1', async () => {
  const lines: string[] = [];
  const seeded = await seedExamples(withCatalog.store, { author: 'seed test', log: (line) => lines.push(line) });
  expect(lines).toEqual([]);
  expect(exampleIds.length).toBeGreaterThan(3);
  expect([...seeded].sort()).toEqual(['support@1', ...exampleIds.map((id) => `${id}@1`)].sort());
  const triage = await withCatalog.store.getVersion('support-triage');
  expect(triage?.author).toBe('seed test');
  expect(triage?.compiled.nodes.triage?.data).toMatchObject({ model: { name: 'support', version: 1 } });
  expect((await withCatalog.store.triageModels.getVersion('support'))?.publishedBy).toBe('seed test');

  // A second start finds the drafts and the model: nothing more is published.
  expect(await seedExamples(withCatalog.store, { author: 'seed test' })).toEqual([]);
  // The fault suite's republish goes through the examples that have drafts too; an unchanged journey
  // answers its latest version (the store makes no new one for the same compiled journey), still pinned.
  const again = await seedExamples(withCatalog.store, { author: 'chaos', message: 'fault suite', republish: true });
  expect([...again].sort()).toEqual(exampleIds.map((id) => `${id}@1`).sort());
  expect(await withCatalog.store.getVersion('support-triage', 2)).toBeNull();
});

test('an example whose activities are not in the catalog is skipped with the reason, or throws when strict', async () => {
  const lines: string[] = [];
  const seeded = await seedExamples(withoutCatalog.store, { author: 'seed test', log: (line) => lines.push(line) });
  expect(seeded).toContain('support@1');
  expect(seeded).not.toContain('order-tracking@1');
  expect(lines).toEqual(
    expect.arrayContaining([expect.stringMatching(/^example order-tracking not published: it failed to compile \(/)]),
  );
  await expect(seedExamples(withoutCatalog.store, { author: 'seed test', strict: true })).rejects.toThrow(
    /^example \S+ \(examples\/\S+\) cannot be published: it failed to compile/,
  );
});
