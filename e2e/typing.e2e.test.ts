/**
 * The customer sees the agent type, in real headless Chromium against the real stack: a customer on
 * the shop's widget is handed off, Sam claims the ticket in the inbox (another tab) and types a reply;
 * the widget shows its typing dots, named "Sam is typing", until Sam clears the box, and again until
 * the reply is sent, which then arrives. Screenshots at 1440×900 and 1280×720:
 * test-artifacts/screenshots/typing-*.png.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { collectPageErrors, startBrowserStack, type BrowserStack } from '@baton/test-support/web-app';

const root = join(__dirname, '..');
const shots = join(root, 'test-artifacts', 'screenshots');
const journey = JSON.parse(readFileSync(join(root, 'examples', 'password-reset', 'journey.json'), 'utf8')) as Record<
  string,
  unknown
>;

jest.setTimeout(180_000);

let web: BrowserStack;
let customer: Page;
let agent: Page;
const agentErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  web = await startBrowserStack();
  customer = web.page;
  agent = await web.browser.newPage({ viewport: { width: 1440, height: 900 } });
  collectPageErrors(agent, agentErrors);
});

afterAll(async () => {
  await web?.stop();
});

const widget = (selector: string, options?: { hasText: string }) =>
  customer.locator(`[data-baton-widget] ${selector}`, options);
const dots = () => widget('.typing');

it('shows "Sam is typing" in the widget while Sam types in the inbox', async () => {
  const { base, server } = web;
  await request(server).post('/api/journeys').send(journey).expect(201);
  await request(server)
    .post('/api/journeys/password-reset/publish')
    .send({ author: 'e2e', message: 'first' })
    .expect(201);
  await customer.route(`${base}/typing-shop.html`, (route) =>
    route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><html lang="en"><head><title>Shop</title></head><body><h1>Shop</h1>
<script src="${base}/widget.js" data-journey="password-reset" data-api="${base}" data-customer-id="cust-typing" data-customer-name="Ana Typing" data-title="Help" async></script></body></html>`,
    }),
  );
  await customer.goto(`${base}/typing-shop.html`);
  await widget('.launcher').click();
  await widget('.msg.bot').first().waitFor();
  await widget('textarea').fill('I forgot my password');
  await widget('form button').click();
  await widget('.msg.customer:not(.pending)', { hasText: 'I forgot my password' }).waitFor();
  await widget('textarea').fill("No, it didn't work. This is ridiculous, I've tried everything");
  await widget('form button').click();
  await widget('.waiting.on', { hasText: 'Waiting for an agent…' }).waitFor();
  // Nobody types yet (the dots of the bot's turn are gone).
  await widget('.typing.on').waitFor({ state: 'hidden' });

  // Sam, in the inbox, claims and starts a reply.
  await agent.goto(`${base}/#/inbox`);
  await agent.getByLabel('Agent name').fill('Sam');
  await agent.getByLabel('Agent name').press('Enter');
  await agent.locator('.ib-item', { hasText: 'Ana Typing' }).click();
  await agent.getByRole('button', { name: 'Claim' }).click();
  await widget('.msg.notice.joined').waitFor();
  const reply = agent.getByLabel('Reply', { exact: true });
  await reply.click();
  await reply.pressSequentially('Hi Ana, let me');

  await widget('.typing.on').waitFor();
  expect(await dots().getAttribute('aria-label')).toBe('Sam is typing');
  for (const [width, height] of [
    [1440, 900],
    [1280, 720],
  ] as const) {
    await customer.setViewportSize({ width, height });
    await widget('.typing.on').scrollIntoViewIfNeeded();
    await customer.screenshot({ path: join(shots, `typing-${width}x${height}.png`) });
  }

  // Cleared: the dots go.
  await reply.fill('');
  await widget('.typing.on').waitFor({ state: 'hidden' });

  // Typing again, then sending: the dots go and the reply arrives.
  await reply.pressSequentially('Hi Ana, I reset it for you.');
  await widget('.typing.on').waitFor();
  await reply.press('Control+Enter');
  await widget('.msg.agent', { hasText: 'I reset it for you' }).waitFor();
  await widget('.typing.on').waitFor({ state: 'hidden' });
  expect(await dots().getAttribute('aria-label')).toBe('The assistant is typing');
  expect(web.pageErrors).toEqual([]);
  expect(agentErrors).toEqual([]);
});
