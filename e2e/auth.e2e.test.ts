/**
 * Sign-in in the web app, in real headless Chromium against the real stack with access control on:
 * a signed-out browser sees the sign-in page; an agent signs in and is refused the designer's
 * routes (the 403 is shown in the page); a designer signs in, opens a journey and publishes it;
 * signing out brings the sign-in page back. Screenshots: test-results/auth/*.png.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { authStoreOf, createUserWithPassword, issueApiKey, type AuthOptions } from '@baton/server/api/auth';
import { webApp, serve } from '@baton/test-support/web-app';
import { startTestStack, type TestStack } from '@baton/test-support/stack';
import { launchChromium, ensureWebAppBuilt } from '@baton/test-support/browser';

const root = join(__dirname, '..');
const shots = join(root, 'test-results', 'auth');
const password = 'a password long enough';
const authOptions: AuthOptions = {
  tokenSecret: 'auth-e2e-secret-0123456789abcdefghijklmnopq',
  loginAttemptsPerWindow: 0,
};

jest.setTimeout(180_000);

let stack: TestStack;
let server: Server;
let base: string;
let browser: Browser;

beforeAll(async () => {
  ensureWebAppBuilt();
  mkdirSync(shots, { recursive: true });
  stack = await startTestStack();
  const app = webApp(stack, { auth: authOptions });
  ({ server, base } = await serve(app));

  const users = authStoreOf(stack.store.collection('users').db);
  await users.ensureIndexes();
  await createUserWithPassword(users, { email: 'agent@example.com', password, roles: ['agent'], name: 'Sam Agent' });
  await createUserWithPassword(users, {
    email: 'designer@example.com',
    password,
    roles: ['designer'],
    name: 'Dee Designer',
  });
  // A journey to publish, saved as a draft by a script with a designer's API key.
  const key = await issueApiKey(users, { name: 'setup', roles: ['designer'], createdBy: 'test' });
  const journey = JSON.parse(readFileSync(join(root, 'examples', 'password-reset', 'journey.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  await request(app).post('/api/journeys').set('authorization', `Bearer ${key}`).send(journey).expect(201);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await stack?.stop();
});

async function freshPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 850 } });
  return { context, page: await context.newPage() };
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByRole('heading', { name: 'Baton · Sign in' }).waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.user-bar').waitFor();
}

test('a signed-out browser sees the sign-in page, and a wrong password is said', async () => {
  const { context, page } = await freshPage();
  await page.goto(`${base}/#/journeys/password-reset`);
  await page.getByRole('heading', { name: 'Baton · Sign in' }).waitFor();
  expect(await page.locator('.palette').count()).toBe(0);
  await page.getByLabel('Email').fill('designer@example.com');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'wrong email or password' }).waitFor();
  await page.screenshot({ path: join(shots, '01-signed-out.png') });
  await context.close();
});

test('an agent signs in and cannot open or publish a journey: the 403 is shown', async () => {
  const { context, page } = await freshPage();
  await signIn(page, 'agent@example.com');
  expect(await page.locator('.user-bar').innerText()).toContain('Sam Agent');
  await page.goto(`${base}/#/journeys`);
  await page.locator('p.error').filter({ hasText: '403 Forbidden' }).waitFor();
  await page.goto(`${base}/#/journeys/password-reset`);
  const refusal = page.getByText(/Could not open journey "password-reset": 403 Forbidden/);
  await refusal.waitFor();
  expect(await refusal.innerText()).toMatch(/not allowed.*designer.*your roles: agent/s);
  expect(await page.getByRole('button', { name: 'Publish' }).count()).toBe(0);
  await page.screenshot({ path: join(shots, '02-agent-refused.png') });
  // The same browser session (cookie and CSRF token) calling the publish route directly is refused too.
  const answer = await page.evaluate(async () => {
    const me = (await (await fetch('/api/auth/me')).json()) as { csrfToken: string };
    const res = await fetch('/api/journeys/password-reset/publish', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
      body: '{}',
    });
    return { status: res.status, body: (await res.json()) as { detail?: string } };
  });
  expect(answer).toEqual({ status: 403, body: expect.objectContaining({ detail: 'this route is for: designer' }) });
  await context.close();
});

test('a designer signs in, publishes the journey, and signs out', async () => {
  const { context, page } = await freshPage();
  await signIn(page, 'designer@example.com');
  await page.goto(`${base}/#/journeys/password-reset`);
  await page.locator('.react-flow__node').first().waitFor();
  // Enabled once the draft compiled without errors (the catalog and validation have loaded).
  await page.locator('button:enabled', { hasText: /^Publish…$/ }).waitFor();
  await page.getByRole('button', { name: 'Publish…' }).click();
  await page.locator('[data-testid="publish-dialog"] textarea[name="publish-message"]').fill('Signed-in publish');
  await page.locator('[data-testid="publish-dialog"] button[type="submit"]').click();
  await page.locator('[data-testid="status"]', { hasText: 'Published password-reset@1' }).waitFor();
  await page.screenshot({ path: join(shots, '03-designer-published.png') });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Baton · Sign in' }).waitFor();
  // The cookie is gone for good: a reload stays signed out.
  await page.reload();
  await page.getByRole('heading', { name: 'Baton · Sign in' }).waitFor();
  await context.close();
});
