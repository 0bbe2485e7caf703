/** `baton kb import` parsing: front matter, HTML, CSV pairs, stable ids, errors naming file and line, limits. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readKbFiles } from '../src/kb';
import { articleMarkdown, KbFileError, kbLimits, parseArticleFile, parseQaCsv, slugId } from '../src/kb-files';
import type { Io } from '../src/io';
import { main } from '../src/main';

const md = [
  '---',
  'id: kb-returns',
  'title: "Return an item: the steps"',
  'audience: customer',
  'tags:',
  '  - returns',
  '  - "refund, later"',
  'locale: en',
  '---',
  'Print the label from **My orders**.',
  '',
  'Drop the parcel at any post office.',
  '',
].join('\n');

test('a Markdown article reads its front matter; the body is the rest, exactly', () => {
  expect(parseArticleFile(md, 'kb/returns.md', 'returns.md', 'markdown')).toEqual({
    articleId: 'kb-returns',
    title: 'Return an item: the steps',
    body: 'Print the label from **My orders**.\n\nDrop the parcel at any post office.',
    tags: ['returns', 'refund, later'],
    source: 'import:returns.md',
    audience: 'customer',
    locale: 'en',
  });
});

test('without front matter the first heading is the title and the file name makes a stable id', () => {
  const article = parseArticleFile(
    '# Opening hours\n\nWe answer from 8 to 20.\n',
    'faq/Opening Hours.md',
    'Opening Hours.md',
    'markdown',
  );
  expect(article).toMatchObject({
    articleId: 'kb-opening-hours',
    title: 'Opening hours',
    body: 'We answer from 8 to 20.',
    audience: 'customer',
  });
  expect(slugId('Opening Hours')).toBe(slugId('Opening Hours'));
  expect(slugId('x'.repeat(80))).toMatch(/^kb-x{50}-[0-9a-f]{8}$/);
});

test('an HTML page: title from <title>, text with its list items, internal when the front matter says so', () => {
  const html =
    '---\naudience: internal\n---\n<html><head><title>Unlock (agents)</title></head><body><h1>Unlock</h1><p>Use the admin console &amp; verify.</p><ul><li>Step one</li><li>Step two</li></ul></body></html>';
  expect(parseArticleFile(html, 'unlock.html', 'unlock.html', 'html')).toMatchObject({
    articleId: 'kb-unlock',
    title: 'Unlock (agents)',
    audience: 'internal',
    body: 'Use the admin console & verify.\n\n- Step one\n\n- Step two',
  });
});

test('front matter errors name the file and the line', () => {
  const bad = (text: string) => () => parseArticleFile(text, 'a.md', 'a.md', 'markdown');
  expect(bad('---\ntitle: A\ncolour: red\n---\nbody')).toThrow('a.md:3: unknown front matter key "colour"');
  expect(bad('---\ntitle: A\naudience: staff\n---\nbody')).toThrow(
    'a.md:3: audience "staff" must be customer or internal',
  );
  expect(bad('---\ntitle: A\nid: 9lives\n---\nbody')).toThrow(/^a\.md:3: id "9lives"/);
  expect(bad('---\ntitle: A\n---\n')).toThrow('a.md:4: the article has no text');
  expect(bad('---\ntitle: A\n')).toThrow('a.md:1: the front matter opened with --- is never closed');
  expect(bad('---\ntitle: A\nbody')).toThrow('a.md:3: expected "key: value"');
  expect(bad('just text')).toThrow('a.md:1: no title');
  expect(bad(`---\ntitle: A\n---\n${'x'.repeat(kbLimits.bodyCharacters + 1)}`)).toThrow(
    `more than the limit of ${kbLimits.bodyCharacters}`,
  );
});

test('CSV question/answer pairs: one customer article per row, quoted fields over several lines, errors by line', () => {
  const csv =
    'question,answer,audience,tags\n"How do I return an item?","Print the label,\nthen post it.",,returns;refund\nWhen are you open?,From 8 to 20.,internal,\n';
  const articles = parseQaCsv(csv, 'faq.csv');
  expect(articles).toEqual([
    expect.objectContaining({
      articleId: slugId('How do I return an item?'),
      title: 'How do I return an item?',
      body: 'Print the label,\nthen post it.',
      tags: ['returns', 'refund'],
      audience: 'customer',
    }),
    expect.objectContaining({ title: 'When are you open?', audience: 'internal', tags: [] }),
  ]);
  expect(() => parseQaCsv('question,answer\nA?,B\nC?,\n', 'faq.csv')).toThrow('faq.csv:3: the answer is empty');
  expect(() => parseQaCsv('question,reply\n', 'faq.csv')).toThrow('faq.csv:1: unknown column "reply"');
  expect(() => parseQaCsv('question,answer\n"A?,B\n', 'faq.csv')).toThrow(KbFileError);
});

test('an exported article imports back to the same article', () => {
  const article = {
    articleId: 'kb-x',
    title: 'Quotes "and" colons: fine',
    body: 'Line one.\r\n\r\n1. Step\r\n2. Step',
    tags: ['a b', 'c,d'],
    source: 'bitext:x#row1',
    audience: 'internal' as const,
    locale: 'en-GB',
    link: 'https://help.example.com/x?y=1',
  };
  expect(parseArticleFile(articleMarkdown(article), 'kb-x.md', 'kb-x.md', 'markdown')).toEqual(article);
});

describe('reading files for an import', () => {
  const io = (cwd: string): Io => ({ out: () => undefined, err: () => undefined, cwd, env: {}, color: false });

  it("reads folders; every file's problem is listed and nothing is returned when one is bad", () => {
    const dir = mkdtempSync(join(tmpdir(), 'kb-import-'));
    mkdirSync(join(dir, 'kb', 'more'), { recursive: true });
    writeFileSync(join(dir, 'kb', 'returns.md'), md);
    writeFileSync(join(dir, 'kb', 'more', 'faq.csv'), 'question,answer\nA?,B\n');
    writeFileSync(join(dir, 'kb', 'notes.txt'), 'ignored: not an article file');
    expect(readKbFiles(['kb'], io(dir)).map(({ article }) => article.articleId)).toEqual([slugId('A?'), 'kb-returns']);

    writeFileSync(join(dir, 'kb', 'more', 'dup.md'), '---\nid: kb-returns\ntitle: T\n---\nbody');
    writeFileSync(join(dir, 'kb', 'more', 'bad.md'), '---\ntitle: T\nlocale: english\n---\nbody');
    writeFileSync(join(dir, 'kb', 'big.md'), `# Big\n${'x'.repeat(kbLimits.fileBytes)}`);
    expect(() => readKbFiles(['kb'], io(dir))).toThrow(
      new RegExp(
        [
          'nothing imported:',
          `kb/big.md: \\d+ bytes, more than the limit of ${kbLimits.fileBytes} bytes per file`,
          'kb/more/bad.md:3: locale "english"',
          'kb/returns.md: id "kb-returns" is also kb/more/dup.md',
        ].join('[\\s\\S]*'),
      ),
    );
  });

  it('baton kb import exits 2 naming a path that does not exist, before any request', async () => {
    const err: string[] = [];
    const code = await main(['node', 'baton', 'kb', 'import', 'nowhere'], {
      ...io(mkdtempSync(join(tmpdir(), 'kb-import-'))),
      err: (text) => err.push(text),
    });
    expect(code).toBe(2);
    expect(err.join('')).toMatch(/nowhere: no such file or folder/);
  });
});
