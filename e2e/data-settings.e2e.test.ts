/**
 * Settings → "Data retention" and "Erase a customer" in real headless Chromium against the real stack,
 * at 1440×900 and 1280×720: the retention panel shows the global value and a per-journey override and
 * saves them (the API keeps them), its dry run lists what would go; the erasure panel says an unknown
 * customer is unknown, lists a customer's records in a dry run (counts and ids), erases only once the
 * id is typed again, and shows the erasure's progress to the end. axe-core finds nothing serious.
 * Screenshots: test-artifacts/screenshots/data-settings-*.png.
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
const journey = JSON.parse(readFileSync(join(root, 'examples', 'password-reset', 'journey.json'), 'utf8')) as Record<
  string,
  unknown
>;

jest.setTimeout(240_000);

let web: BrowserStack;
let server: Server;
let base: string;
let page: Page;
let pageErrors: string[];
let conversationId: string;
const customer = { id: 'cust-e2e-erase', name: 'Erin Erase', email: 'erin@example.com' };

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  web = await startBrowserStack();
  ({ server, base, page, pageErrors } = web);
  const api = () => request(server);
  await api().post('/api/journeys').send(journey).expect(201);
  await api().post('/api/journeys/password-reset/publish').send({ author: 'e2e' }).expect(201);
  const started = await api()
    .post('/api/conversations')
    .send({ journeyId: 'password-reset', channel: 'web', customer })
    .expect(201);
  conversationId = started.body.conversationId as string;
  await api()
    .post(`/api/conversations/${conversationId}/messages`)
    .send({ clientMessageId: 'c1', text: 'I forgot my password' })
    .expect(201);
});

afterAll(async () => {
  await web?.stop();
});

it('sets the retention (global and per journey) and shows its dry run', async () => {
  await page.goto(`${base}/#/settings`);
  await page.getByRole('heading', { name: 'Data retention' }).waitFor();
  await page.getByLabel('Every journey (days)').fill('365');
  await page.getByRole('button', { name: 'Add a journey override' }).click();
  await page.getByLabel('Days for password-reset').fill('30');
  await page.getByRole('button', { name: 'Save retention' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  const saved = await request(server).get('/api/settings/retention').expect(200);
  expect(saved.body).toMatchObject({ defaultDays: 365, journeys: { 'password-reset': 30 } });
  await page.getByRole('button', { name: 'Dry run of the next retention run' }).click();
  await page.getByTestId('retention-preview').getByText('password-reset (30 days): 0').waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  for (const [width, height] of [
    [1440, 900],
    [1280, 720],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.getByRole('heading', { name: 'Data retention' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, `data-settings-retention-${width}x${height}.png`) });
  }
});

it('erases a customer: unknown said, dry run listed, confirmed by the id, progress to the end', async () => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const section = page.locator('section[aria-labelledby="erasure-title"]');
  await section.getByLabel('Customer id').fill('cust-nobody');
  await section.getByRole('button', { name: 'Dry run' }).click();
  await section.getByRole('alert').filter({ hasText: 'No data is stored about customer "cust-nobody".' }).waitFor();

  await section.getByLabel('Customer id').fill(customer.id);
  await section.getByRole('button', { name: 'Dry run' }).click();
  const dry = section.getByTestId('erasure-dry-run');
  await dry.getByText(conversationId).waitFor();
  await dry.getByText('1 open conversation is ended first').waitFor();
  const erase = section.getByRole('button', { name: `Erase ${customer.id}` });
  expect(await erase.isDisabled()).toBe(true);
  await section.getByLabel('Type the customer id to confirm').fill('cust-e2e');
  expect(await erase.isDisabled()).toBe(true);
  await section.getByLabel('Type the customer id to confirm').fill(customer.id);
  expect(await seriousViolations(page)).toEqual([]);
  for (const [width, height] of [
    [1440, 900],
    [1280, 720],
  ] as const) {
    await page.setViewportSize({ width, height });
    await section.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, `data-settings-erasure-dry-run-${width}x${height}.png`) });
  }
  await erase.click();
  await section
    .getByTestId('erasure-progress')
    .getByText('Erased: 1 conversation, 1 ended first, 0 tickets, 1 workflow history.')
    .waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  for (const [width, height] of [
    [1440, 900],
    [1280, 720],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: join(shots, `data-settings-erasure-done-${width}x${height}.png`) });
  }
  expect(await web.stack.store.getConversation(conversationId)).toBeNull();
  expect(pageErrors).toEqual([]);
});
