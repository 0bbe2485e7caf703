/**
 * The journey list in real headless Chromium against the real stack, at 1440×900 and 1280×720: a
 * table with each journey's live version and traffic split (the `live` alias's routes, other aliases
 * beneath), the conversations it had in the last seven days (from the dashboard's measures) and when it
 * was updated and last published, by whom; the search box narrows it; Archive hides a journey
 * (the API keeps the flag), the Archived view lists it with Restore, and restoring brings it back.
 * Screenshots: test-artifacts/screenshots/journey-list-*.png.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { startBrowserStack, type BrowserStack } from '@baton/test-support/web-app';
import { seriousViolations } from './a11y-check';

const root = join(__dirname, '..');
const shots = join(root, 'test-artifacts', 'screenshots');
const example = (name: string) =>
  JSON.parse(readFileSync(join(root, 'examples', name, 'journey.json'), 'utf8')) as Record<string, unknown>;

jest.setTimeout(180_000);

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

const rows = () => page.locator('[data-testid="journey-table"] tbody tr');
const rowIds = () => rows().evaluateAll((els) => els.map((el) => el.getAttribute('data-journey')));
const traffic = (id: string) => page.locator(`tr[data-journey="${id}"] [data-testid="journey-traffic"]`).textContent();

it('searches, counts the last seven days and archives and restores, at 1440×900 and 1280×720', async () => {
  const api = () => request(server);
  for (const name of ['password-reset', 'faq']) {
    await api().post('/api/journeys').send(example(name)).expect(201);
    await api().post(`/api/journeys/${name}/publish`).send({ author: 'e2e', message: 'first' }).expect(201);
  }
  // A second version takes 10 % of the live traffic (a canary); beta points at it alone.
  const source = example('password-reset');
  await api()
    .put('/api/journeys/password-reset')
    .send({ ...source, description: 'Resets a password, now with a canary' })
    .expect(200);
  await api()
    .post('/api/journeys/password-reset/publish')
    .send({ author: 'Ana Designer', message: 'canary' })
    .expect(201);
  await api()
    .put('/api/journeys/password-reset/aliases/live')
    .send({
      routes: [
        { version: 1, percent: 90 },
        { version: 2, percent: 10 },
      ],
      author: 'e2e',
    })
    .expect((res) => expect([200, 201]).toContain(res.status));
  await api()
    .put('/api/journeys/password-reset/aliases/beta')
    .send({ version: 2, author: 'e2e' })
    .expect((res) => expect([200, 201]).toContain(res.status));
  for (const id of ['cust-l1', 'cust-l2'])
    await api()
      .post('/api/conversations')
      .send({ journeyId: 'password-reset', channel: 'web', customer: { id, name: 'Lee' } })
      .expect(201);

  for (const [width, height] of [
    [1440, 900],
    [1280, 720],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.goto(`${base}/#/`);
    await page.locator('tr[data-journey="faq"]').waitFor();
    expect((await rowIds()).sort()).toEqual(['faq', 'password-reset']);
    await page.waitForFunction(
      () =>
        (
          globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }
        ).document.querySelector('tr[data-journey="password-reset"] [data-testid="journey-traffic"]')?.textContent ===
        '2',
    );
    expect(await traffic('faq')).toBe('0');
    const live = page.locator('tr[data-journey="password-reset"] [data-testid="journey-live"]');
    // One route never wraps (no-break spaces inside it).
    expect(await live.textContent()).toBe('v1\u00a090\u00a0% · v2\u00a010\u00a0%beta → v2');
    expect(await page.locator('tr[data-journey="faq"] [data-testid="journey-live"]').textContent()).toBe('v1');
    expect(
      await page
        .locator('tr[data-journey="password-reset"] [data-testid="journey-updated"] .muted')
        .first()
        .textContent(),
    ).toMatch(/^published v2 \d.* by Ana Designer$/);
    expect(await page.getByRole('columnheader', { name: 'Conversations, last 7 days' }).count()).toBe(1);
    // No sideways scroll.
    const scroll = await page.evaluate(() => {
      const d = (
        globalThis as unknown as { document: { scrollingElement: { scrollWidth: number; clientWidth: number } } }
      ).document.scrollingElement;
      return d.scrollWidth - d.clientWidth;
    });
    expect(scroll).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(shots, `journey-list-${width}x${height}.png`) });
  }

  // The search narrows the list by name, id or description; a search that finds nothing says so.
  await page.getByLabel('Search journeys').fill('password');
  expect(await rowIds()).toEqual(['password-reset']);
  await page.getByLabel('Search journeys').fill('no such thing');
  await page.getByTestId('journey-none').waitFor();
  await page.getByLabel('Search journeys').fill('');

  // Archive hides it; the API keeps the flag; the Archived view restores it.
  await page.getByRole('button', { name: 'Archive Password reset' }).click();
  await page.locator('tr[data-journey="password-reset"]').waitFor({ state: 'detached' });
  expect(await rowIds()).toEqual(['faq']);
  const listed = await api().get('/api/journeys').expect(200);
  const archived = (listed.body.journeys as { id: string; archivedAt?: string }[]).find(
    (j) => j.id === 'password-reset',
  );
  expect(archived?.archivedAt).toEqual(expect.any(String));
  await page.getByLabel('Archived (1)').check();
  expect(await rowIds()).toEqual(['password-reset']);
  expect(await page.getByTestId('journey-archived').textContent()).toMatch(/^archived \d/);
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: join(shots, 'journey-list-archived-1280x720.png') });
  await page.getByRole('button', { name: 'Restore Password reset' }).click();
  await page.getByText('No archived journeys.').waitFor();
  await page.getByLabel('Archived (0)').uncheck();
  expect((await rowIds()).sort()).toEqual(['faq', 'password-reset']);
  // Still restored after a reload (the server's flag, not the page's).
  await page.reload();
  await page.locator('tr[data-journey="password-reset"]').waitFor();
  expect(pageErrors).toEqual([]);
});
