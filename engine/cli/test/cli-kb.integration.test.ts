/**
 * `baton kb import` / `export` against the real API (Mongo-wire server): a folder of Markdown, HTML
 * and CSV imported, imported again without change, exported, and the export imported back without
 * change; a bad file stops the whole import before any request.
 */
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestStack, type TestStack } from '@baton/test-support/stack';
import type { Io } from '../src/io';
import { main } from '../src/main';

jest.setTimeout(120_000);

let stack: TestStack;
let server: Server;
let api: string;

beforeAll(async () => {
  stack = await startTestStack({ worker: false });
  server = stack.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await stack?.stop();
});

async function baton(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t), cwd, env: {}, color: false };
  const code = await main(['node', 'baton', ...args, '--api', api], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('import, import again, export, and the export imports back unchanged', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-kb-'));
  mkdirSync(join(dir, 'kb'));
  writeFileSync(
    join(dir, 'kb', 'returns.md'),
    '---\ntitle: Return an item\ntags: [returns, refund]\nlocale: en\n---\nPrint the label from My orders.\n\n1. Pack it.\n2. Post it.\n',
  );
  writeFileSync(
    join(dir, 'kb', 'unlock.html'),
    '---\naudience: internal\n---\n<html><head><title>Unlock (agents)</title></head><body><p>Use the admin console.</p></body></html>',
  );
  writeFileSync(join(dir, 'kb', 'faq.csv'), 'question,answer,tags\nWhen are you open?,"Every day, 8 to 20.",contact\n');

  const first = await baton(['kb', 'import', 'kb'], dir);
  expect(first).toMatchObject({ code: 0, err: '3 created, 0 updated, 0 unchanged' });
  expect(first.out).toContain('created kb-returns (kb/returns.md)');
  const again = await baton(['kb', 'import', 'kb'], dir);
  expect(again).toMatchObject({ code: 0, err: '0 created, 0 updated, 3 unchanged', out: '' });

  const exported = await baton(['kb', 'export', 'out'], dir);
  expect(exported.code).toBe(0);
  const files = readdirSync(join(dir, 'out')).sort();
  expect(files).toEqual(expect.arrayContaining(['kb-returns.md', 'kb-unlock.md', 'kb-when-are-you-open.md']));
  expect(readFileSync(join(dir, 'out', 'kb-unlock.md'), 'utf8')).toContain('audience: internal');
  const back = await baton(['kb', 'import', 'out'], dir);
  expect(back).toMatchObject({ code: 0, err: `0 created, 0 updated, ${files.length} unchanged` });
  // Exporting again rewrites nothing.
  expect((await baton(['kb', 'export', 'out'], dir)).out).toBe('');

  writeFileSync(join(dir, 'kb', 'returns.md'), '---\ntitle: Return an item, now updated\n---\nNew text.\n');
  writeFileSync(join(dir, 'kb', 'broken.md'), '---\ntitle: Broken\naudience: everyone\n---\nText.\n');
  const refused = await baton(['kb', 'import', 'kb'], dir);
  expect(refused.code).toBe(1);
  expect(refused.err).toContain('kb/broken.md:3: audience "everyone" must be customer or internal');
  const article = (await fetch(`${api}/api/kb/articles/kb-returns`).then((res) => res.json())) as {
    article: { title: string };
  };
  expect(article.article.title).toBe('Return an item');
});
