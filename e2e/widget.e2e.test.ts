/**
 * The embeddable chat widget end to end, in real headless Chromium (Debian's `chromium`, driven by
 * playwright-core), on the demo shop page (`/demo/`) served by an in-process API with access control
 * on (the widget holds a real conversation token), a real Temporal worker and the Mongo-wire server.
 * The API's security headers are on (its CSP allows only same-origin scripts, as under `baton dev`).
 * The customer starts, sends, sees the typing indicator and the reply, reloads and still has the
 * conversation, loses a response to a network failure and retries without a duplicate, is handed off,
 * reads the agent's notice and message live (the agent acts over HTTP with an API key), and answers
 * the survey. Screenshots: test-artifacts/screenshots/widget-*.png.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page, Route } from 'playwright-core';
import request from 'supertest';
import { createApp } from '@baton/server/api';
import { authStoreOf, issueApiKey, type AuthOptions } from '@baton/server/api/auth';
import { webApp, serve } from '@baton/test-support/web-app';
import { startTestStack, type TestStack } from '@baton/test-support/stack';
import { launchChromium } from '@baton/test-support/browser';

const root = join(__dirname, '..');
const shots = join(root, 'test-artifacts', 'screenshots');
const journey = JSON.parse(readFileSync(join(root, 'examples/password-reset/journey.json'), 'utf8')) as Record<
  string,
  unknown
>;
const authOptions: AuthOptions = {
  tokenSecret: 'widget-e2e-secret-0123456789abcdefghijklmnop',
  loginAttemptsPerWindow: 0,
  customerRequestsPerToken: 0,
};
const sam = { id: 'agent-sam', name: 'Sam' };

jest.setTimeout(180_000);

let stack: TestStack;
let app: ReturnType<typeof createApp>;
let server: Server;
let base: string;
let browser: Browser;
let page: Page;
let agentKey: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (
    !existsSync(join(root, 'designer', 'dist', 'widget.js')) ||
    !existsSync(join(root, 'designer', 'dist', 'demo', 'index.html'))
  ) {
    execFileSync('npx', ['--no-install', 'vite', 'build', 'designer'], { cwd: root, stdio: 'inherit' });
  }
  mkdirSync(shots, { recursive: true });
  stack = await startTestStack();
  app = webApp(stack, { auth: authOptions });
  const users = authStoreOf(stack.store.collection('users').db);
  await users.ensureIndexes();
  const designerKey = await issueApiKey(users, {
    name: 'widget test designer',
    roles: ['designer'],
    createdBy: 'test',
  });
  agentKey = await issueApiKey(users, { name: 'widget test agent', roles: ['agent'], createdBy: 'test' });
  await request(app).post('/api/journeys').set('authorization', `Bearer ${designerKey}`).send(journey).expect(201);
  await request(app)
    .post('/api/journeys/password-reset/publish')
    .set('authorization', `Bearer ${designerKey}`)
    .send({})
    .expect(201);

  ({ server, base } = await serve(app));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (error) => pageErrors.push(String(error)));
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await stack?.stop();
});

const shot = (name: string) => page.screenshot({ path: join(shots, `widget-${name}.png`) });
// Playwright's CSS locators pierce the widget's (open) shadow root.
const widget = (selector: string, options?: { hasText: string }) =>
  page.locator(`[data-baton-widget] ${selector}`, options);
/** The messages' words as the customer reads them (times and names apart; the folded survey question left out). */
const messages = () => widget('.log .msg:not(.survey-q) .text').allTextContents();
const asAgent = (test: request.Test) => test.set('authorization', `Bearer ${agentKey}`);

async function conversationId(): Promise<string> {
  // Functions run in the page are given as strings: this file is typechecked without the DOM library.
  const saved = (await page.evaluate(
    "Object.entries(localStorage).find(([key]) => key.startsWith('baton-widget:http'))?.[1] ?? null",
  )) as string | null;
  if (!saved) throw new Error('the widget stored no conversation');
  return (JSON.parse(saved) as { conversationId: string }).conversationId;
}

