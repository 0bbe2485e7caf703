/**
 * The designer end to end, in real headless Chromium (Debian's `chromium`, driven by playwright-core),
 * against the real stack: an in-process API serving the built designer (`designer/dist`), a real
 * Temporal worker, the Mongo-wire server. A journey is built from an empty canvas by dragging from
 * the palette and connecting handles, shows a validation error, is fixed, saved and published, and a
 * conversation started over HTTP on it says the designed message.
 * Screenshots of each step: test-artifacts/screenshots/designer-*.png.
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { webApp, serve, collectPageErrors } from '@baton/test-support/web-app';
import { startTestStack, type TestStack } from '@baton/test-support/stack';
import { launchChromium, ensureWebAppBuilt, waitForCount } from '@baton/test-support/browser';

const root = join(__dirname, '..');
const shots = join(root, 'test-artifacts', 'screenshots');

jest.setTimeout(180_000);

let stack: TestStack;
let server: Server;
let base: string;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  ensureWebAppBuilt();
  mkdirSync(shots, { recursive: true });
  stack = await startTestStack();
  const app = webApp(stack);
  ({ server, base } = await serve(app));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  collectPageErrors(page, pageErrors);
  page.on('response', (response) => {
    // Without access control the API has no sign-in routes: the web app reads that 404 as "access control off" (api.ts).
    const expected = response.status() === 404 && new URL(response.url()).pathname === '/api/auth/me';
    if (response.status() >= 400 && !expected) pageErrors.push(`${response.status()} ${response.url()}`);
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await stack?.stop();
});

const shot = (name: string) => page.screenshot({ path: join(shots, `designer-${name}.png`) });

/** Node width on the canvas (styles.css .bnode) plus a gap, so that dropped nodes never overlap. */
const column = 250;

/**
 * Drags a palette item onto the canvas into `slot` (0, 1, 2…: columns from the canvas's left edge) at
 * `down` (a fraction of the canvas's height), and answers the new node's id. Positions come from the
 * canvas's own box, so the panels around it (palette, inspector, tools) can change width.
 */
