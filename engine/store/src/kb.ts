/**
 * The knowledge base's articles, in `kb_articles`. The search index lives with its users (the API
 * builds a minisearch index from `list()`); `stamp()` tells them cheaply whether it is stale.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Collection, Db } from 'mongodb';
import { StoreConflictError, StoreNotFoundError, isDuplicateKeyError } from './errors';

export const kbCollection = 'kb_articles';

export type KbAudience = 'customer' | 'internal';

export interface KbArticleInput {
  articleId: string;
  title: string;
  body: string;
  tags: string[];
  source: string;
  /** `internal`: agents' procedures, never shown to a customer; `customer` when absent. */
  audience?: KbAudience;
  /** BCP 47 language tag, e.g. `en`. */
  locale?: string;
  /** Where a customer reads it; the widget's `/kb/<articleId>` when absent. */
  link?: string;
}

export interface KbArticleRecord extends KbArticleInput {
  createdAt: Date;
  updatedAt: Date;
  /** Increments with each change, so an index can tell it is stale. */
  revision: number;
}

interface KbDoc extends KbArticleRecord {
  _id: string;
}

function recordOf(doc: KbDoc): KbArticleRecord {
  const { _id: _ignored, ...record } = doc;
  return record;
}

function sameArticle(existing: KbArticleInput, input: KbArticleInput): boolean {
  return (
    existing.title === input.title &&
    existing.body === input.body &&
    existing.source === input.source &&
    (existing.audience ?? 'customer') === (input.audience ?? 'customer') &&
    existing.locale === input.locale &&
    existing.link === input.link &&
    existing.tags.length === input.tags.length &&
    existing.tags.every((tag, index) => tag === input.tags[index])
  );
}

export class KbStore {
  private readonly articles: Collection<KbDoc>;

  constructor(db: Db) {
    this.articles = db.collection<KbDoc>(kbCollection);
  }

  async ensureIndexes(): Promise<void> {
    await this.articles.createIndex({ updatedAt: -1 }, { name: 'updatedAt' });
  }

  /** By title. */
  async list(): Promise<KbArticleRecord[]> {
    const docs = await this.articles.find({}).sort({ title: 1, _id: 1 }).toArray();
    return docs.map(recordOf);
  }

  async get(articleId: string): Promise<KbArticleRecord | null> {
    const doc = await this.articles.findOne({ _id: articleId });
    return doc ? recordOf(doc) : null;
  }

  /** @throws StoreConflictError when an article with this id exists. */
  async create(input: KbArticleInput): Promise<KbArticleRecord> {
    const now = new Date();
    const doc: KbDoc = {
      ...input,
      audience: input.audience ?? 'customer',
      _id: input.articleId,
      createdAt: now,
      updatedAt: now,
      revision: 1,
    };
    try {
      await this.articles.insertOne(doc);
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new StoreConflictError(`article "${input.articleId}" already exists`);
      throw error;
    }
    return recordOf(doc);
  }

  /** Replaces title, body, tags, source, audience, locale and link. @throws StoreNotFoundError */
  async update(articleId: string, input: Omit<KbArticleInput, 'articleId'>): Promise<KbArticleRecord> {
    const doc = await this.articles.findOneAndUpdate(
      { _id: articleId },
      {
        $set: {
          title: input.title,
          body: input.body,
          tags: input.tags,
          source: input.source,
          audience: input.audience ?? 'customer',
          updatedAt: new Date(),
          ...(input.locale !== undefined && { locale: input.locale }),
          ...(input.link !== undefined && { link: input.link }),
        },
        ...((input.locale === undefined || input.link === undefined) && {
          $unset: { ...(input.locale === undefined && { locale: '' }), ...(input.link === undefined && { link: '' }) },
        }),
        $inc: { revision: 1 },
      },
      { returnDocument: 'after' },
    );
    if (!doc) throw new StoreNotFoundError(`article "${articleId}" does not exist`);
    return recordOf(doc);
  }

  /**
   * Writes imported articles by id, after the caller validated all of them: a new id is created, an
   * unchanged article is left alone (its revision does not move), a changed one is replaced. Answers
   * what happened to each, so importing the same files twice changes nothing.
   */
  async importMany(
    inputs: readonly KbArticleInput[],
  ): Promise<{ articleId: string; result: 'created' | 'updated' | 'unchanged' }[]> {
    const results: { articleId: string; result: 'created' | 'updated' | 'unchanged' }[] = [];
    for (const input of inputs) {
      const existing = await this.get(input.articleId);
      if (!existing) {
        await this.create({ ...input, audience: input.audience ?? 'customer' });
        results.push({ articleId: input.articleId, result: 'created' });
      } else if (sameArticle(existing, input)) {
        results.push({ articleId: input.articleId, result: 'unchanged' });
      } else {
        const { articleId: _id, ...fields } = input;
        await this.update(input.articleId, fields);
        results.push({ articleId: input.articleId, result: 'updated' });
      }
    }
    return results;
  }

  /** @throws StoreNotFoundError */
  async remove(articleId: string): Promise<void> {
    const result = await this.articles.deleteOne({ _id: articleId });
    if (result.deletedCount === 0) throw new StoreNotFoundError(`article "${articleId}" does not exist`);
  }

  /**
   * What the collection looks like now, in one small query: the count, the newest change and the sum
   * of revisions (a delete changes the count, an edit the revisions). Equal stamps, same articles.
   */
  async stamp(): Promise<string> {
    const docs = await this.articles.find({}, { projection: { revision: 1, updatedAt: 1 } }).toArray();
    let revisions = 0;
    let newest = 0;
    for (const doc of docs) {
      revisions += doc.revision ?? 0;
      newest = Math.max(newest, doc.updatedAt instanceof Date ? doc.updatedAt.getTime() : 0);
    }
    return `${docs.length}:${revisions}:${newest}`;
  }

  /** Loads the given articles when the collection is empty (the demo seed); answers how many were added. */
  async seedIfEmpty(articles: readonly KbArticleInput[]): Promise<number> {
    if ((await this.articles.estimatedDocumentCount()) > 0) return 0;
    let added = 0;
    for (const article of articles) {
      try {
        await this.create(article);
        added += 1;
      } catch (error) {
        // Two processes seeding at once: the other one's copy is as good.
        if (!(error instanceof StoreConflictError)) throw error;
      }
    }
    return added;
  }
}

/**
 * Loads the demo articles (`workers/ai/models/kb-articles.json`, built by workers/ai/scripts/seed-kb.ts)
 * into an empty `kb_articles`; answers how many were added (0 when there were articles already).
 */
export async function seedKnowledgeBase(db: Db, file: string): Promise<number> {
  if (!existsSync(file)) return 0;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { articles?: KbArticleInput[] };
  return new KbStore(db).seedIfEmpty(parsed.articles ?? []);
}
