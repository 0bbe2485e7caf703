/**
 * The designer's simulator as a chat in real headless Chromium at 1440×900 and 1280×720: the
 * customer's bubbles on the right and the bot's on the left, nodes named by label, the survey
 * answered with the score the designer clicks, and a warning when a path that went through a handoff
 * ends "resolved_by_bot". Screenshots: test-artifacts/screenshots/designer-simulator-*.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { startBrowserStack, type BrowserStack } from '@baton/test-support/web-app';

const shots = join(__dirname, '..', 'test-artifacts', 'screenshots');
jest.setTimeout(180_000);

let web: BrowserStack;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  web = await startBrowserStack();
});

afterAll(async () => {
  await web?.stop();
});

const pos = (x: number, y: number) => ({ x, y });
const journey = {
  schemaVersion: 1,
  id: 'sim-chat',
  name: 'Simulator chat',
  version: 0,
  variables: { request: { type: 'string' } },
  nodes: [
    { id: 'start', type: 'start', position: pos(0, 0), data: {} },
    {
      id: 'hi',
      type: 'ask',
      position: pos(0, 150),
      data: { label: 'Ask what is wrong', prompt: 'How can I help?', variable: 'request' },
    },
    {
      id: 'esc',
      type: 'handoff',
      position: pos(0, 300),
      data: { label: 'Escalate to accounts', queue: 'accounts', reason: 'asked' },
    },
    {
      id: 'survey',
      type: 'followup',
      position: pos(0, 450),
      data: { message: 'Thanks for your patience.', csat: false },
    },
    { id: 'done', type: 'end', position: pos(0, 600), data: { outcome: 'resolved_by_bot' } },
    { id: 'gone', type: 'end', position: pos(300, 450), data: { outcome: 'abandoned' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'hi' },
    { id: 'e2', source: 'hi', sourceHandle: 'reply', target: 'esc' },
    { id: 'e3', source: 'hi', sourceHandle: 'timeout', target: 'gone' },
    { id: 'e4', source: 'esc', sourceHandle: 'resolved', target: 'survey' },
    { id: 'e5', source: 'esc', sourceHandle: 'timeout', target: 'gone' },
    { id: 'e6', source: 'survey', sourceHandle: 'answered', target: 'done' },
    { id: 'e7', source: 'survey', sourceHandle: 'timeout', target: 'done' },
  ],
};

it('simulates a handoff path as a chat, answers the survey by clicking, and warns of resolved_by_bot', async () => {
  const { page, server, base, pageErrors } = web;
  await request(server).post('/api/journeys').send(journey).expect(201);
  for (const [width, height] of [
    [1440, 900],
    [1280, 720],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.goto(`${base}/#/journeys/sim-chat`);
    await page.locator('.react-flow__node-start').waitFor();
    await page.locator('[data-testid="tab-simulator"]').click();
    await page.locator('[data-testid="sim-start"]').click();
    const chat = page.locator('[data-testid="sim-chat"]');
    await chat.getByText('How can I help?').waitFor();
    await page.getByLabel('customer message').fill('I am locked out of my account');
    await page.locator('[data-testid="sim-send"]').click();
    await page.getByRole('button', { name: 'Agent claims' }).click();
    await page.getByRole('button', { name: 'Agent resolves' }).click();
    const survey = page.locator('[data-testid="sim-survey"]');
    await survey.getByRole('radio', { name: '6' }).click();
    await survey.getByRole('button', { name: 'Answer the survey' }).click();
    await page.locator('[data-testid="sim-warning"]').waitFor();

    // Customer bubbles sit right of the bot's in the chat column.
    const box = (await chat.boundingBox())!;
    const customer = (await chat.locator('.msg.customer').first().boundingBox())!;
    const bot = (await chat.locator('.msg.bot').first().boundingBox())!;
    expect(customer.x + customer.width).toBeGreaterThan(box.x + box.width - 4);
    expect(bot.x).toBeLessThan(box.x + 4);
    expect(await chat.textContent()).toContain('Escalate to accounts');
    expect(await page.locator('[data-testid="sim-warning"]').textContent()).toContain('resolved_by_bot');
    const warning = (await page.locator('[data-testid="sim-warning"]').boundingBox())!;
    expect(warning.x + warning.width).toBeLessThanOrEqual(width);
    await page.locator('[data-testid="sim-warning"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, `designer-simulator-${width}x${height}.png`) });
  }
  expect(pageErrors).toEqual([]);
});
