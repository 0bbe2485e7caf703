/**
 * `baton triage train --with-corrections` against a running API on the real stack: the agents'
 * corrections stored by the inbox (`intent_corrections`) join the training rows when their label is
 * one of the data's, the others are counted as skipped, and the trained model learns them.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTriageModel, triage } from '@baton/ai/triage';
import { authStoreOf, issueApiKey, type AuthOptions } from '@baton/server/api/auth';
import { startTestStack, type TestStack } from '@baton/test-support/stack';
import { runTriageTrain } from '../src/triage-train';

jest.setTimeout(180_000);

const authOptions: AuthOptions = {
  tokenSecret: 'triage-corrections-test-secret-0123456789abcdef',
  loginAttemptsPerWindow: 0,
  customerRequestsPerToken: 0,
};

let stack: TestStack;
let designerKey: string;
beforeAll(async () => {
  stack = await startTestStack({ auth: authOptions, worker: false });
  const users = authStoreOf(stack.store.collection('users').db);
  await users.ensureIndexes();
  designerKey = await issueApiKey(users, { name: 'ci', roles: ['designer'], createdBy: 'test' });
});
afterAll(async () => {
  await stack?.stop();
});

/** Two intents a model tells apart from their words alone. */
function trainingCsv(): string {
  const rows = ['text,intent'];
  for (const item of ['parcel', 'package', 'order', 'delivery', 'shipment', 'box'])
    for (const verb of ['where is my', 'track my', 'has my', 'status of my', 'I am waiting for my'])
      rows.push(`${verb} ${item},track_order`);
  for (const item of ['money', 'refund', 'payment', 'charge', 'cash', 'funds'])
    for (const verb of ['give me back my', 'I want my', 'return my', 'when do I get my', 'please send back my'])
      rows.push(`${verb} ${item},get_refund`);
  return `${rows.join('\n')}\n`;
}

test('the corrections labelled with the data intents are learned, the others skipped', async () => {
  const corrected = 'the courier left a note about my money';
  await stack.store.collection('intent_corrections').insertMany(
    [0, 1, 2, 3, 4, 5].map((n) => ({
      text: n === 0 ? corrected : `${corrected} ${['yesterday', 'today', 'again', 'twice', 'late'][n - 1]}`,
      intent: 'track_order',
      journeyId: 'shop',
      at: new Date(Date.now() - 1000 * (10 - n)),
    })),
  );
  await stack.store
    .collection('intent_corrections')
    .insertOne({ text: 'yes please', intent: 'confirm', journeyId: 'shop', at: new Date() });

  const dir = mkdtempSync(join(tmpdir(), 'baton-corrections-'));
  writeFileSync(join(dir, 'data.csv'), trainingCsv());
  const server: Server = stack.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const saved = process.env.BATON_API_KEY;
  process.env.BATON_API_KEY = designerKey;
  const errors: string[] = [];
  const io = { out: () => undefined, err: (t: string) => errors.push(t), cwd: dir, env: {}, color: false };
  try {
    await expect(runTriageTrain(['data.csv'], { out: 'x.json', journey: 'shop' }, io)).rejects.toThrow(
      '--journey needs --with-corrections',
    );
    expect(
      await runTriageTrain(['data.csv'], { out: 'model.json', withCorrections: true, journey: 'shop', api }, io),
    ).toBe(0);
    expect(errors).toContain("6 agents' corrections added; 1 skipped (labelled with an intent the data does not have)");
    const model = parseTriageModel(readFileSync(join(dir, 'model.json')));
    expect(triage(corrected, model).intent).toBe('track_order');

    // Another journey's corrections are not read.
    errors.length = 0;
    expect(
      await runTriageTrain(['data.csv'], { out: 'other.json', withCorrections: true, journey: 'other', api }, io),
    ).toBe(0);
    expect(errors).toContain("0 agents' corrections added");
    // Without them the model does not know the corrected message.
    expect(triage(corrected, parseTriageModel(readFileSync(join(dir, 'other.json')))).intent).not.toBe('track_order');
  } finally {
    if (saved === undefined) delete process.env.BATON_API_KEY;
    else process.env.BATON_API_KEY = saved;
    await new Promise((resolve) => server.close(resolve));
  }
});
