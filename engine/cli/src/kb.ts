/**
 * `baton kb import PATH…` and `baton kb export DIR`: a knowledge base that lives in git beside the
 * journeys. Import reads Markdown/HTML articles and CSV question/answer pairs (./kb-files.ts),
 * validates every file before sending anything, and sends them in one request to the API, which
 * creates or replaces them by id (unchanged ones stay as they are). Export writes one Markdown file
 * per article that imports back to the same article.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { z } from 'zod';
import { apiBase, apiRequest, isOk, problemText } from './http';
import { CliError, displayPath, paint, type Io } from './io';
import { articleMarkdown, KbFileError, kbLimits, parseArticleFile, parseQaCsv, type KbFileArticle } from './kb-files';

export interface KbOptions {
  api?: string;
}

const kinds: Record<string, 'markdown' | 'html' | 'csv'> = {
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.html': 'html',
  '.htm': 'html',
  '.csv': 'csv',
};

function kindOf(file: string): 'markdown' | 'html' | 'csv' | undefined {
  const dot = file.lastIndexOf('.');
  return dot < 0 ? undefined : kinds[file.slice(dot).toLowerCase()];
}

/** The files to import: each PATH, or the article files under a folder (sorted, so ids clash the same way every time). */
function filesOf(paths: readonly string[], io: Io): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (kindOf(entry.name)) files.push(full);
    }
  };
  for (const path of paths) {
    const full = resolve(io.cwd, path);
    let stat;
    try {
      stat = statSync(full);
    } catch {
      throw new CliError(`${path}: no such file or folder`);
    }
    if (stat.isDirectory()) walk(full);
    else if (kindOf(full)) files.push(full);
    else throw new CliError(`${path}: not an article file (.md, .markdown, .html, .htm or .csv)`);
  }
  return files;
}

/** Every article of the files, or a CliError listing every file's problem (nothing is sent then). */
export function readKbFiles(paths: readonly string[], io: Io): { file: string; article: KbFileArticle }[] {
  const problems: string[] = [];
  const found: { file: string; article: KbFileArticle }[] = [];
  for (const full of filesOf(paths, io)) {
    const shown = displayPath(relative(io.cwd, full) || full, io.cwd);
    const size = statSync(full).size;
    if (size > kbLimits.fileBytes) {
      problems.push(`${shown}: ${size} bytes, more than the limit of ${kbLimits.fileBytes} bytes per file`);
      continue;
    }
    try {
      const text = readFileSync(full, 'utf8');
      const kind = kindOf(full);
      const name = full.split(/[\\/]/).pop() ?? full;
      const articles =
        kind === 'csv' ? parseQaCsv(text, shown) : [parseArticleFile(text, shown, name, kind ?? 'markdown')];
      for (const article of articles) found.push({ file: shown, article });
    } catch (error) {
      if (error instanceof KbFileError) problems.push(error.message);
      else throw error;
    }
  }
  const byId = new Map<string, string>();
  for (const { file, article } of found) {
    const other = byId.get(article.articleId);
    if (other !== undefined)
      problems.push(`${file}: id "${article.articleId}" is also ${other}'s; give one of them another "id"`);
    else byId.set(article.articleId, file);
  }
  if (found.length > kbLimits.articles)
    problems.push(`${found.length} articles, more than the limit of ${kbLimits.articles} per import`);
  if (problems.length > 0) throw new CliError(`nothing imported:\n${problems.join('\n')}`, 1);
  return found;
}

export async function runKbImport(paths: readonly string[], options: KbOptions, io: Io): Promise<number> {
  if (paths.length === 0) throw new CliError('give the files or folders to import');
  const found = readKbFiles(paths, io);
  if (found.length === 0) throw new CliError(`no articles in ${paths.join(', ')}`, 1);
  const body = { articles: found.map(({ article }) => article) };
  const bytes = Buffer.byteLength(JSON.stringify(body));
  if (bytes > kbLimits.requestBytes)
    throw new CliError(
      `nothing imported: the articles come to ${bytes} bytes, more than the limit of ${kbLimits.requestBytes} per import; import the folders separately`,
      1,
    );
  const base = apiBase(options.api, io);
  const answer = await apiRequest('POST', `${base}/api/kb/import`, body);
  if (!isOk(answer)) throw new CliError(`the import failed, nothing was written:\n${problemText(answer)}`, 1);
  const result = ImportAnswer.safeParse(answer.body);
  if (!result.success) throw new CliError(`the API answered the import unexpectedly: ${result.error.message}`, 1);
  const fileOf = new Map(found.map(({ file, article }) => [article.articleId, file]));
  for (const entry of result.data.articles) {
    if (entry.result === 'unchanged') continue;
    const colour = entry.result === 'created' ? 'green' : 'yellow';
    io.out(`${paint(io, colour, entry.result)} ${entry.articleId} (${fileOf.get(entry.articleId) ?? '?'})`);
  }
  io.err(`${result.data.created} created, ${result.data.updated} updated, ${result.data.unchanged} unchanged`);
  return 0;
}

const ImportAnswer = z.object({
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  articles: z.array(z.object({ articleId: z.string(), result: z.enum(['created', 'updated', 'unchanged']) })),
});

const ListedArticle = z.object({
  articleId: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/),
  title: z.string(),
  body: z.string(),
  tags: z.array(z.string()).default([]),
  source: z.string().default('designer'),
  audience: z.enum(['customer', 'internal']).default('customer'),
  locale: z.string().optional(),
  link: z.string().optional(),
});

export async function runKbExport(dir: string, options: KbOptions, io: Io): Promise<number> {
  const base = apiBase(options.api, io);
  const answer = await apiRequest('GET', `${base}/api/kb/articles`);
  if (!isOk(answer)) throw new CliError(`listing the articles failed: ${problemText(answer)}`, 1);
  const listed = z.object({ articles: z.array(ListedArticle) }).safeParse(answer.body);
  if (!listed.success) throw new CliError(`the API listed articles unexpectedly: ${listed.error.message}`, 1);
  const root = resolve(io.cwd, dir);
  mkdirSync(root, { recursive: true });
  let written = 0;
  let unchanged = 0;
  for (const article of listed.data.articles) {
    const file = join(root, `${article.articleId}.md`);
    const text = articleMarkdown(article);
    let before: string | undefined;
    try {
      before = readFileSync(file, 'utf8');
    } catch {
      before = undefined;
    }
    if (before === text) {
      unchanged += 1;
      continue;
    }
    writeFileSync(file, text);
    written += 1;
    io.out(`${paint(io, 'green', 'written')} ${displayPath(file, io.cwd)}`);
  }
  io.err(`${written} written, ${unchanged} unchanged (${listed.data.articles.length} articles)`);
  return 0;
}
