/**
 * The widget's quick replies in real headless Chromium against the real stack: the FAQ example journey
 * answers from the knowledge base and asks "Did that answer your question?" with Yes / No, which the
 * widget shows as buttons under the question; choosing No sends it as the customer's reply, the
 * buttons go, and the handoff that follows reads "Waiting for an agent…". The answer's article link
 * (/kb/<id>) is a real link. Screenshots at 1440×900 and
 * 1280×720: test-artifacts/screenshots/widget-quick-*.png.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { startBrowserStack, type BrowserStack } from '@baton/test-support/web-app';
import type { TestStack } from '@baton/test-support/stack';

const root = join(__dirname, '..');
const shots = join(root, 'test-artifacts', 'screenshots');
const journey = JSON.parse(readFileSync(join(root, 'examples', 'faq', 'journey.json'), 'utf8')) as Record<
  string,
  unknown
>;

jest.setTimeout(180_000);

let web: BrowserStack;
let stack: TestStack;
let server: Server;
let base: string;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  web = await startBrowserStack();
  ({ stack, server, base, page, pageErrors } = web);
});

afterAll(async () => {
  await web?.stop();
});

const widget = (selector: string, options?: { hasText: string }) =>
  page.locator(`[data-baton-widget] ${selector}`, options);

it('offers Yes / No as buttons; a choice is sent as the reply and the buttons go', async () => {
  const api = () => request(server);
  await api().post('/api/journeys').send(journey).expect(201);
  await api().post('/api/journeys/faq/publish').send({ author: 'e2e' }).expect(201);
  await api()
    .post('/api/kb/import')
    .send({
      articles: [
        {
          articleId: 'kb-returns',
          title: 'Return an item',
          body: 'To return an item, print the return label from My orders and drop the parcel at any post office within 30 days. The refund reaches your card five days after the parcel arrives.',
          tags: ['returns', 'refund'],
          audience: 'customer',
        },
      ],
    })
    .expect(200);
  // A page of the shop with the widget on the FAQ journey (same origin as the API).
  await page.route(`${base}/faq-shop.html`, (route) =>
    route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><html lang="en"><head><title>Shop</title></head><body><h1>Shop</h1>
<script src="${base}/widget.js" data-journey="faq" data-api="${base}" data-customer-id="cust-q1" data-customer-name="Ada Byron" data-title="Help" async></script></body></html>`,
    }),
  );
  await page.goto(`${base}/faq-shop.html`);
  await widget('.launcher').click();
  await widget('.msg.bot').first().waitFor();
  await widget('textarea').fill('How do I return an item I bought, and when is my refund paid?');
  await widget('form button').click();

  const choices = widget('.quick button');
  await choices.first().waitFor();
  expect(await choices.allTextContents()).toEqual(['Yes', 'No']);
  // The buttons sit under the question they answer.
  const question = widget('.msg.bot', { hasText: 'Did that answer your question?' });
  // The answer's article is a real link (built as an element, never HTML), opening in a new tab.
  const articleLink = widget('.msg.bot .text a', { hasText: '/kb/kb-returns' });
  await articleLink.waitFor();
  expect(await articleLink.getAttribute('href')).toBe('/kb/kb-returns');
  expect(await articleLink.getAttribute('target')).toBe('_blank');
  expect(await articleLink.getAttribute('rel')).toBe('noopener noreferrer');
  expect(await widget('.msg.bot', { hasText: 'Return an item: /kb/kb-returns' }).count()).toBe(1);
  const questionBox = await question.boundingBox();
  const buttonsBox = await widget('.quick').boundingBox();
  expect(buttonsBox!.y).toBeGreaterThanOrEqual(questionBox!.y + questionBox!.height);
  for (const viewport of [
    { width: 1440, height: 900 },
    { width: 1280, height: 720 },
  ]) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: join(shots, `widget-quick-${viewport.width}.png`) });
  }

  await widget('.quick button', { hasText: 'No' }).click();
  await widget('.msg.customer:not(.pending)', { hasText: 'No' }).waitFor();
  expect(await widget('.quick').count()).toBe(0);
  await widget('.waiting.on', { hasText: 'Waiting for an agent…' }).waitFor();
  await page.screenshot({ path: join(shots, 'widget-quick-after.png') });
  const conversations = await stack.store.listConversations({});
  const mine = conversations.find((c) => c.customer.id === 'cust-q1');
  expect(mine?.transcript.filter((entry) => entry.from === 'customer').map((entry) => entry.text)).toEqual([
    'How do I return an item I bought, and when is my refund paid?',
    'No',
  ]);
  expect(pageErrors).toEqual([]);
});
