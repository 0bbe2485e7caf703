/**
 * `baton export conversations` against the real API (Mongo-wire server, read model written by the
 * store's projection): 450 conversations in range (more than two of the store's pages) and two out of
 * it exported to a file, then one journey to stdout; the progress line carries no escape codes when
 * stderr is not a terminal; bad dates and ranges exit 2, an unreachable API exits 1.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConversationSnapshot } from '@baton/store';
import { startTestStack, type TestStack } from '@baton/test-support/stack';
import { runExportConversations } from '../src/export';
import type { Io } from '../src/io';
import { main } from '../src/main';

jest.setTimeout(120_000);

let stack: TestStack;
let server: Server;
let api: string;
const day = Date.parse('2026-03-10T12:00:00Z');

function conversation(conversationId: string, journeyId: string, startedAt: number): ConversationSnapshot {
  return {
    conversationId,
    channel: 'web',
    journey: { id: journeyId, version: 1, hash: 'h' },
    status: 'ended',
    nodeId: null,
    waiting: null,
    vars: {},
    customer: { id: `c-${conversationId}` },
    intent: { name: 'refund', confidence: 0.9 },
    sentiment: { score: 0, label: 'neutral', history: [0] },
    counters: { turns: 1, failures: 0, lowConfidence: 0, visits: {} },
    lastMessage: 'where is my refund',
    transcript: [
      { seq: 1, from: 'customer', text: 'where is my refund', at: startedAt + 1000 },
      { seq: 2, from: 'bot', text: 'It is on its way.', at: startedAt + 2000, nodeId: 'answer' },
    ],
    path: [{ nodeId: 'start', type: 'start', at: startedAt, handle: 'next' }],
    handoffs: [],
    survey: { at: startedAt + 3000, csat: 4 },
    outcome: 'resolved_by_bot',
    startedAt,
    endedAt: startedAt + 3000,
  } as unknown as ConversationSnapshot;
}

beforeAll(async () => {
  stack = await startTestStack({ worker: false });
  const writes: Array<() => Promise<unknown>> = [];
  for (let i = 0; i < 450; i++)
    writes.push(() =>
      stack.store.saveConversation(
        conversation(`x-${String(i).padStart(3, '0')}`, i % 3 === 0 ? 'billing' : 'refunds', day + i * 1000),
      ),
    );
  writes.push(() => stack.store.saveConversation(conversation('x-before', 'refunds', day - 2 * 86_400_000)));
  writes.push(() => stack.store.saveConversation(conversation('x-after', 'refunds', day + 2 * 86_400_000)));
  for (let i = 0; i < writes.length; i += 25) await Promise.all(writes.slice(i, i + 25).map((write) => write()));
  server = stack.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await stack?.stop();
});

function captured(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t), cwd, env: {}, color: false };
  return { io, out, err };
}

async function baton(args: string[], cwd: string, apiUrl = api) {
  const { io, out, err } = captured(cwd);
  const code = await main(['node', 'baton', ...args, '--api', apiUrl], io);
  return { code, out, err: err.join('\n') };
}

test('a range to a file, then one journey to stdout', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-export-'));
  const all = await baton(
    ['export', 'conversations', '--from', '2026-03-10', '--to', '2026-03-11', '--out', 'all.jsonl'],
    dir,
  );
  expect(all.code).toBe(0);
  expect(all.out).toEqual([]);
  expect(all.err).toMatch(/^450 conversations exported \(\d+\/s\) to all\.jsonl$/);
  expect(all.err).not.toContain('\u001b');
  expect(existsSync(join(dir, 'all.jsonl.partial'))).toBe(false);
  const lines = readFileSync(join(dir, 'all.jsonl'), 'utf8').trimEnd().split('\n');
  const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  const ids = parsed.map((line) => line.conversationId as string);
  expect(new Set(ids).size).toBe(450);
  expect(ids).not.toContain('x-before');
  expect(ids).not.toContain('x-after');
  // The store's order is its own (the writes above run 25 at a time): the first conversation by id.
  expect(parsed.find((line) => line.conversationId === 'x-000')).toMatchObject({
    outcome: 'resolved_by_bot',
    survey: { csat: 4 },
    startedAtIso: '2026-03-10T12:00:00.000Z',
    transcript: [{ from: 'customer', text: 'where is my refund' }, { from: 'bot' }],
  });

  const billing = await baton(
    [
      'export',
      'conversations',
      '--from',
      '2026-03-10T00:00:00Z',
      '--to',
      '2026-03-11T00:00:00+00:00',
      '--journey',
      'billing',
    ],
    dir,
  );
  expect(billing.code).toBe(0);
  expect(billing.out).toHaveLength(150);
  expect(billing.out.every((line) => (JSON.parse(line) as { journeyId: string }).journeyId === 'billing')).toBe(true);
  expect(billing.err).toMatch(/^150 conversations exported \(\d+\/s\) to stdout$/);
});

test('on a terminal the progress line is redrawn in place; elsewhere it is plain text', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-export-'));
  const drawn: string[] = [];
  const { io, err } = captured(dir);
  const code = await runExportConversations({ from: '2026-03-10', to: '2026-03-11', out: 'x.jsonl', api }, io, {
    isTTY: true,
    write: (text) => drawn.push(text),
  });
  expect(code).toBe(0);
  expect(drawn.at(-1)).toBe('\r\u001b[K');
  expect(err).toEqual([expect.stringMatching(/^450 conversations exported/)]);
});

test('bad input exits 2 with the option named; an unreachable API exits 1', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-export-'));
  const badDate = await baton(['export', 'conversations', '--from', '2026-02-30', '--to', '2026-03-01'], dir);
  expect(badDate).toMatchObject({ code: 2, out: [] });
  expect(badDate.err).toContain('--from: "2026-02-30" is not an ISO 8601 date');
  const backwards = await baton(['export', 'conversations', '--from', '2026-03-01', '--to', '2026-02-01'], dir);
  expect(backwards.code).toBe(2);
  expect(backwards.err).toContain('--to must be after --from');
  const tooLong = await baton(['export', 'conversations', '--from', '2024-01-01', '--to', '2026-01-01'], dir);
  expect(tooLong.code).toBe(2);
  expect(tooLong.err).toContain('/to: the range may span at most 366 days');
  const missing = await baton(['export', 'conversations', '--to', '2026-01-01'], dir);
  expect(missing.code).not.toBe(0);
  const down = await baton(
    ['export', 'conversations', '--from', '2026-01-01', '--to', '2026-01-02'],
    dir,
    'http://127.0.0.1:9',
  );
  expect(down.code).toBe(1);
  expect(down.err).toContain('cannot reach the Baton API');
});

test('a stream cut off mid-way exits 1 and keeps the lines so far in FILE.partial, never FILE', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-export-'));
  // An API that sends one line, then dies (as the export route does when the store fails mid-way).
  const broken = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    res.write('{"conversationId":"a"}\n{"conversationId":', () => res.socket?.destroy());
  });
  broken.listen(0, '127.0.0.1');
  await new Promise((resolve) => broken.once('listening', resolve));
  try {
    const url = `http://127.0.0.1:${(broken.address() as AddressInfo).port}`;
    const cut = await baton(
      ['export', 'conversations', '--from', '2026-01-01', '--to', '2026-01-02', '--out', 'cut.jsonl'],
      dir,
      url,
    );
    expect(cut.code).toBe(1);
    expect(cut.err).toContain('the export was cut off after 1 conversations (1 lines kept in cut.jsonl.partial)');
    expect(existsSync(join(dir, 'cut.jsonl'))).toBe(false);
    expect(readFileSync(join(dir, 'cut.jsonl.partial'), 'utf8')).toBe('{"conversationId":"a"}\n');
  } finally {
    await new Promise((resolve) => broken.close(resolve));
  }
});
