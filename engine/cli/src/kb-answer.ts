/**
 * `baton.answer` in the CLI's simulator: the worker's retrieval and extractive answer over the
 * articles `baton dev` seeds (workers/ai/models/kb-articles.json, or the JSON file in
 * $BATON_KB_ARTICLES), so `baton test` answers as the stack does; without them, scripted.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { JsonValue } from '@baton/schemas';
import { answerCustomer, createKbIndex, type KbIndex } from '@baton/ai/kb';

const ArticlesFile = z.object({
  articles: z.array(
    z.object({
      articleId: z.string(),
      title: z.string(),
      body: z.string(),
      tags: z.array(z.string()).default([]),
      source: z.string().default('file'),
      audience: z.enum(['customer', 'internal']).optional(),
      locale: z.string().optional(),
      link: z.string().optional(),
    }),
  ),
});

/** The articles file: $BATON_KB_ARTICLES, else the demo seed beside @baton/ai; null when there is none. */
export function kbArticlesFile(env: Readonly<Record<string, string | undefined>> = process.env): string | null {
  if (env.BATON_KB_ARTICLES) return env.BATON_KB_ARTICLES;
  try {
    // @baton/ai resolves to its src/index.ts; the models folder sits beside src.
    const file = join(dirname(require.resolve('@baton/ai')), '..', 'models', 'kb-articles.json');
    return existsSync(file) ? file : null;
  } catch {
    return null;
  }
}

/** Loads the index once, on first use. A file that does not parse is an error naming it (not a silent "unsure"). */
export function lazyKbIndex(file: string | null): () => KbIndex | null {
  let index: KbIndex | null | undefined;
  return () => {
    if (index !== undefined) return index;
    if (!file) return (index = null);
    const parsed = ArticlesFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) throw new Error(`${file}: not a knowledge-base articles file: ${parsed.error.message}`);
    index = createKbIndex(parsed.data.articles);
    return index;
  };
}

export async function answerFromKb(index: KbIndex, input: { [key: string]: JsonValue }): Promise<JsonValue> {
  const tags = Array.isArray(input.tags) ? input.tags.filter((tag): tag is string => typeof tag === 'string') : [];
  const answer = await answerCustomer(index, {
    question: typeof input.question === 'string' ? input.question : '',
    minConfidence: typeof input.minConfidence === 'number' ? input.minConfidence : 0.4,
    ...(tags.length > 0 && { tags }),
    ...(typeof input.locale === 'string' && { locale: input.locale }),
  });
  return JSON.parse(JSON.stringify(answer)) as JsonValue;
}
