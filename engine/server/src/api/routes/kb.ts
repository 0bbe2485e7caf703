/** The knowledge base: search, and its articles (agents read, designers write). */
import { randomUUID } from 'node:crypto';
import express, { type Router } from 'express';
import { z } from 'zod';
import { Id } from '@baton/schemas';
import type { KbArticleInput } from '@baton/store';
import type { KnowledgeBase } from '../knowledge';
import { HttpProblem, parseOrThrow } from '../problem';
import { register, route } from './route';
import { idParam } from './shared';

const SearchQuery = z.object({
  q: z.string().trim().min(1, 'must not be empty').max(2000),
  limit: z.coerce.number().int().min(1).max(20).default(5),
  /** Only articles for this audience (agents and designers see both by default; each hit says which). */
  audience: z.enum(['customer', 'internal']).optional(),
});

const ArticleFields = z.object({
  title: z.string().trim().min(1, 'must not be empty').max(200),
  body: z.string().trim().min(1, 'must not be empty').max(20_000),
  tags: z.array(z.string().trim().min(1).max(50)).max(30).default([]),
  source: z.string().max(200).default('designer'),
  /** `internal`: an agents' procedure, never shown to a customer. */
  audience: z.enum(['customer', 'internal']).default('customer'),
  locale: z
    .string()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as en or fr-CA')
    .optional(),
  /** Where a customer reads the article (absolute URL or a path); `/kb/<id>` on the widget when absent. */
  link: z
    .string()
    .max(2000)
    .regex(/^(https?:\/\/|\/)\S*$/, 'must be an http(s) URL or a path starting with /')
    .optional(),
});
const NewArticleBody = ArticleFields.extend({ articleId: Id.optional() }).strict();
/** A replacement that leaves out audience, locale or link keeps the stored ones (an older editor never turns an internal article into a customer one). */
const ArticleUpdateBody = ArticleFields.extend({ audience: z.enum(['customer', 'internal']).optional() }).strict();

/** What `baton kb import` sends: every article of the files, validated as a whole before anything is written. */
export const maxImportArticles = 2000;
const ImportBody = z
  .object({
    articles: z
      .array(ArticleFields.extend({ articleId: Id }).strict())
      .min(1, 'no articles to import')
      .max(maxImportArticles, `at most ${maxImportArticles} articles per import`)
      .refine(
        (articles) => new Set(articles.map((article) => article.articleId)).size === articles.length,
        'article ids must be unique within one import',
      ),
  })
  .strict();

const tag = 'knowledge base';
export const kbTable = {
  search: route({
    method: 'get',
    path: '/api/kb/search',
    audience: ['agent', 'designer'],
    tag,
    summary: 'Search the articles',
    query: SearchQuery,
  }),
  list: route({
    method: 'get',
    path: '/api/kb/articles',
    audience: ['agent', 'designer'],
    tag,
    summary: 'List the articles',
  }),
  get: route({
    method: 'get',
    path: '/api/kb/articles/:id',
    audience: ['agent', 'designer'],
    tag,
    summary: 'Read one article',
  }),
  create: route({
    method: 'post',
    path: '/api/kb/articles',
    audience: ['designer'],
    tag,
    summary: 'Add an article (its id made from the title unless given)',
    body: NewArticleBody,
    statuses: [201],
  }),
  import: route({
    method: 'post',
    path: '/api/kb/import',
    audience: ['designer'],
    tag,
    summary: 'Create or replace articles by id (all validated before any is written); unchanged ones stay as they are',
    body: ImportBody,
  }),
  update: route({
    method: 'put',
    path: '/api/kb/articles/:id',
    audience: ['designer'],
    tag,
    summary: 'Replace an article',
    body: ArticleUpdateBody,
  }),
  remove: route({
    method: 'delete',
    path: '/api/kb/articles/:id',
    audience: ['designer'],
    tag,
    summary: 'Delete an article',
    statuses: [204],
    produces: 'none',
  }),
};

function slug(text: string): string {
  const base = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `kb-${base || 'article'}-${randomUUID().slice(0, 6)}`;
}

export function kbRoutes(options: { knowledge: KnowledgeBase }): Router {
  const { knowledge } = options;
  const router: Router = express.Router();

  register(router, kbTable.search, async (req, res) => {
    const query = parseOrThrow(kbTable.search.query, req.query, 'query');
    const index = await knowledge.index();
    const hits = index.search(query.q, {
      limit: query.limit,
      ...(query.audience !== undefined && { audience: query.audience }),
    });
    res.json({ query: query.q, hits, articles: index.size });
  });

  register(router, kbTable.list, async (_req, res) => {
    res.json({ articles: await knowledge.articles.list() });
  });

  register(router, kbTable.get, async (req, res) => {
    const id = idParam(req, 'id', 'article id');
    const article = await knowledge.articles.get(id);
    if (!article) throw new HttpProblem(404, 'Article not found', `no article "${id}"`);
    res.json({ article });
  });

  register(router, kbTable.create, async (req, res) => {
    const body = parseOrThrow(kbTable.create.body, req.body);
    await knowledge.ready();
    const input: KbArticleInput = {
      articleId: body.articleId ?? slug(body.title),
      title: body.title,
      body: body.body,
      tags: body.tags,
      source: body.source,
      audience: body.audience,
      ...(body.locale !== undefined && { locale: body.locale }),
      ...(body.link !== undefined && { link: body.link }),
    };
    const article = await knowledge.articles.create(input);
    res.status(201).location(`/api/kb/articles/${article.articleId}`).json({ article });
  });

  register(router, kbTable.import, async (req, res) => {
    const body = parseOrThrow(kbTable.import.body, req.body);
    await knowledge.ready();
    const results = await knowledge.articles.importMany(body.articles);
    const count = (result: string) => results.filter((entry) => entry.result === result).length;
    res.json({
      created: count('created'),
      updated: count('updated'),
      unchanged: count('unchanged'),
      articles: results,
    });
  });

  register(router, kbTable.update, async (req, res) => {
    const id = idParam(req, 'id', 'article id');
    const body = parseOrThrow(kbTable.update.body, req.body);
    const stored = await knowledge.articles.get(id);
    if (!stored) throw new HttpProblem(404, 'Article not found', `no article "${id}"`);
    const locale = body.locale ?? stored.locale;
    const link = body.link ?? stored.link;
    res.json({
      article: await knowledge.articles.update(id, {
        title: body.title,
        body: body.body,
        tags: body.tags,
        source: body.source,
        audience: body.audience ?? stored.audience ?? 'customer',
        ...(locale !== undefined && { locale }),
        ...(link !== undefined && { link }),
      }),
    });
  });

  register(router, kbTable.remove, async (req, res) => {
    await knowledge.articles.remove(idParam(req, 'id', 'article id'));
    res.status(204).end();
  });

  return router;
}
