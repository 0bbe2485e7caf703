/**
 * The knowledge base against the real Mongo-wire server: the demo articles (workers/ai/models/
 * kb-articles.json) seeded into `kb_articles`, BM25 search through the API, and the index following
 * every create, edit and delete.
 */
import { join } from 'node:path';
import request from 'supertest';
import { createKbIndex } from '@baton/ai/kb';
import { kbCollection, seedKnowledgeBase } from '@baton/store';
import { startTestStack, type TestStack } from '@baton/test-support/stack';

const demoArticles = join(__dirname, '..', '..', '..', 'workers', 'ai', 'models', 'kb-articles.json');

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ worker: false });
});
afterAll(async () => {
  await stack?.stop();
});

const api = () => request(stack.app);
const db = () => stack.store.collection(kbCollection).db;

describe('the demo knowledge base', () => {
  it('is seeded once, deduplicated by intent', async () => {
    const added = await seedKnowledgeBase(db(), demoArticles);
    expect(added).toBeGreaterThanOrEqual(27);
    expect(added).toBeLessThanOrEqual(81);
    // A second seed sees articles and adds nothing.
    expect(await seedKnowledgeBase(db(), demoArticles)).toBe(0);
    const listed = await api().get('/api/kb/articles').expect(200);
    expect(listed.body.articles).toHaveLength(added);
    type Listed = { body: string; source: string; tags: string[]; audience: string };
    const customer = (listed.body.articles as Listed[]).filter((article) => article.audience === 'customer');
    const internal = (listed.body.articles as Listed[]).filter((article) => article.audience === 'internal');
    expect(customer.length + internal.length).toBe(added);
    expect(internal.length).toBeGreaterThan(0);
    // The Bitext responses, and a few hand-written FAQ articles.
    const bitext = customer.filter((article) => article.source.startsWith('bitext:'));
    expect(customer.filter((article) => article.source === 'baton:faq').length).toBe(customer.length - bitext.length);
    const intents = new Set(bitext.map((article) => article.tags[0]));
    expect(intents.size).toBe(27);
    for (const article of bitext) {
      expect(article.body).not.toMatch(/\{\{/);
      expect(article.source).toMatch(/^bitext:[a-z_]+#row\d+$/);
    }
  });

  it.each([
    ['I forgot my password and cannot log in', 'recover_password'],
    ['how do I get my money back for this purchase', 'get_refund'],
    ['where is my package, I want to track my order', 'track_order'],
    ['I want to talk to a real person', 'contact_human_agent'],
    ['my card was declined when I paid', 'payment_issue'],
  ])('answers "%s" with an article about %s first', async (q, intent) => {
    const found = await api().get('/api/kb/search').query({ q, audience: 'customer' }).expect(200);
    expect(found.body.hits.length).toBeGreaterThan(0);
    const first = found.body.hits[0];
    const article = await api().get(`/api/kb/articles/${first.articleId}`).expect(200);
    expect(article.body.article.tags[0]).toBe(intent);
    expect(first.snippet.length).toBeGreaterThan(0);
    expect(first.score).toBeGreaterThan(0);
    expect(first.relevance).toBeGreaterThan(0);
    expect(first.relevance).toBeLessThanOrEqual(1);
  });

  it('labels internal articles in an agent search and leaves them out of a customer one', async () => {
    const q = 'I am locked out, unlock my account and reset the password';
    const all = await api().get('/api/kb/search').query({ q, limit: 20 }).expect(200);
    const internalHit = (all.body.hits as { articleId: string; audience: string }[]).find(
      (hit) => hit.articleId === 'kb-internal-unlock-account',
    );
    expect(internalHit?.audience).toBe('internal');
    const forCustomers = await api().get('/api/kb/search').query({ q, limit: 20, audience: 'customer' }).expect(200);
    expect(forCustomers.body.hits.length).toBeGreaterThan(0);
    for (const hit of forCustomers.body.hits as { audience: string }[]) expect(hit.audience).toBe('customer');
  });

  it('tolerates typos and word endings (fuzzy, prefix, stemming)', () => {
    const index = createKbIndex([
      {
        articleId: 'a1',
        title: 'Reset your password',
        body: 'Use the Forgot Password link on the login page.',
        tags: ['password'],
        source: 't',
      },
      {
        articleId: 'a2',
        title: 'Track an order',
        body: 'Open My Orders to see where your parcel is.',
        tags: ['order'],
        source: 't',
      },
    ]);
    expect(index.search('pasword resetting')[0]?.articleId).toBe('a1');
    expect(index.search('tracking my ordr')[0]?.articleId).toBe('a2');
    expect(index.search('   ')).toEqual([]);
  });
});

describe('editing articles', () => {
  it('creates, edits and deletes, and search follows each change', async () => {
    const created = await api()
      .post('/api/kb/articles')
      .send({
        title: 'Gift cards',
        body: 'Gift cards never expire. Redeem a gift card at checkout under "Payment".',
        tags: ['gift card'],
      })
      .expect(201);
    const id: string = created.body.article.articleId;
    expect(id).toMatch(/^kb-gift-cards-/);
    let found = await api().get('/api/kb/search').query({ q: 'redeem gift card' }).expect(200);
    expect(found.body.hits[0].articleId).toBe(id);

    await api()
      .put(`/api/kb/articles/${id}`)
      .send({ title: 'Vouchers', body: 'Vouchers are applied in the basket.', tags: ['voucher'] })
      .expect(200);
    found = await api().get('/api/kb/search').query({ q: 'redeem gift card' }).expect(200);
    expect(found.body.hits.map((hit: { articleId: string }) => hit.articleId)).not.toContain(id);
    found = await api().get('/api/kb/search').query({ q: 'voucher basket' }).expect(200);
    expect(found.body.hits[0].articleId).toBe(id);

    await api().delete(`/api/kb/articles/${id}`).expect(204);
    found = await api().get('/api/kb/search').query({ q: 'voucher basket' }).expect(200);
    expect(found.body.hits.map((hit: { articleId: string }) => hit.articleId)).not.toContain(id);
    await api().get(`/api/kb/articles/${id}`).expect(404);
    await api().delete(`/api/kb/articles/${id}`).expect(404);
  });

  it('names the bad field', async () => {
    const empty = await api().post('/api/kb/articles').send({ title: '', body: 'x' }).expect(400);
    expect(empty.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(empty.body.errors[0].path).toBe('/title');
    const noQuery = await api().get('/api/kb/search').expect(400);
    expect(noQuery.body.detail).toMatch(/^\/q:/);
    await api().post('/api/kb/articles').send({ articleId: 'kb-dup', title: 'A', body: 'B' }).expect(201);
    await api().post('/api/kb/articles').send({ articleId: 'kb-dup', title: 'A', body: 'B' }).expect(409);
  });
});
