/** The example journeys published on a fresh production-shaped stack (engine/prod/stack.ts). */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Journey } from '@baton/schemas';
import { compileJourney } from '@baton/core/compiler';
import { repoRoot } from '@baton/cli/services';
import { StoreConflictError, type Store } from '@baton/store';

/** Publishes each example journey that has no draft yet. */
export async function seedExamples(store: Store, say: (line: string) => void): Promise<string[]> {
  const examples = join(repoRoot(), 'examples');
  const activities = new Map((await store.listActivities()).map((manifest) => [manifest.name, manifest]));
  const seeded: string[] = [];
  for (const entry of readdirSync(examples, { withFileTypes: true })) {
    const file = join(examples, entry.name, 'journey.json');
    if (!entry.isDirectory() || !existsSync(file)) continue;
    const source = JSON.parse(readFileSync(file, 'utf8')) as Journey;
    if (await store.getDraft(source.id)) continue;
    const result = compileJourney(source, { activities });
    if (!result.ok) {
      const first = result.diagnostics[0];
      say(
        `example ${source.id} not published: ${first ? `${first.nodeId ?? ''} ${first.message}` : 'it does not compile'}`,
      );
      continue;
    }
    try {
      await store.createDraft(source, 'stack:prod');
    } catch (error) {
      if (!(error instanceof StoreConflictError)) throw error;
    }
    const version = await store.publishVersion({
      journeyId: source.id,
      source,
      compiled: result.journey,
      author: 'stack:prod',
      message: 'example journey',
    });
    seeded.push(`${source.id}@${version.version}`);
  }
  return seeded;
}
