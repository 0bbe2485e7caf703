/**
 * The designer's canvas in real headless Chromium at two window sizes (1440×900, 1280×720), on the
 * password-reset example: the canvas gets the room with nothing selected, a journey opens at a
 * readable zoom on its start, the map never covers a node, the inspector is a drawer over the canvas,
 * undo back to the saved state is clean, publishing asks for a message and says when nothing changed,
 * and a read-only version offers no editing.
 * Screenshots: test-artifacts/screenshots/designer-canvas-*.png.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { webApp, serve, collectPageErrors } from '@baton/test-support/web-app';
import { startTestStack, type TestStack } from '@baton/test-support/stack';
import { launchChromium, ensureWebAppBuilt } from '@baton/test-support/browser';

const root = join(__dirname, '..');
const shots = join(root, 'test-artifacts', 'screenshots');

jest.setTimeout(240_000);

let stack: TestStack;
let server: Server;
let base: string;
let browser: Browser;
const pageErrors: string[] = [];

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

beforeAll(async () => {
  ensureWebAppBuilt();
  mkdirSync(shots, { recursive: true });
  stack = await startTestStack();
  ({ server, base } = await serve(webApp(stack)));
  browser = await launchChromium();
  const journey = JSON.parse(readFileSync(join(root, 'examples', 'password-reset', 'journey.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  for (const id of ['canvas-1440', 'canvas-1280']) {
    const created = await fetch(`${base}/api/journeys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...journey, id, name: `Password reset ${id}` }),
    });
    expect(created.status).toBe(201);
  }
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await stack?.stop();
});

/** The canvas's zoom, as React Flow draws it (the viewport's CSS scale). */
async function zoomOf(page: Page): Promise<number> {
  const transform = await page
    .locator('.react-flow__viewport')
    .evaluate((el) => (el as unknown as { style: { transform: string } }).style.transform);
  return Number(/scale\(([\d.]+)\)/.exec(transform)![1]);
}

async function nodeBoxes(page: Page): Promise<Box[]> {
  const boxes: Box[] = [];
  for (const node of await page.locator('.react-flow__node').all()) {
    const box = await node.boundingBox();
    if (box) boxes.push(box);
  }
  return boxes;
}

/** Waits until the viewport stops moving (the open and the refits animate). */
async function settled(page: Page): Promise<void> {
  let before = '';
  for (;;) {
    const now = await page
      .locator('.react-flow__viewport')
      .evaluate((el) => (el as unknown as { style: { transform: string } }).style.transform);
    if (now === before) return;
    before = now;
    await page.waitForTimeout(300);
  }
}

