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
});

const ArticleFields = z.object({
  title: z.string().trim().min(1, 'must not be empty').max(200),
  body: z.string().trim().min(1, 'must not be empty').max(20_000),
  tags: z.array(z.string().trim().min(1).max(50)).max(30).default([]),
  source: z.string().max(200).default('designer'),
});
const NewArticleBody = ArticleFields.extend({ articleId: Id.optional() }).strict();
const ArticleUpdateBody = ArticleFields.strict();

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
    res.json({ query: query.q, hits: index.search(query.q, { limit: query.limit }), articles: index.size });
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
    };
    const article = await knowledge.articles.create(input);
    res.status(201).location(`/api/kb/articles/${article.articleId}`).json({ article });
  });

  register(router, kbTable.update, async (req, res) => {
    const id = idParam(req, 'id', 'article id');
    const body = parseOrThrow(kbTable.update.body, req.body);
    res.json({ article: await knowledge.articles.update(id, body) });
  });

  register(router, kbTable.remove, async (req, res) => {
    await knowledge.articles.remove(idParam(req, 'id', 'article id'));
    res.status(204).end();
  });

  return router;
}
