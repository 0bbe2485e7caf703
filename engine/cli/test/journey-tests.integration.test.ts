import { runBaton } from '@baton/test-support/baton-cli';

/** The journey tests of examples/ (scripted conversations in *.test.json) run in CI through the real CLI. */
test('npx baton test examples passes', async () => {
  const run = await runBaton(['test', 'examples']);
  if (run.code !== 0) throw new Error(`baton test examples failed (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  expect(run.stdout).toMatch(/✓ \d+ passed, \d+ tests in \d+ files/);
  expect(run.stdout).not.toContain('✗');
});