describe.each([
  { width: 1440, height: 900, id: 'canvas-1440' },
  { width: 1280, height: 720, id: 'canvas-1280' },
])('the canvas at $width×$height', ({ width, height, id }) => {
  let page: Page;
  const shot = (name: string) => page.screenshot({ path: join(shots, `designer-canvas-${width}-${name}.png`) });

  beforeAll(async () => {
    page = await browser.newPage({ viewport: { width, height } });
    collectPageErrors(page, pageErrors);
    page.on('response', (response) => {
      const expected = response.status() === 404 && new URL(response.url()).pathname === '/api/auth/me';
      if (response.status() >= 400 && !expected) pageErrors.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(`${base}/#/journeys/${id}`);
    try {
      await page.locator('.react-flow__node').first().waitFor();
    } catch (error) {
      await shot('failed-open');
      throw new Error(`the journey did not open: ${pageErrors.join('; ')}`, { cause: error });
    }
    await settled(page);
  });
  afterAll(() => page?.close());

  test('opens with the room for the canvas, readable, on its start, the map beside it', async () => {
    await shot('open');
    const pane = (await page.locator('.react-flow').boundingBox())!;
    // Nothing selected: no drawer, the tools folded.
    expect(await page.locator('[data-testid="drawer"]').count()).toBe(0);
    expect(pane.width).toBeGreaterThanOrEqual(width === 1440 ? 1000 : 0.78 * width);
    expect(await zoomOf(page)).toBeGreaterThanOrEqual(0.6);
    const start = (await page.locator('.react-flow__node-start').boundingBox())!;
    expect(overlaps(start, pane)).toBe(true);
    expect(start.x).toBeGreaterThanOrEqual(pane.x);
    expect(start.y + start.height).toBeLessThanOrEqual(pane.y + pane.height);
    // The map: small, never over a node nor over the canvas.
    const map = (await page.locator('.react-flow__minimap').boundingBox())!;
    expect(map.width * map.height).toBeLessThan(0.05 * pane.width * pane.height);
    expect(overlaps(map, pane)).toBe(false);
    for (const box of await nodeBoxes(page)) expect(overlaps(map, box)).toBe(false);
    // …and hideable.
    await page.getByRole('button', { name: 'Hide map' }).click();
    expect(await page.locator('.react-flow__minimap').count()).toBe(0);
    await page.getByRole('button', { name: 'Show map' }).click();
    await page.locator('.react-flow__minimap').waitFor();
  });

  test('a selected node opens the inspector as a drawer over the canvas; panels folding refit the view', async () => {
    const paneBefore = (await page.locator('.react-flow').boundingBox())!;
    await page.locator('.react-flow__node-start').click();
    const drawer = (await page.locator('[data-testid="drawer"]').boundingBox())!;
    await page.locator('[data-testid="drawer"] [data-testid="inspector"]').waitFor();
    const paneWith = (await page.locator('.react-flow').boundingBox())!;
    expect(paneWith.width).toBe(paneBefore.width); // over the canvas, not beside it
    expect(drawer.x).toBeGreaterThan(paneWith.x);
    expect(drawer.x + drawer.width).toBeLessThanOrEqual(paneWith.x + paneWith.width + 1);
    await shot('drawer');
    await page.keyboard.press('Escape');
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: paneWith.height - 5 } });
    await page.locator('[data-testid="drawer"]').waitFor({ state: 'detached' });

    // Opening the tools narrows the canvas: the view refits, still readable.
    await page.locator('[data-testid="tab-simulator"]').click();
    await page.waitForTimeout(400);
    await settled(page);
    const narrow = (await page.locator('.react-flow').boundingBox())!;
    expect(narrow.width).toBeLessThan(paneBefore.width);
    expect(await zoomOf(page)).toBeGreaterThanOrEqual(0.6);
    const start = (await page.locator('.react-flow__node-start').boundingBox())!;
    expect(start.x).toBeGreaterThanOrEqual(narrow.x);
    expect(start.x + start.width).toBeLessThanOrEqual(narrow.x + narrow.width);
    await shot('tools-open');
    await page.getByTitle('Hide the tools').click();
    await page.getByRole('button', { name: 'hide palette' }).click();
    await page.waitForTimeout(400);
    await settled(page);
    const wide = (await page.locator('.react-flow').boundingBox())!;
    expect(wide.width).toBeGreaterThan(paneBefore.width);
    expect(await zoomOf(page)).toBeGreaterThanOrEqual(0.6);
    await page.getByRole('button', { name: 'show palette' }).click();
  });

  test('problems name nodes by label and agree with the toolbar count', async () => {
    await page.getByRole('button', { name: 'problems' }).click();
    const title = await page.locator('[data-testid="problems-count"]').textContent();
    const errors = Number(/(\d+) error/.exec(title!)![1]);
    expect(await page.locator('[data-testid="error-count"]').textContent()).toBe(
      `${errors} error${errors === 1 ? '' : 's'}`,
    );
    expect(await page.locator('[data-testid="problems"] li.error').count()).toBe(errors);
    await page.getByRole('button', { name: 'close problems' }).click();
  });

  test("the journey's settings open in the drawer, the variables as a table", async () => {
    await page.getByTestId('journey-settings-toggle').click();
    await page.locator('[data-testid="drawer"] [data-testid="variables"]').waitFor();
    expect(await page.getByLabel('type of attempts').inputValue()).toBe('number');
    expect(await page.getByLabel('default of attempts').inputValue()).toBe('0');
    await shot('settings');
    await page.getByTestId('journey-settings-toggle').click();
    await page.locator('[data-testid="drawer"]').waitFor({ state: 'detached' });
  });

  test('undo back to the saved draft is clean; publish asks for a message and says when nothing changed', async () => {
    await page.locator('[data-testid="save-state"]', { hasText: /^saved$/ }).waitFor();
    const node = page.locator('.react-flow__node').nth(1);
    const box = (await node.boundingBox())!;
    await page.mouse.move(box.x + 40, box.y + 10);
    await page.mouse.down();
    await page.mouse.move(box.x + 120, box.y + 90, { steps: 6 });
    await page.mouse.up();
    await page.locator('[data-testid="save-state"]', { hasText: 'unsaved changes' }).waitFor();
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+z');
    await page.locator('[data-testid="save-state"]', { hasText: /^saved$/ }).waitFor();

    await page.getByRole('button', { name: 'Publish…' }).click();
    const dialog = page.locator('[data-testid="publish-dialog"]');
    const submit = dialog.locator('button[type="submit"]');
    expect(await submit.isDisabled()).toBe(true); // the message is required
    await dialog.locator('textarea[name="publish-message"]').fill('First version from the canvas test');
    await shot('publish-dialog');
    await submit.click();
    await page.locator('[data-testid="status"]', { hasText: `Published ${id}@1` }).waitFor();
    const versions = (await (await fetch(`${base}/api/journeys/${id}/versions`)).json()) as {
      versions: { version: number; message?: string }[];
    };
    expect(versions.versions.find((v) => v.version === 1)?.message).toBe('First version from the canvas test');

    await page.getByRole('button', { name: 'Publish…' }).click();
    await dialog.locator('textarea[name="publish-message"]').fill('Again, unchanged');
    await submit.click();
    await page.locator('[data-testid="status"]', { hasText: 'No changes since v1' }).waitFor();
  });

  test('a read-only version offers no palette, layout, save or publish', async () => {
    await page.locator('[data-testid="tab-versions"]').click();
    await page.locator('[data-testid="version-1"] button', { hasText: 'Open' }).click();
    await page.locator('[data-testid="back-to-draft"]').waitFor();
    expect(await page.locator('.palette').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Layout' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Save draft' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Publish…' }).count()).toBe(0);
    await shot('read-only');
    await page.locator('[data-testid="back-to-draft"]').click();
    await page.getByRole('button', { name: 'Save draft' }).waitFor();
    expect(pageErrors).toEqual([]);
  });

  test('auto-layout top to bottom puts the handles top and bottom, compact and readable', async () => {
    await page.getByLabel('layout direction').selectOption('DOWN');
    await page.getByRole('button', { name: 'Layout' }).click();
    await page.waitForTimeout(500);
    await settled(page);
    expect(await zoomOf(page)).toBeGreaterThanOrEqual(0.6);
    const ask = page.locator('.react-flow__node-ask').first();
    const box = (await ask.boundingBox())!;
    const input = (await ask.locator('.react-flow__handle.target').boundingBox())!;
    expect(Math.abs(input.y + input.height / 2 - box.y)).toBeLessThan(6); // on the top edge
    for (const out of await ask.locator('.react-flow__handle.source').all()) {
      const handle = (await out.boundingBox())!;
      expect(Math.abs(handle.y + handle.height / 2 - (box.y + box.height))).toBeLessThan(6); // on the bottom edge
    }
    // The node after the ask's reply is below it, not beside it.
    const start = (await page.locator('.react-flow__node-start').boundingBox())!;
    expect(box.y).toBeGreaterThan(start.y + start.height);
    await shot('layout-down');
    await page.getByLabel('layout direction').selectOption('RIGHT');
    await page.getByRole('button', { name: 'Layout' }).click();
    await page.waitForTimeout(500);
    await settled(page);
    expect(await zoomOf(page)).toBeGreaterThanOrEqual(0.6);
    const right = (await ask.boundingBox())!;
    const rightInput = (await ask.locator('.react-flow__handle.target').boundingBox())!;
    expect(Math.abs(rightInput.x + rightInput.width / 2 - right.x)).toBeLessThan(6); // on the left edge
    await shot('layout-right');
  });
});
