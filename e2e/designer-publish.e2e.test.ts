/**
 * The publish dialog in real headless Chromium at 1440×900 and 1280×720: with nothing changed since
 * the latest version it says "No changes since v1" before anyone publishes; after a change it lists
 * the changed node by its label and the fields; the message is required; axe-core finds no serious
 * or critical violation in the dialog. Screenshots: test-artifacts/screenshots/designer-publish-*.png.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { startBrowserStack, type BrowserStack } from '@baton/test-support/web-app';
import { seriousViolations } from './a11y-check';

const root = join(__dirname, '..');
const shots = join(root, 'test-artifacts', 'screenshots');
const source = JSON.parse(readFileSync(join(root, 'examples', 'password-reset', 'journey.json'), 'utf8')) as {
  nodes: { id: string; type: string; data: Record<string, unknown> }[];
} & Record<string, unknown>;

jest.setTimeout(180_000);

let web: BrowserStack;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  web = await startBrowserStack();
});

afterAll(async () => {
  await web?.stop();
});

it('says "no changes since v1", then lists the change, requires a message and passes axe', async () => {
  const { page, base } = web;
  const api = () => request(web.server);
  await api().post('/api/journeys').send(source).expect(201);
  await api().post('/api/journeys/password-reset/publish').send({ author: 'e2e', message: 'first' }).expect(201);

  const dialog = page.locator('[data-testid="publish-dialog"]');
  for (const [width, height] of [
    [1440, 900],
    [1280, 720],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.goto(`${base}/#/journeys/password-reset`);
    await page.reload();
    await page.getByRole('button', { name: 'Publish…' }).click();
    await dialog.getByTestId('publish-nochange').waitFor();
    expect(await dialog.getByTestId('publish-nochange').textContent()).toMatch(/^No changes since v1/);
    // The message is required: Publish stays disabled until there is one.
    expect(await dialog.getByRole('button', { name: 'Publish' }).isDisabled()).toBe(true);
    expect(await seriousViolations(page, '[data-testid="publish-dialog"]')).toEqual([]);
    const box = (await dialog.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(height);
    await page.screenshot({ path: join(shots, `designer-publish-nochange-${width}x${height}.png`) });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  }

  // A changed message in one node: the dialog names it by its label and the field that changed.
  const changed = structuredClone(source);
  const message = changed.nodes.find((n) => n.type === 'message')!;
  message.data.text = 'A new wording of this message.';
  await api().put('/api/journeys/password-reset').send(changed).expect(200);
  for (const [width, height] of [
    [1440, 900],
    [1280, 720],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.reload();
    await page.getByRole('button', { name: 'Publish…' }).click();
    const changes = dialog.getByTestId('publish-changes');
    await changes.waitFor();
    expect(await changes.textContent()).toContain('Changes since v1');
    expect(await changes.locator('li.changed').first().textContent()).toMatch(/changed node .*data\.text/);
    expect(await seriousViolations(page, '[data-testid="publish-dialog"]')).toEqual([]);
    await page.screenshot({ path: join(shots, `designer-publish-changes-${width}x${height}.png`) });
    if (width === 1280) break;
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  }
  await dialog.locator('textarea[name="publish-message"]').fill('New wording');
  await dialog.getByRole('button', { name: 'Publish' }).click();
  await page.locator('[data-testid="status"]', { hasText: 'Published password-reset@2' }).waitFor();
  const versions = await api().get('/api/journeys/password-reset/versions').expect(200);
  expect(versions.body.versions.map((v: { message?: string }) => v.message)).toContain('New wording');
  expect(web.pageErrors).toEqual([]);
});
