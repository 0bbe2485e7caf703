/**
 * baton.classify with a published triage model: the worker keeps parsed models by name@version in a
 * bounded LRU (read from the store once each), answers the model's own intent, and fails without
 * retry when the model is missing or unreadable (the node then takes its fallback).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '@baton/store';
import { classifyWithModel, triageModelCache } from '../src/activities/triage-models';

const builtIn = new Uint8Array(readFileSync(join(__dirname, '..', '..', 'ai', 'models', 'triage-model.json')));

/** The two store methods the activity reads, over files kept in memory; counts the reads. */
function storeWith(files: Record<string, Uint8Array>) {
  const reads: string[] = [];
  const triageModels = {
    async latestVersion(name: string) {
      const versions = Object.keys(files)
        .filter((key) => key.startsWith(`${name}@`))
        .map((key) => Number(key.split('@')[1]));
      return versions.length ? Math.max(...versions) : null;
    },
    async readFile(name: string, version: number) {
      reads.push(`${name}@${version}`);
      const file = files[`${name}@${version}`];
      return file ? { version: { name, version }, file } : null;
    },
  };
  return { store: { triageModels } as unknown as Store, reads };
}

test("answers the model's own intent, reading each name@version from the store once", async () => {
  const { store, reads } = storeWith({ 'support@1': builtIn, 'support@2': builtIn });
  const cache = triageModelCache(8);
  const answer = await classifyWithModel(cache, store, { name: 'support', version: 1 }, 'where is my order?');
  expect(answer).toMatchObject({ intent: 'track_order', outOfScope: false, sentiment: { label: expect.any(String) } });
  expect(answer.reasons[0]).toMatch(/^support@1: track_order \(\d\.\d\d\)$/);
  await classifyWithModel(cache, store, { name: 'support', version: 1 }, 'cancel my order');
  // Without a version: the newest.
  const newest = await classifyWithModel(cache, store, { name: 'support' }, 'where is my order?');
  expect(newest.reasons[0]).toMatch(/^support@2:/);
  expect(reads).toEqual(['support@1', 'support@2']);
});

test('keeps at most its capacity, dropping the least recently used', async () => {
  const { store, reads } = storeWith({ 'a@1': builtIn, 'b@1': builtIn, 'c@1': builtIn });
  const cache = triageModelCache(2);
  for (const name of ['a', 'b', 'a', 'c', 'a', 'b'])
    await classifyWithModel(cache, store, { name, version: 1 }, 'track my order');
  // a stays (used last before c came), b was dropped for c and read again.
  expect(reads).toEqual(['a@1', 'b@1', 'c@1', 'b@1']);
  expect(cache.size).toBe(2);
});

test('a missing or unreadable model fails without retry, saying which', async () => {
  const { store } = storeWith({ 'broken@1': new TextEncoder().encode('{"format":"baton-triage","version":2}') });
  const cache = triageModelCache(8);
  await expect(classifyWithModel(cache, store, { name: 'nothing' }, 'hi')).rejects.toMatchObject({
    nonRetryable: true,
    message: 'no triage model "nothing" is published (baton triage publish MODEL --name nothing)',
  });
  await expect(classifyWithModel(cache, store, { name: 'nothing', version: 4 }, 'hi')).rejects.toMatchObject({
    nonRetryable: true,
    message: 'triage model nothing@4 is not published',
  });
  await expect(classifyWithModel(cache, store, { name: 'broken', version: 1 }, 'hi')).rejects.toMatchObject({
    nonRetryable: true,
    message: expect.stringMatching(/^triage model broken@1 cannot be read: corrupt triage model file: \//),
  });
});
