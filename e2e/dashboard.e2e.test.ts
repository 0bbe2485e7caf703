/**
 * The measures dashboard end to end, in real headless Chromium on the built web app, against the
 * real stack with access control on: a customer on password-reset is handed off, Sam claims,
 * resolves and finds the summary unhelpful, the customer answers the survey; another customer is
 * helped by the bot. A designer signs in, opens #/dashboard and finds the conversation in every
 * measure, filters by journey and version, and follows the failed handoff to the inbox.
 * Screenshots: test-artifacts/screenshots/dashboard-*.png.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { type createApp } from '@baton/server/api';
import { authStoreOf, createUserWithPassword, issueApiKey, type AuthOptions } from '@baton/server/api/auth';
import { webApp, serve } from '@baton/test-support/web-app';
import { startTestStack, type TestStack } from '@baton/test-support/stack';
import { launchChromium, ensureWebAppBuilt } from '@baton/test-support/browser';

const root = join(__dirname, '..');
const shots = join(root, 'test-artifacts', 'screenshots');
const journey = JSON.parse(readFileSync(join(root, 'examples/password-reset/journey.json'), 'utf8')) as Record<
  string,
  unknown
>;
const authOptions: AuthOptions = {
  tokenSecret: 'dashboard-e2e-secret-0123456789abcdefghijklmnop',
  loginAttemptsPerWindow: 0,
  customerRequestsPerToken: 0,
};
const password = 'correct horse battery staple';
const sam = { id: 'agent-sam', name: 'Sam' };

jest.setTimeout(180_000);

let stack: TestStack;
let app: ReturnType<typeof createApp>;
let server: Server;
let base: string;
let browser: Browser;
let page: Page;
let ticketId: string;
const pageErrors: string[] = [];

async function until<T>(what: string, read: () => Promise<T | null | undefined | false>): Promise<T> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const value = await read();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

beforeAll(async () => {
  ensureWebAppBuilt();
  mkdirSync(shots, { recursive: true });
  stack = await startTestStack();
  app = webApp(stack, { auth: authOptions, security: false });
  const users = authStoreOf(stack.store.collection('users').db);
  await users.ensureIndexes();
  await createUserWithPassword(users, { email: 'dana@example.com', password, roles: ['designer'], name: 'Dana' });
  const designerKey = await issueApiKey(users, {
    name: 'dashboard test designer',
    roles: ['designer'],
    createdBy: 'test',
  });
  const agentKey = await issueApiKey(users, { name: 'dashboard test agent', roles: ['agent'], createdBy: 'test' });
  const asDesigner = (test: request.Test) => test.set('authorization', `Bearer ${designerKey}`);
  const asAgent = (test: request.Test) => test.set('authorization', `Bearer ${agentKey}`);
  await asDesigner(request(app).post('/api/journeys')).send(journey).expect(201);
  await asDesigner(request(app).post('/api/journeys/password-reset/publish')).send({}).expect(201);

  const start = async (customerId: string) => {
    const res = await request(app)
      .post('/api/conversations')
      .send({
        journeyId: 'password-reset',
        customer: { id: customerId, name: 'Ana', email: `${customerId}@example.com` },
      })
      .expect(201);
    const token = res.body.token as string;
    expect(token).toEqual(expect.any(String));
    const asCustomer = (test: request.Test) => test.set('authorization', `Bearer ${token}`);
    return {
      id: res.body.conversationId as string,
      say: (clientMessageId: string, text: string) =>
        asCustomer(request(app).post(`/api/conversations/${res.body.conversationId}/messages`))
          .send({ clientMessageId, text })
          .expect(201),
      survey: (answer: { ces: number; csat: number }) =>
        asCustomer(request(app).post(`/api/conversations/${res.body.conversationId}/survey`))
          .send(answer)
          .expect(200),
    };
  };

  // Helped by the bot, and says so.
  const bot = await start('c-bot');
  await bot.say('m1', 'I forgot my password');
  await bot.say('m2', 'yes it worked, thanks');
  await bot.survey({ ces: 7, csat: 5 });

  // Frustrated, handed off to Sam, resolved, surveyed; Sam found the summary unhelpful.
  const human = await start('c-human');
  await human.say('m1', 'I cannot log in to my account');
  await human.say('m2', "No it did not work. This is ridiculous, I've tried everything!");
  ticketId = await until(
    'the ticket',
    async () => (await stack.store.listTickets({})).find((t) => t.conversationId === human.id)?.ticketId,
  );
  await asAgent(request(app).post(`/api/tickets/${ticketId}/claim`))
    .send({ agent: sam })
    .expect(200);
  await asAgent(request(app).post(`/api/tickets/${ticketId}/resolve`))
    .send({ agent: sam, resolution: 'unlocked' })
    .expect(200);
  await asAgent(request(app).post(`/api/tickets/${ticketId}/feedback`))
    .send({ agent: sam, summaryHelpful: false, pulse: 3, comment: 'missed the locked account' })
    .expect(201);
  await human.survey({ ces: 3, csat: 2 });
  await until('both projections ended', async () => {
    const records = await Promise.all([bot.id, human.id].map((id) => stack.store.getConversation(id)));
    return records.every((record) => record?.status === 'ended');
  });

  ({ server, base } = await serve(app));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
  page.on('pageerror', (error) => pageErrors.push(String(error)));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await stack?.stop();
});

const shot = (name: string) => page.screenshot({ path: join(shots, `dashboard-${name}.png`), fullPage: true });
const card = async (name: string) => (await page.getByTestId(`card-${name}`).innerText()).replace(/\s+/g, ' ');

test('a designer finds the handed-off conversation in every measure', async () => {
  await page.goto(`${base}/#/dashboard`);
  await page.locator('input[name="email"]').fill('dana@example.com');
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.getByTestId('card-conversations').waitFor();

  expect(await card('conversations')).toMatch(
    /^Conversations 2 resolved by the bot 1 \(confirmed 1, assumed 0\) · handed off to an agent 1 · still with the bot 0$/i,
  );
  expect(await card('handoffs')).toMatch(/waiting for an agent 0 · with an agent 0 · resolved by an agent 1/);
  expect(await card('ces')).toMatch(/5\.0 \/ 7 2 answers/);
  expect(await card('csat')).toMatch(/3\.5 \/ 5 2 answers/);
  expect(await card('resolution')).toMatch(/100 % 1 of 1 tickets without a reopen within 72 h \(0 reopened\)/);
  expect(await card('handle-time')).toMatch(/over 1 tickets/);
  expect(await card('agents')).toMatch(/0 % summaries helpful \(0 of 1\) · pulse 3\.0 \/ 5 \(1 answer\)/);
  // The charts say what they draw.
  expect(
    await page.getByRole('img', { name: /^CES answers per score\. 1: 0, 2: 0, 3: 1, 4: 0, 5: 0, 6: 0, 7: 1$/ }).count(),
  ).toBe(1);
  expect(
    await page
      .getByRole('img', {
        name: /Conversations by outcome\. Resolved by the bot, confirmed: 1, Resolved by the bot, assumed: 0, Handed off to an agent: 1/,
      })
      .count(),
  ).toBe(1);
  // Today's bar in the trend holds both conversations; CSAT's point is their mean.
  const today = new Date().toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
  expect(await page.getByRole('img', { name: new RegExp(`^Conversations started\\..*${today}: 2$`) }).count()).toBe(1);
  expect(await page.getByRole('img', { name: new RegExp(`^CSAT\\..*${today}: 3\\.5$`) }).count()).toBe(1);
  expect(await page.getByTestId('answers').innerText()).toMatch(/No knowledge-base questions in this period/);
  expect(await page.getByTestId('corrections-to-learn').innerText()).toMatch(
    /^0 corrections by agents waiting to be learned/,
  );
  // Every journey by name in the filter.
  expect(await page.getByLabel('Journey', { exact: true }).locator('option').allInnerTexts()).toEqual([
    'All journeys',
    'Password reset',
  ]);
  expect(await page.locator('[data-version="password-reset@1"]').innerText()).toMatch(
    /Password reset v1\s+2\s+1\s+1 \/ 0\s+5\.0\s+3\.5\s+100 %/,
  );

  // The failed handoff, with why, linking to its ticket in the inbox.
  const failed = page.locator(`[data-testid="failed-handoffs"] tr[data-ticket="${ticketId}"]`);
  expect(await failed.innerText()).toMatch(/summary unhelpful/);
  expect(await failed.innerText()).toMatch(/missed the locked account/);
  expect(await failed.innerText()).toMatch(/Open conversation\s+Password reset v1/);
  expect(await failed.locator('a').getAttribute('href')).toBe(`#/inbox?ticket=${encodeURIComponent(ticketId)}`);
  await shot('01-all');
  await page.getByTestId('failed-handoffs').screenshot({ path: join(shots, 'dashboard-failed-handoffs.png') });
  // The two screens a support manager reads it on.
  for (const [width, height] of [
    [1440, 900],
    [1280, 720],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: join(shots, `dashboard-${width}x${height}.png`) });
    // Nothing wider than the screen: no sideways scrolling.
    const scrollWidth = await page.evaluate(
      () =>
        (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement
          .scrollWidth,
    );
    expect(scrollWidth).toBeLessThanOrEqual(width);
  }
  await page.setViewportSize({ width: 1400, height: 1100 });

  // Filter by journey and version.
  await page.getByLabel('Journey', { exact: true }).selectOption('password-reset');
  await page.getByLabel('Version', { exact: true }).selectOption('1');
  await page.getByText(/· Password reset v1/).waitFor();
  expect(await card('conversations')).toMatch(/^Conversations 2 /i);
  // A period before any of it holds nothing.
  await page.getByLabel('Period', { exact: true }).selectOption('custom');
  await page.getByLabel('First day').fill('2020-01-01');
  await page.getByLabel('Last day').fill('2020-01-31');
  await page.getByText('None in this period.').waitFor();
  expect(await card('conversations')).toMatch(/^Conversations 0 /i);
  await page.getByLabel('Last day').fill('2019-12-01');
  expect(await page.getByRole('alert').innerText()).toMatch(/first day must not be after the last/);
  await page.getByLabel('Period', { exact: true }).selectOption('30');
  await page.getByTestId('failed-handoffs').waitFor();
  await shot('02-filtered');

  await failed.locator('a').click();
  expect(page.url()).toBe(`${base}/#/inbox?ticket=${encodeURIComponent(ticketId)}`);
  expect(pageErrors).toEqual([]);
});
