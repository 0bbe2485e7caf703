/**
 * Resizing the window refits the designer's canvas only while the view is the one the last fit left:
 * a zoom the user chose (Zoom In) survives a resize; a reopened journey is refitted again. Headless Chromium,
 * real stack, the password-reset example.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { startBrowserStack, type BrowserStack } from '@baton/test-support/web-app';

jest.setTimeout(180_000);
let web: BrowserStack;

beforeAll(async () => {
  web = await startBrowserStack();
});

afterAll(async () => {
  await web?.stop();
});

const viewportOf = (page: Page) =>
  page
    .locator('.react-flow__viewport')
    .evaluate((el) => (el as unknown as { style: { transform: string } }).style.transform);

/** Waits until the viewport's transform stops changing (fits and refits animate). */
async function settled(page: Page): Promise<string> {
  let last = await viewportOf(page);
  for (let i = 0; i < 40; i++) {
    await page.waitForTimeout(150);
    const now = await viewportOf(page);
    if (now === last) return now;
    last = now;
  }
  return last;
}

it('a resize keeps a zoom the user chose', async () => {
  const { page, server, base, pageErrors } = web;
  const journey = JSON.parse(
    readFileSync(join(__dirname, '..', 'examples', 'password-reset', 'journey.json'), 'utf8'),
  ) as Record<string, unknown>;
  await request(server).post('/api/journeys').send(journey).expect(201);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`${base}/#/journeys/password-reset`);
  await page.locator('.react-flow__node-start').waitFor();
  const opened = await settled(page);
  expect(opened).toContain('scale(0.8)');

  // The user zooms in: a narrower window keeps that zoom and position (no refit back to 0.8).
  await page.getByRole('button', { name: 'Zoom In' }).click();
  const chosen = await settled(page);
  expect(chosen).not.toBe(opened);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.waitForTimeout(800);
  expect(await settled(page)).toBe(chosen);

  // Opening the journey again is a new fit: the view it leaves follows the window again (readable zoom).
  await page.goto(`${base}/#/journeys`);
  await page.goto(`${base}/#/journeys/password-reset`);
  await page.locator('.react-flow__node-start').waitFor();
  await settled(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.waitForTimeout(800);
  expect(await settled(page)).toContain('scale(0.8)');
  expect(pageErrors).toEqual([]);
});
