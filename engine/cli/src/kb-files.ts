/**
 * Knowledge-base files for `baton kb import` / `export` (./kb.ts): Markdown and HTML articles with a
 * front matter (`---` lines around `key: value` lines: id, title, audience, tags, locale, link,
 * source), and CSV question/answer pairs (header `question,answer[,audience,tags,id]`). Parsing is
 * pure: every problem names the file and the line, and nothing is sent until all files parse.
 */
import { createHash } from 'node:crypto';

export interface KbFileArticle {
  articleId: string;
  title: string;
  body: string;
  tags: string[];
  source: string;
  audience: 'customer' | 'internal';
  locale?: string;
  link?: string;
}

export class KbFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}:${line}: ${message}`);
    this.name = 'KbFileError';
  }
}

/** Limits the API holds too: refused here first, with the limit. */
export const kbLimits = {
  fileBytes: 256 * 1024,
  bodyCharacters: 20_000,
  titleCharacters: 200,
  tags: 30,
  tagCharacters: 50,
  articles: 2000,
  /** The API reads JSON bodies of at most 1 MB (engine/server/src/api/middleware/body.ts). */
  requestBytes: 1024 * 1024 - 1024,
} as const;

const idPattern = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const localePattern = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const linkPattern = /^(https?:\/\/|\/)\S*$/;
const frontMatterKeys = ['id', 'title', 'audience', 'tags', 'locale', 'link', 'source'] as const;
type FrontMatterKey = (typeof frontMatterKeys)[number];

/** A stable id from a name: `kb-` and its slug; long names keep a hash of the whole name. */
export function slugId(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  if (!slug) return `kb-${hash}`;
  return slug.length > 50 ? `kb-${slug.slice(0, 50).replace(/-+$/, '')}-${hash}` : `kb-${slug}`;
}

function unquote(raw: string, file: string, line: number): string {
  const value = raw.trim();
  if (value.startsWith('"')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (typeof parsed === 'string') return parsed;
    } catch {
      // Reported below.
    }
    throw new KbFileError(file, line, `bad double-quoted string ${value.slice(0, 60)}`);
  }
  if (value.startsWith("'")) {
    if (!value.endsWith("'") || value.length < 2) throw new KbFileError(file, line, `unclosed quote in ${value}`);
    return value.slice(1, -1).replace(/''/g, "'");
  }
  return value;
}

function listOf(raw: string, file: string, line: number): string[] {
  const value = raw.trim();
  if (!value.startsWith('[')) return value === '' ? [] : [unquote(value, file, line)];
  if (!value.endsWith(']')) throw new KbFileError(file, line, 'a list opened with [ must close with ]');
  const inner = value.slice(1, -1).trim();
  if (inner === '') return [];
  const items: string[] = [];
  // Commas inside quotes belong to the item.
  for (const match of inner.matchAll(/\s*("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^,]+)\s*(,|$)/g))
    items.push(unquote(match[1] as string, file, line));
  return items;
}

interface FrontMatter {
  values: Partial<Record<FrontMatterKey, string | string[]>>;
  lines: Partial<Record<FrontMatterKey, number>>;
  /** The text after the front matter. */
  rest: string;
  /** The line the rest starts on. */
  restLine: number;
}

/** The `---` block at the top of a file, if any. */
export function frontMatterOf(text: string, file: string): FrontMatter {
  const source = text.replace(/^\uFEFF/, '');
  const lines = source.split('\n');
  if (lines[0]?.replace(/\r$/, '') !== '---') return { values: {}, lines: {}, rest: source, restLine: 1 };
  const values: FrontMatter['values'] = {};
  const at: FrontMatter['lines'] = {};
  let listKey: FrontMatterKey | null = null;
  for (let i = 1; i < lines.length; i += 1) {
    const line = (lines[i] as string).replace(/\r$/, '');
    const number = i + 1;
    if (line === '---') {
      return { values, lines: at, rest: lines.slice(i + 1).join('\n'), restLine: number + 1 };
    }
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const item = /^\s+-\s*(.*)$/.exec(line) ?? /^-\s+(.*)$/.exec(line);
    if (item) {
      if (!listKey) throw new KbFileError(file, number, 'a list item without a key above it');
      (values[listKey] as string[]).push(unquote(item[1] as string, file, number));
      continue;
    }
    const pair = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (!pair)
      throw new KbFileError(file, number, `expected "key: value" in the front matter, got "${line.slice(0, 60)}"`);
    const key = pair[1] as string;
    if (!(frontMatterKeys as readonly string[]).includes(key))
      throw new KbFileError(file, number, `unknown front matter key "${key}" (known: ${frontMatterKeys.join(', ')})`);
    const known = key as FrontMatterKey;
    if (at[known] !== undefined) throw new KbFileError(file, number, `"${key}" is given twice`);
    at[known] = number;
    const raw = pair[2] as string;
    listKey = null;
    if (known === 'tags') {
      values.tags = listOf(raw, file, number);
      if (raw.trim() === '') listKey = 'tags';
    } else {
      values[known] = unquote(raw, file, number);
    }
  }
  throw new KbFileError(file, 1, 'the front matter opened with --- is never closed with ---');
}

function str(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Checks one article's fields against the limits; `line` is where to point. */
function checked(article: KbFileArticle, file: string, line: (key: FrontMatterKey | 'body') => number): KbFileArticle {
  if (!idPattern.test(article.articleId))
    throw new KbFileError(file, line('id'), `id "${article.articleId}" must match ${idPattern.source}`);
  if (article.title.trim() === '') throw new KbFileError(file, line('title'), 'the article has no title');
  if (article.title.length > kbLimits.titleCharacters)
    throw new KbFileError(file, line('title'), `the title is longer than ${kbLimits.titleCharacters} characters`);
  if (article.body.trim() === '') throw new KbFileError(file, line('body'), 'the article has no text');
  if (article.body.length > kbLimits.bodyCharacters)
    throw new KbFileError(
      file,
      line('body'),
      `the text is ${article.body.length} characters, more than the limit of ${kbLimits.bodyCharacters}`,
    );
  if (article.tags.length > kbLimits.tags) throw new KbFileError(file, line('tags'), `more than ${kbLimits.tags} tags`);
  const longTag = article.tags.find((tag) => tag.trim() === '' || tag.length > kbLimits.tagCharacters);
  if (longTag !== undefined)
    throw new KbFileError(file, line('tags'), `tag "${longTag}" must have 1 to ${kbLimits.tagCharacters} characters`);
  if (article.locale !== undefined && !localePattern.test(article.locale))
    throw new KbFileError(file, line('locale'), `locale "${article.locale}" is not a language tag such as en or fr-CA`);
  if (article.link !== undefined && !linkPattern.test(article.link))
    throw new KbFileError(
      file,
      line('link'),
      `link "${article.link}" must be an http(s) URL or a path starting with /`,
    );
  return article;
}

function audienceOf(value: string | undefined, file: string, line: number): 'customer' | 'internal' {
  if (value === undefined || value === '') return 'customer';
  if (value === 'customer' || value === 'internal') return value;
  throw new KbFileError(file, line, `audience "${value}" must be customer or internal`);
}

/** Text of an HTML page: block elements become line breaks, list items "- ", the common entities decoded. */
export function htmlText(html: string): { title?: string; text: string } {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1] ?? /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(html)?.[1];
  const body = /<body[^>]*>([\s\S]*?)<\/body>/i.exec(html)?.[1] ?? html;
  const decode = (text: string) =>
    text
      .replace(/&nbsp;/g, ' ')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;|&apos;/g, "'")
      .replace(/&amp;/g, '&');
  const text = decode(
    body
      .replace(/<(script|style|head)[^>]*>[\s\S]*?<\/\1>/gi, '')
      .replace(/<h1[^>]*>[\s\S]*?<\/h1>/i, '')
      .replace(/<li[^>]*>/gi, '\n- ')
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/(p|div|h[1-6]|ul|ol|li|section|article|tr)>/gi, '\n\n')
      .replace(/<[^>]+>/g, ''),
  )
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { ...(title !== undefined && { title: decode(title.replace(/<[^>]+>/g, '')).trim() }), text };
}

/** One Markdown or HTML article. `name` is the file's name, which makes the id when the front matter has none. */
export function parseArticleFile(text: string, file: string, name: string, kind: 'markdown' | 'html'): KbFileArticle {
  const front = frontMatterOf(text, file);
  const at = (key: FrontMatterKey | 'body') => (key === 'body' ? front.restLine : (front.lines[key] ?? 1));
  let title = str(front.values.title);
  let body = front.rest.replace(/\r?\n$/, '');
  if (kind === 'html') {
    const page = htmlText(body);
    title ??= page.title;
    body = page.text;
  } else if (title === undefined) {
    // Without a title in the front matter, the first "# Heading" is the title (and leaves the body).
    const heading = /^\s*#\s+(.+?)\s*#*\s*(\r?\n|$)/.exec(body);
    if (heading) {
      title = heading[1];
      body = body.slice(heading[0].length).replace(/^(\r?\n)+/, '');
    }
  }
  if (title === undefined) throw new KbFileError(file, 1, 'no title: give "title:" in the front matter');
  const locale = str(front.values.locale);
  const link = str(front.values.link);
  return checked(
    {
      articleId: str(front.values.id) ?? slugId(name.replace(/\.[^.]+$/, '')),
      title,
      body,
      tags: Array.isArray(front.values.tags) ? front.values.tags : [],
      source: str(front.values.source) ?? `import:${name}`,
      audience: audienceOf(str(front.values.audience), file, at('audience')),
      ...(locale !== undefined && { locale }),
      ...(link !== undefined && { link }),
    },
    file,
    at,
  );
}

/** CSV rows with the line each starts on (quoted fields may span lines; "" is a quote). */
export function csvRows(text: string, file: string): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  const source = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < source.length; i += 1) {
    const char = source[i] as string;
    if (quoted) {
      if (char === '"' && source[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (char === '"') {
        quoted = false;
      } else {
        if (char === '\n') line += 1;
        cell += char;
      }
      continue;
    }
    if (char === '"' && cell === '') quoted = true;
    else if (char === ',') {
      cells.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && source[i + 1] === '\n') i += 1;
      cells.push(cell);
      if (cells.some((value) => value.trim() !== '')) rows.push({ line: start, cells });
      cells = [];
      cell = '';
      line += 1;
      start = line;
    } else cell += char;
  }
  if (quoted) throw new KbFileError(file, start, 'a quoted field is never closed');
  cells.push(cell);
  if (cells.some((value) => value.trim() !== '')) rows.push({ line: start, cells });
  return rows;
}

/** Question/answer pairs: one customer article per row, its id from the `id` column or the question. */
export function parseQaCsv(text: string, file: string): KbFileArticle[] {
  const [header, ...rows] = csvRows(text, file);
  if (!header) throw new KbFileError(file, 1, 'the file is empty');
  const names = header.cells.map((name) => name.trim().toLowerCase());
  const known = ['question', 'answer', 'audience', 'tags', 'id', 'locale', 'link'];
  const unknown = names.find((name) => !known.includes(name));
  if (unknown !== undefined) throw new KbFileError(file, 1, `unknown column "${unknown}" (known: ${known.join(', ')})`);
  for (const required of ['question', 'answer'])
    if (!names.includes(required)) throw new KbFileError(file, 1, `the header has no "${required}" column`);
  const column = (row: string[], name: string) => {
    const index = names.indexOf(name);
    const value = index < 0 ? undefined : row[index]?.trim();
    return value === '' ? undefined : value;
  };
  return rows.map(({ line, cells }) => {
    if (cells.length > names.length)
      throw new KbFileError(file, line, `${cells.length} fields, the header has ${names.length}`);
    const question = column(cells, 'question');
    const answer = column(cells, 'answer');
    if (!question) throw new KbFileError(file, line, 'the question is empty');
    if (!answer) throw new KbFileError(file, line, 'the answer is empty');
    const locale = column(cells, 'locale');
    const link = column(cells, 'link');
    return checked(
      {
        articleId: column(cells, 'id') ?? slugId(question),
        title: question,
        body: answer,
        tags: (column(cells, 'tags') ?? '')
          .split(/[;|]/)
          .map((tag) => tag.trim())
          .filter(Boolean),
        source: `import:${file.split(/[\\/]/).pop() ?? file}`,
        audience: audienceOf(column(cells, 'audience'), file, line),
        ...(locale !== undefined && { locale }),
        ...(link !== undefined && { link }),
      },
      file,
      () => line,
    );
  });
}

/** The Markdown `baton kb export` writes; `parseArticleFile` reads it back to the same article. */
export function articleMarkdown(article: KbFileArticle): string {
  const lines = [
    '---',
    `id: ${article.articleId}`,
    `title: ${JSON.stringify(article.title)}`,
    `audience: ${article.audience}`,
    `tags: [${article.tags.map((tag) => JSON.stringify(tag)).join(', ')}]`,
    ...(article.locale !== undefined ? [`locale: ${article.locale}`] : []),
    ...(article.link !== undefined ? [`link: ${JSON.stringify(article.link)}`] : []),
    `source: ${JSON.stringify(article.source)}`,
    '---',
  ];
  return `${lines.join('\n')}\n${article.body}\n`;
}
