/**
 * `baton test` on a model-backed classify node: scripted answers name the model's intent; without
 * one the test fails saying why (the simulator has no published models).
 */
import { join } from 'node:path';
import { simulate } from '@baton/core/simulator';
import { repoRoot } from '@baton/test-support/baton-cli';
import { createCliActivities } from '../src/activities';
import { loadCompiledJourney } from '../src/io';

const { journey } = loadCompiledJourney(join(repoRoot, 'examples', 'support-triage', 'journey.json'), repoRoot);
const activities = createCliActivities(null);

test("a scripted answer names the model's intent and the node routes it", async () => {
  const result = await simulate(
    journey,
    { steps: [{ customer: 'I want my money back', ai: 'get_refund' }] },
    { activities },
  );
  expect(result.failures).toEqual([]);
  expect(result.path.map((step) => `${step.nodeId}${step.handle ? `:${step.handle}` : ''}`)).toContain(
    'triage:refunds',
  );
});

test('without a scripted answer the test fails, saying to name the intent', async () => {
  const result = await simulate(journey, { steps: [{ customer: 'I want my money back' }] }, { activities });
  expect(result.passed).toBe(false);
  expect(result.failures.flatMap((failure) => failure.problems).join('\n')).toContain(
    'the node classifies with the published triage model "support", which the simulator does not have',
  );
});
