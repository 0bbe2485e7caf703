/**
 * The knowledge base page in real headless Chromium against the real stack, at the two screens ops
 * teams use (1440×900 and 1280×720): filter the list by tag and by audience, open an article in the
 * editor pane, see the Markdown preview (an article's `<script>` stays text), change every field and
 * save; the API holds what was typed. Screenshots go to the system temp dir, never into the tree.
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import request from 'supertest';
import { startBrowserStack, type BrowserStack } from '@baton/test-support/web-app';

const shots = join(tmpdir(), 'baton-kb-screenshots');

jest.setTimeout(240_000);

let web: BrowserStack;
let server: Server;
let base: string;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  web = await startBrowserStack();
  ({ server, base, page, pageErrors } = web);
});

afterAll(async () => {
  await web?.stop();
});

const api = () => request(server);

const articles = [
  {
    articleId: 'kb-e2e-refunds',
    title: 'Refunds over 500 EUR need a lead',
    body: 'Ask a **team lead** before approving.\n\n<script>window.kbPwned = true</script>',
    tags: ['e2e-billing'],
    audience: 'internal',
  },
  {
    articleId: 'kb-e2e-invoice',
    title: 'Download an invoice',
    body: '# Invoices\n\nOpen *Billing*, then:\n\n- Invoices\n- Download',
    tags: ['e2e-billing', 'invoices'],
    audience: 'customer',
  },
  {
    articleId: 'kb-e2e-login',
    title: 'Sign in with SSO',
    body: 'Use your company account.',
    tags: ['e2e-account'],
    audience: 'customer',
  },
];

const rowIds = () => page.locator('.kb-list li').evaluateAll((els) => els.map((el) => el.getAttribute('data-article')));

/** The element is wholly inside the window. */
async function expectInView(locator: Locator): Promise<void> {
  const viewport = page.viewportSize()!;
  const found = await locator.boundingBox();
  if (!found) throw new Error('not rendered');
  expect(found.x).toBeGreaterThanOrEqual(0);
  expect(found.y).toBeGreaterThanOrEqual(0);
  expect(found.x + found.width).toBeLessThanOrEqual(viewport.width);
  expect(found.y + found.height).toBeLessThanOrEqual(viewport.height);
}

it('filters by tag and audience and edits an article, at 1440×900 and 1280×720', async () => {
  await api().post('/api/kb/import').send({ articles }).expect(200);

  for (const [width, height] of [
    [1440, 900],
    [1280, 720],
  ] as const) {
    await page.setViewportSize({ width, height });
    // A fresh page each time, so no filter or selection carries over.
    if (width === 1440) await page.goto(`${base}/#/kb`);
    else await page.reload();
    await page.locator('.kb-list li[data-article="kb-e2e-login"]').waitFor();
    await page.screenshot({ path: join(shots, `kb-list-${width}x${height}.png`) });

    await page.getByLabel('Tag', { exact: true }).selectOption('e2e-billing');
    await page.locator('.kb-list li').nth(1).waitFor();
    expect((await rowIds()).sort()).toEqual(['kb-e2e-invoice', 'kb-e2e-refunds']);
    await page.getByLabel('Audience filter').selectOption('internal');
    expect(await rowIds()).toEqual(['kb-e2e-refunds']);
    await expect(page.locator('.kb-list li .kb-badge').first().textContent()).resolves.toBe('Internal');
    await page.getByLabel('Audience filter').selectOption('customer');
    expect(await rowIds()).toEqual(['kb-e2e-invoice']);

    await page.locator('.kb-list li[data-article="kb-e2e-invoice"] button').click();
    const preview = page.getByTestId('kb-preview');
    await preview.getByRole('heading', { name: 'Invoices' }).waitFor();
    expect(await preview.locator('li').count()).toBe(2);
    // The editor, its preview and Save fit in the window beside the list.
    await expectInView(page.getByLabel('Body', { exact: true }));
    await expectInView(preview);
    await expectInView(page.getByRole('button', { name: 'Save', exact: true }));
    await page.screenshot({ path: join(shots, `kb-${width}x${height}.png`) });
  }

  // Edit the customer article: every field, and the preview follows the body as it is typed.
  await page.getByLabel('Title', { exact: true }).fill('Download an invoice (PDF)');
  await page.getByLabel('Body', { exact: true }).fill('## Steps\n\n1. Open **Billing**\n2. Click [Invoices](/billing)');
  await page.getByTestId('kb-preview').getByRole('link', { name: 'Invoices' }).waitFor();
  await page.getByLabel('Audience', { exact: true }).selectOption('internal');
  await page.getByLabel('Tags', { exact: true }).fill('e2e-billing, pdf');
  await page.getByLabel('Locale', { exact: true }).fill('en-GB');
  await page.getByLabel('Link', { exact: true }).fill('https://help.example.com/invoices');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.locator('.good', { hasText: 'Saved kb-e2e-invoice' }).waitFor();
  const saved = await api().get('/api/kb/articles/kb-e2e-invoice').expect(200);
  expect(saved.body.article).toMatchObject({
    title: 'Download an invoice (PDF)',
    body: '## Steps\n\n1. Open **Billing**\n2. Click [Invoices](/billing)',
    tags: ['e2e-billing', 'pdf'],
    audience: 'internal',
    locale: 'en-GB',
    link: 'https://help.example.com/invoices',
  });
  // Now internal, it leaves the customer filter and joins the internal one.
  await page.locator('.kb-list li[data-article="kb-e2e-invoice"]').waitFor({ state: 'detached' });
  await page.getByLabel('Audience filter').selectOption('internal');
  expect((await rowIds()).sort()).toEqual(['kb-e2e-invoice', 'kb-e2e-refunds']);
  await page.screenshot({ path: join(shots, 'kb-saved-1280x720.png') });

  // An article's <script> is shown as text in the preview and never runs.
  await page.locator('.kb-list li[data-article="kb-e2e-refunds"] button').click();
  await page.getByTestId('kb-preview').getByText('<script>window.kbPwned = true</script>').waitFor();
  expect(await page.evaluate(() => (globalThis as unknown as { kbPwned?: boolean }).kbPwned)).toBeUndefined();
  expect(pageErrors).toEqual([]);
});