test('a customer chats on the demo shop, reloads, is handed to Sam and answers the survey', async () => {
  await page.goto(`${base}/demo/`);
  const launcher = widget('.launcher');
  await launcher.waitFor();
  // The shop's loud button style does not reach the widget (shadow DOM).
  type Found = { shadowRoot: { querySelector(selector: string): Found | null } | null };
  type PageGlobals = {
    document: { querySelector(selector: string): Found | null };
    getComputedStyle(element: Found): { backgroundColor: string };
  };
  const background = (selector: string) =>
    page.evaluate((wanted) => {
      const window = globalThis as unknown as PageGlobals;
      const widget = window.document.querySelector('[data-baton-widget]')!.shadowRoot!;
      return window.getComputedStyle((window.document.querySelector(wanted) ?? widget.querySelector(wanted))!)
        .backgroundColor;
    }, selector);
  expect(await background('.card button')).toBe('rgb(192, 57, 43)');
  expect(await background('.launcher')).toBe('rgb(36, 88, 214)');
  await shot('01-shop');

  await launcher.click();
  await widget('.msg.bot', { hasText: 'How can I help you today?' })
    .waitFor()
    .catch(async () => {
      await shot('failed-start');
      throw new Error(`no greeting; errors: ${pageErrors.join('; ')}; log: ${(await messages()).join(' | ')}`);
    });
  expect(await messages()).toEqual(["Hi Ana, I'm the Baton assistant.", 'How can I help you today?']);
  const id = await conversationId();
  // The widget holds a signed token: without it, the conversation is closed to others.
  await request(app).get(`/api/conversations/${id}`).expect(401);

  // Typing indicator between send and reply: the reply is held until the indicator is seen.
  let held: Route | undefined;
  const heldRequest = new Promise<void>((resolve) => {
    void page.route('**/api/conversations/*/messages', (route) => {
      held = route;
      resolve();
    });
  });
  await widget('textarea').fill('I forgot my password');
  await widget('form button').click();
  await heldRequest;
  await widget('.typing.on').waitFor();
  expect(await widget('.msg.customer.pending .text').textContent()).toBe('I forgot my password');
  await shot('02-typing');
  await held!.continue();
  await widget('.msg.bot', { hasText: "I've sent a reset link to ana@example.com. Did it work?" }).waitFor();
  await widget('.typing.on').waitFor({ state: 'detached' });
  await page.unroute('**/api/conversations/*/messages');
  expect(await widget('textarea').inputValue()).toBe('');
  await shot('03-reply');

  // A reload keeps the conversation: the panel opens again with the same transcript (a fresh read).
  // The live stream is held from here until the retry below, so that what the customer sees of the
  // lost answer does not depend on how quickly the stream would have shown the message.
  const heldStreams: Route[] = [];
  await page.route('**/api/conversations/*/stream*', (route) => {
    heldStreams.push(route);
  });
  await page.reload();
  await widget('.msg.bot', { hasText: 'Did it work?' }).waitFor();
  expect(await messages()).toEqual([
    "Hi Ana, I'm the Baton assistant.",
    'How can I help you today?',
    'I forgot my password',
    "I've sent a reset link to ana@example.com. Did it work?",
  ]);
  expect(await conversationId()).toBe(id);
  await shot('04-after-reload');

  // The answer to the next message is lost on the way back: the customer reads why, the text is kept,
  // and "Try again" sends it once more with the same client message id, so it is not duplicated.
  const angry = 'No it did not work. This is ridiculous, I have tried everything!';
  await page.route('**/api/conversations/*/messages', async (route) => {
    await route.fetch(); // the server receives and handles it…
    await route.abort('connectionreset'); // …but the page never hears back.
  });
  await widget('textarea').fill(angry);
  await widget('textarea').press('Enter');
  await widget('.error.on').waitFor();
  expect(await widget('.error span').textContent()).toMatch(/can't reach support/);
  expect(await widget('textarea').inputValue()).toBe(angry);
  await shot('05-unreachable');
  await page.unroute('**/api/conversations/*/messages');
  await widget('.error button').click();
  await widget('.msg.notice', { hasText: "I'm bringing in a specialist" }).waitFor();
  // Let the stream through (a stream held from before the reload is gone with its page).
  let released = 0;
  for (const stream of heldStreams)
    released += await stream.continue().then(
      () => 1,
      () => 0,
    );
  expect(released).toBeGreaterThan(0);
  await page.unroute('**/api/conversations/*/stream*');
  expect(await widget('.error.on').count()).toBe(0);
  const afterRetry = (await asAgent(request(app).get(`/api/conversations/${id}`)).expect(200)).body.conversation
    .transcript as { from: string; text: string }[];
  expect(afterRetry.filter((entry) => entry.text === angry)).toHaveLength(1);
  expect((await messages()).filter((text) => text === angry)).toHaveLength(1);
  // Between the handoff and an agent claiming it, the customer is told they wait for an agent (not that one is there).
  await widget('.waiting.on', { hasText: 'Waiting for an agent…' }).waitFor();
  expect(await widget('.head .status').textContent()).toBe('Waiting for an agent…');
  expect(await widget('textarea').isDisabled()).toBe(false);
  // Every message says when it was said.
  const times = await widget('.log .msg time').allTextContents();
  expect(times).toHaveLength(await widget('.log .msg').count());
  for (const time of times) expect(time).toMatch(/\d{1,2}:\d{2}/);
  await shot('06-handed-off');
  for (const viewport of [
    { width: 1440, height: 900 },
    { width: 1280, height: 720 },
  ]) {
    await page.setViewportSize(viewport);
    const panel = await widget('.panel').boundingBox();
    expect(panel).not.toBeNull();
    expect(panel!.y).toBeGreaterThanOrEqual(0);
    expect(panel!.y + panel!.height).toBeLessThanOrEqual(viewport.height);
    const waitingStrip = await widget('.waiting.on').boundingBox();
    expect(waitingStrip!.y + waitingStrip!.height).toBeLessThanOrEqual(panel!.y + panel!.height);
    await shot(`06-waiting-${viewport.width}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });

  // Sam claims and writes; the customer sees the notice and the message live.
  const ticket = (await stack.store.listTickets({})).find((t) => t.conversationId === id);
  expect(ticket).toBeDefined();
  await asAgent(request(app).post(`/api/tickets/${ticket!.ticketId}/claim`))
    .send({ agent: sam })
    .expect(200);
  await widget('.msg.notice.joined', { hasText: "You're now speaking with Sam, a human agent." }).waitFor();
  await widget('.waiting.on').waitFor({ state: 'detached' });
  expect(await widget('.head .status').textContent()).not.toMatch(/Waiting/);
  await asAgent(request(app).post(`/api/tickets/${ticket!.ticketId}/messages`))
    .send({ agent: sam, clientMessageId: 'a1', text: 'Hi Ana, I unlocked your account. Try logging in now.' })
    .expect(201);
  const agentMessage = widget('.msg.agent', { hasText: 'I unlocked your account' });
  await agentMessage.waitFor();
  expect(await agentMessage.locator('.who .name').textContent()).toBe('Sam · support agent');
  expect(await agentMessage.locator('.who .avatar').textContent()).toBe('S');
  expect(await widget('.head .status').textContent()).toBe('with Sam');
  await widget('textarea').fill('It works now, thank you!');
  await widget('form button').click();
  await widget('.msg.customer:not(.pending)', { hasText: 'It works now' }).waitFor();
  await shot('07-agent');

  await asAgent(request(app).post(`/api/tickets/${ticket!.ticketId}/resolve`))
    .send({ agent: sam, resolution: 'account unlocked' })
    .expect(200);
  await widget('.survey.on').waitFor();
  // The panel asks the survey's questions; the bot's same words are folded, so they are asked once.
  const question = widget('.msg.survey-q');
  await question.waitFor({ state: 'attached' });
  expect(await question.textContent()).toMatch(/^Please tell us how easy/);
  expect(await question.isVisible()).toBe(false);
  expect((await messages()).filter((text) => /how easy/i.test(text))).toEqual([]);
  await shot('08-survey');
  for (const viewport of [
    { width: 1440, height: 900 },
    { width: 1280, height: 720 },
  ]) {
    await page.setViewportSize(viewport);
    await shot(`08-survey-${viewport.width}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await widget('[data-scale="ces"] button:text-is("6")').click();
  await widget('[data-scale="csat"] button:text-is("5")').click();
  expect(await widget('[data-scale="ces"] button[aria-pressed="true"]').textContent()).toBe('6');
  await widget('.survey .send').click();
  await widget('.thanks.on').waitFor();
  expect(await widget('textarea').isDisabled()).toBe(true);
  expect(await stack.store.getSurvey(id)).toMatchObject({ ces: 6, csat: 5 });
  await shot('09-thanks');

  // Reloading an ended conversation shows it, ended, with no survey to answer again.
  await page.reload();
  await widget('.thanks.on').waitFor();
  expect(await widget('.survey.on').count()).toBe(0);
  await shot('10-ended-after-reload');
  // A new conversation on demand, with a new id.
  await widget('.restart button').click();
  await widget('.msg.bot', { hasText: 'How can I help you today?' }).waitFor();
  expect(await messages()).toEqual(["Hi Ana, I'm the Baton assistant.", 'How can I help you today?']);
  expect(await conversationId()).not.toBe(id);
  expect(await widget('textarea').isDisabled()).toBe(false);
  expect(pageErrors).toEqual([]);
});

test('says so plainly when the API cannot be reached, and starts once it can', async () => {
  const fresh = await browser.newPage({ viewport: { width: 1000, height: 760 } });
  await fresh.route('**/api/**', (route) => route.abort('connectionrefused'));
  await fresh.goto(`${base}/demo/`);
  await fresh.locator('[data-baton-widget] .launcher').click();
  await fresh.locator('[data-baton-widget] .error.on').waitFor();
  expect(await fresh.locator('[data-baton-widget] .error span').textContent()).toMatch(/can't reach support/);
  await fresh.screenshot({ path: join(shots, 'widget-11-start-unreachable.png') });
  await fresh.unroute('**/api/**');
  await fresh.locator('[data-baton-widget] .error button').click();
  await fresh.locator('[data-baton-widget] .msg.bot', { hasText: 'How can I help you today?' }).waitFor();
  await fresh.close();
});

test('embedded on another site (another origin, allowed by CORS), the widget talks to the API', async () => {
  // The shop: a page on its own server and origin that includes the widget from the API's origin.
  const shop = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><title>Other shop</title></head><body><h1>Another shop</h1>
<script src="${base}/widget.js" data-journey="password-reset" data-api="${api}" data-customer-id="cust-77" data-customer-name="Ana" data-customer-email="ana@example.com" data-title="Help" async></script></body></html>`);
  });
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
  const shopOrigin = `http://localhost:${(shop.address() as AddressInfo).port}`;
  // An API that lets that origin in (BATON_CORS_ORIGINS); `base` keeps serving widget.js.
  const corsApp = createApp({
    store: stack.store,
    conversations: stack.conversations,
    catalog: () => stack.store.listActivities(),
    streamPollMs: 100,
    log: () => undefined,
    auth: authOptions,
    security: { corsOrigins: [shopOrigin] },
  });
  const corsServer = createServer(corsApp);
  await new Promise<void>((resolve) => corsServer.listen(0, '127.0.0.1', resolve));
  const api = `http://127.0.0.1:${(corsServer.address() as AddressInfo).port}`;
  const other = await browser.newPage({ viewport: { width: 1000, height: 760 } });
  const errors: string[] = [];
  other.on('pageerror', (error) => errors.push(String(error)));
  try {
    await other.goto(`${shopOrigin}/`);
    const inWidget = (selector: string, options?: { hasText: string }) =>
      other.locator(`[data-baton-widget] ${selector}`, options);
    await inWidget('.launcher').click();
    await inWidget('.msg.bot', { hasText: 'How can I help you today?' }).waitFor();
    await inWidget('textarea').fill('I forgot my password');
    await inWidget('form button').click();
    await inWidget('.msg.bot', { hasText: "I've sent a reset link to ana@example.com. Did it work?" }).waitFor();
    await inWidget('.typing.on').waitFor({ state: 'detached' });
    await other.screenshot({ path: join(shots, 'widget-12-other-origin.png') });
    const conversations = await stack.store.listConversations({});
    expect(conversations.some((c) => c.customer.id === 'cust-77' && c.channel === 'web')).toBe(true);
    expect(errors).toEqual([]);
  } finally {
    await other.close();
    await new Promise<void>((resolve) => corsServer.close(() => resolve()));
    await new Promise<void>((resolve) => shop.close(() => resolve()));
  }
});