async function dropFromPalette(selector: string, slot: number, down: number): Promise<string> {
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  const x = 30 + slot * column;
  expect(x + column).toBeLessThanOrEqual(pane.width); // the canvas is wide enough for the journey drawn here
  const before = await page.$$eval('.react-flow__node', (els) => els.map((el) => el.getAttribute('data-id')));
  await page.dragAndDrop(`.palette ${selector}`, '.react-flow__pane', {
    targetPosition: { x, y: Math.round(pane.height * down) },
  });
  await waitForCount(page, '.react-flow__node', before.length + 1);
  const after = await page.$$eval('.react-flow__node', (els) => els.map((el) => el.getAttribute('data-id')));
  const id = after.find((nodeId) => !before.includes(nodeId))!;
  // The node landed where it was dropped, inside the canvas.
  const box = (await page.locator(`.react-flow__node[data-id="${id}"]`).boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(pane.x);
  expect(box.x + box.width).toBeLessThanOrEqual(pane.x + pane.width);
  return id;
}

async function connect(source: string, handle: string, target: string, timeout = 10_000): Promise<void> {
  const from = page.locator(`.react-flow__node[data-id="${source}"] .react-flow__handle[data-handleid="${handle}"]`);
  const to = page.locator(`.react-flow__node[data-id="${target}"] .react-flow__handle.target`);
  const a = (await from.boundingBox())!;
  // Start has no input handle: aim at the node itself.
  const b = (
    (await to.count()) > 0
      ? await to.boundingBox()
      : await page.locator(`.react-flow__node[data-id="${target}"]`).boundingBox()
  )!;
  const edges = await page.locator('.react-flow__edge').count();
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2 + 20, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
  try {
    await waitForCount(page, '.react-flow__edge', edges + 1, timeout);
  } catch (error) {
    if (timeout >= 10_000) await shot(`failed-connect-${handle}`);
    throw error;
  }
}

async function fill(nodeId: string, field: string, value: string): Promise<void> {
  await page.locator(`.react-flow__node[data-id="${nodeId}"]`).click({ position: { x: 30, y: 12 } });
  await page.locator(`[data-testid="inspector"] [name="${field}"]`).fill(value);
}

test('build a journey from an empty canvas, fix its error, publish it and run it', async () => {
  await page.goto(`${base}/#/journeys`);
  await page.getByRole('button', { name: 'New journey' }).waitFor();
  await shot('01-journeys');

  await page.getByRole('button', { name: 'New journey' }).click();
  await page.locator('.palette').waitFor();
  const journeyId = decodeURIComponent(/#\/journeys\/(.+)$/.exec(page.url())![1]!);
  expect(journeyId).toMatch(/^journey-[a-z0-9]+$/);
  await page.locator('[aria-label="journey name"]').fill('Designed in the browser');
  // The activity catalog of the workers is in the palette, and searchable.
  await page.locator('.palette [data-activity]').first().waitFor();
  await page.locator('[aria-label="search palette"]').fill('mess');
  expect(await page.locator('.palette [data-kind]').count()).toBe(1);
  await page.locator('[aria-label="search palette"]').fill('');
  // The tools (simulator, versions…) start folded: the canvas has room for four nodes in a row.
  await page.locator('[data-testid="tools"].collapsed').waitFor();
  await shot('02-empty-canvas');

  const start = await dropFromPalette('[data-kind="start"]', 0, 0.35);
  const message = await dropFromPalette('[data-kind="message"]', 1, 0.35);
  const ask = await dropFromPalette('[data-kind="ask"]', 2, 0.35);
  const end = await dropFromPalette('[data-kind="end"]', 3, 0.55);

  await fill(message, 'text', 'Welcome to Acme support, {{customer.name}}!');
  await fill(ask, 'prompt', 'What can we do for you today?');
  await fill(ask, 'variable', 'request');
  await fill(ask, 'timeoutSeconds', '900');
  await fill(end, 'message', 'Thanks, goodbye.');

  await connect(start, 'next', message);
  await connect(message, 'next', ask);
  await connect(ask, 'reply', end);
  // A second edge from the same handle is refused, as the compiler would; so is an edge into start.
  await expect(connect(ask, 'reply', message, 1_500)).rejects.toThrow();
  await expect(connect(message, 'next', start, 1_500)).rejects.toThrow();
  expect(await page.locator('.react-flow__edge').count()).toBe(3);

  // The ask's timeout is not connected: the compiler (running in the browser) says so on the node.
  const askNode = page.locator(`.react-flow__node[data-id="${ask}"]`);
  await askNode.locator('[data-testid="problem-badge"]').waitFor();
  expect(await askNode.locator('.bnode-problem').textContent()).toMatch(/timeout/);
  expect(await page.getByRole('button', { name: 'Publish' }).isDisabled()).toBe(true);
  expect(await page.locator('[data-testid="error-count"]').textContent()).toBe('1 error');
  // The toolbar's count opens the problems, which name the node by its kind; a click on one selects the node.
  await page.getByRole('button', { name: 'problems' }).click();
  expect(await page.locator('[data-testid="problems"] li.error .problem-node').first().textContent()).toBe('Ask');
  await page.locator('[data-testid="problems"] li.error button').first().click();
  await page.locator('[data-testid="inspector"] h2', { hasText: 'Ask' }).waitFor();
  await page.waitForTimeout(400); // the view centres on the node
  await shot('03-validation-error');

  await connect(ask, 'timeout', end);
  await page.locator('[data-testid="error-count"]', { hasText: '0 errors' }).waitFor();
  expect(await askNode.locator('.has-error').count()).toBe(0);
  expect(await page.getByRole('button', { name: 'Publish' }).isDisabled()).toBe(false);

  // Unsaved work is kept in the browser until saved.
  expect(
    await page.evaluate(
      (key) =>
        (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage.getItem(
          key,
        ) !== null,
      `baton.designer.draft.${journeyId}`,
    ),
  ).toBe(true);
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.locator('[data-testid="save-state"]', { hasText: /^saved$/ }).waitFor();
  const saved = (await (await fetch(`${base}/api/journeys/${journeyId}`)).json()) as {
    journey: { name: string; nodes: { id: string; position: { x: number } }[]; edges: unknown[] };
  };
  expect(saved.journey.name).toBe('Designed in the browser');
  expect(saved.journey.nodes.map((n) => n.id).sort()).toEqual([start, message, ask, end].sort());
  expect(saved.journey.edges).toHaveLength(4);

  await page.getByRole('button', { name: 'Publish…' }).click();
  await page.locator('[data-testid="publish-dialog"] textarea[name="publish-message"]').fill('The first version');
  await page.locator('[data-testid="publish-dialog"] button[type="submit"]').click();
  await page.locator('[data-testid="status"]', { hasText: `Published ${journeyId}@1` }).waitFor();
  expect(await page.locator('[data-testid="save-state"]').textContent()).toBe('saved');
  await shot('04-published');

  const started = await fetch(`${base}/api/conversations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ journeyId, customer: { id: 'c1', name: 'Ana', email: 'ana@example.com' } }),
  });
  expect(started.status).toBe(201);
  const body = (await started.json()) as { conversation: { transcript: { from: string; text: string }[] } };
  const said = body.conversation.transcript.filter((t) => t.from === 'bot').map((t) => t.text);
  expect(said).toEqual(expect.arrayContaining(['Welcome to Acme support, Ana!', 'What can we do for you today?']));

  // The journey list shows it.
  await page.goto(`${base}/#/journeys`);
  await page.getByRole('link', { name: 'Designed in the browser' }).waitFor();
  // A table: its live version and when it was last saved.
  const row = page.locator('[data-testid="journey-table"] tbody tr', { hasText: 'Designed in the browser' });
  expect(await row.locator('td').nth(1).textContent()).toBe('v1');
  expect(await row.locator('td').nth(2).textContent()).not.toBe('—');
  await shot('05-journey-list');
  // Opening it again reads the saved draft from the API: the same nodes, where they were put.
  await page.getByRole('link', { name: 'Designed in the browser' }).click();
  await page.locator(`.react-flow__node[data-id="${ask}"]`).waitFor();
  expect(await page.locator('.react-flow__edge').count()).toBe(4);
  expect(await page.locator('[data-testid="error-count"]').textContent()).toBe('0 errors');
  await shot('06-reopened');
  expect(pageErrors).toEqual([]);
});
