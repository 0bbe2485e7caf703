/**
 * `baton triage publish` against a running API on the real stack (access control on): prints
 * name@version, says when the same file is already published, refuses a corrupt file before it
 * travels, and reports the API's 403 for a key without the designer role.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authStoreOf, issueApiKey, type AuthOptions } from '@baton/server/api/auth';
import { repoRoot } from '@baton/test-support/baton-cli';
import { startTestStack, type TestStack } from '@baton/test-support/stack';
import { pinTriageModels } from '@baton/server/api';
import { runTriagePublish, runTriageModels, seedSupportModel } from '../src/triage-publish';

jest.setTimeout(120_000);

const authOptions: AuthOptions = {
  tokenSecret: 'triage-publish-test-secret-0123456789abcdefghij',
  loginAttemptsPerWindow: 0,
  customerRequestsPerToken: 0,
};
const retrained = Buffer.from(
  JSON.stringify({
    ...(JSON.parse(readFileSync(join(repoRoot, 'workers', 'ai', 'models', 'triage-model.json'), 'utf8')) as Record<
      string,
      unknown
    >),
    metadata: { note: 'cli test' },
  }),
);

let stack: TestStack;
let designerKey: string;
let agentKey: string;
beforeAll(async () => {
  stack = await startTestStack({ auth: authOptions, worker: false });
  const users = authStoreOf(stack.store.collection('users').db);
  await users.ensureIndexes();
  designerKey = await issueApiKey(users, { name: 'ci', roles: ['designer'], createdBy: 'test' });
  agentKey = await issueApiKey(users, { name: 'inbox', roles: ['agent'], createdBy: 'test' });
});
afterAll(async () => {
  await stack?.stop();
});

test('baton triage publish sends a model file through the API and prints name@version', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-publish-'));
  writeFileSync(join(dir, 'cli.model.json'), retrained);
  writeFileSync(join(dir, 'broken.model.json'), '{"format":"baton-triage","version":2}');
  const server: Server = stack.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const saved = process.env.BATON_API_KEY;
  process.env.BATON_API_KEY = designerKey;
  const lines: string[] = [];
  const io = { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t), cwd: dir, env: {}, color: false };
  try {
    expect(await runTriagePublish('cli.model.json', { name: 'cli', api }, io)).toBe(0);
    expect(await runTriagePublish('cli.model.json', { name: 'cli', api }, io)).toBe(0);
    expect(lines).toEqual([
      'cli@1',
      'published cli.model.json (27 intents) as cli@1',
      'cli@1',
      'the same file is already published as cli@1; nothing new was stored',
    ]);
    await expect(runTriagePublish('broken.model.json', { name: 'cli', api }, io)).rejects.toThrow(
      /^broken\.model\.json: corrupt triage model file: \/.*; nothing was published$/,
    );
    lines.length = 0;
    expect(await runTriageModels({ api }, io)).toBe(0);
    expect(lines).toEqual([expect.stringMatching(/^cli@1\t27 intents\t\d{4}-/)]);
    process.env.BATON_API_KEY = agentKey;
    await expect(runTriagePublish('cli.model.json', { name: 'cli2', api }, io)).rejects.toThrow(/403/);
  } finally {
    if (saved === undefined) delete process.env.BATON_API_KEY;
    else process.env.BATON_API_KEY = saved;
    await new Promise((resolve) => server.close(resolve));
  }
});

test('baton dev publishes the built-in model as support once, and the example journey pins it', async () => {
  expect(await seedSupportModel(stack.store)).toBe('support@1');
  expect(await seedSupportModel(stack.store)).toBeUndefined();
  const example = JSON.parse(
    readFileSync(join(repoRoot, 'examples', 'support-triage', 'journey.json'), 'utf8'),
  ) as Parameters<typeof pinTriageModels>[1];
  const pinned = await pinTriageModels(stack.store, example);
  expect(pinned.diagnostics).toEqual([]);
  expect(pinned.journey.nodes.find((node) => node.id === 'triage')?.data).toMatchObject({
    model: { name: 'support', version: 1 },
  });
});
