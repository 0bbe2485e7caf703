/**
 * axe-core on every page of the web app, in real headless Chromium against the real stack: the
 * journey list, a journey on the canvas (with a node's drawer open, and each of the tools: simulator,
 * versions, replay), the settings page, the inbox with a handed-off
 * conversation open, the dashboard, the knowledge base, the sign-in page (access control on) and the
 * widget open on a shop page. Each page must have no serious or critical violation (WCAG 2.1 A/AA
 * and axe's best practices); the failure names the rule and the elements.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { startBrowserStack, serve, webApp, type BrowserStack, type Served } from '@baton/test-support/web-app';
import { seriousViolations } from './a11y-check';

const root = join(__dirname, '..');
const shots = join(root, 'test-artifacts', 'screenshots');
type FocusedDoc = { document: { activeElement: { name?: string } | null } };
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
let ticketId: string;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  web = await startBrowserStack();
  ({ server, base, page, pageErrors } = web);
  const api = () => request(server);
  await api().post('/api/journeys').send(journey).expect(201);
  await api().post('/api/journeys/password-reset/publish').send({ author: 'e2e', message: 'first' }).expect(201);
  await api()
    .post('/api/kb/import')
    .send({
      articles: [
        { articleId: 'kb-a11y', title: 'Reset a password', body: '# Reset\n\nOpen **Settings**.', tags: ['account'] },
      ],
    })
    .expect(200);
  const started = await api()
    .post('/api/conversations')
    .send({ journeyId: 'password-reset', channel: 'web', customer: { id: 'cust-a11y', name: 'Ana Silva' } })
    .expect(201);
  const conversationId: string = started.body.conversationId;
  await api()
    .post(`/api/conversations/${conversationId}/messages`)
    .send({ clientMessageId: 'c1', text: 'I forgot my password' })
    .expect(201);
  const angry = await api()
    .post(`/api/conversations/${conversationId}/messages`)
    .send({ clientMessageId: 'c2', text: "No, it didn't work. This is ridiculous, I've tried everything" })
    .expect(201);
  ticketId = angry.body.conversation.waiting.ticketId as string;
});

afterAll(async () => {
  await web?.stop();
});

it('the journey list', async () => {
  await page.goto(`${base}/#/`);
  await page
    .getByRole('link', { name: /password/i })
    .first()
    .waitFor();
  expect(await seriousViolations(page)).toEqual([]);
});

it('a journey on the canvas, and with a node selected', async () => {
  await page.goto(`${base}/#/journeys/password-reset`);
  await page.locator('.react-flow__node').first().waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  await page.locator('.react-flow__node').nth(1).click();
  await page.locator('.drawer, .inspector, [aria-label="Inspector"]').first().waitFor();
  expect(await seriousViolations(page)).toEqual([]);
});

it("the designer's tools: simulator, versions and replay", async () => {
  await page.goto(`${base}/#/journeys/password-reset`);
  await page.locator('.react-flow__node').first().waitFor();
  for (const tab of ['simulator', 'versions', 'replay']) {
    await page.getByTestId(`tab-${tab}`).click();
    await page.locator('.tools:not(.collapsed)').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  }
});

it('the settings page', async () => {
  await page.goto(`${base}/#/settings`);
  await page.getByRole('heading').first().waitFor();
  expect(await seriousViolations(page)).toEqual([]);
});

it('the inbox with a handed-off conversation open', async () => {
  await page.goto(`${base}/#/inbox`);
  await page.getByLabel('Agent name').fill('Sam');
  await page.getByLabel('Agent name').press('Enter');
  await page.locator(`.ib-item[data-id="${ticketId}"]`).click();
  await page.locator('.ib-view-head', { hasText: 'Ana Silva' }).waitFor();
  await page.locator('.ib-thread .ib-msg').first().waitFor();
  expect(await seriousViolations(page)).toEqual([]);
});

it('the dashboard', async () => {
  await page.goto(`${base}/#/dashboard`);
  await page.getByText('Failed handoffs').first().waitFor();
  expect(await seriousViolations(page)).toEqual([]);
});

it('the knowledge base, with an article open', async () => {
  await page.goto(`${base}/#/kb`);
  await page.locator('.kb-list li[data-article="kb-a11y"] button').click();
  await page.getByTestId('kb-preview').getByRole('heading', { name: 'Reset' }).waitFor();
  expect(await seriousViolations(page)).toEqual([]);
});

it('the widget, open on a shop page', async () => {
  await page.route(`${base}/a11y-shop.html`, (route) =>
    route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><html lang="en"><head><title>Shop</title></head><body><main><h1>Shop</h1></main>
<script src="${base}/widget.js" data-journey="password-reset" data-api="${base}" data-customer-id="cust-w1" data-customer-name="Ada Byron" data-title="Help" async></script></body></html>`,
    }),
  );
  await page.goto(`${base}/a11y-shop.html`);
  expect(await seriousViolations(page)).toEqual([]);
  await page.locator('[data-baton-widget] .launcher').click();
  await page.locator('[data-baton-widget] .msg.bot').first().waitFor();
  expect(await seriousViolations(page)).toEqual([]);
});

it('the sign-in page (access control on): a centred card, focus on Email, Enter submits, the error under the fields, SSO only when configured', async () => {
  let signedOut: Served | undefined;
  try {
    signedOut = await serve(
      webApp(web.stack, {
        auth: { tokenSecret: 'a11y-e2e-secret-0123456789abcdefghijklmnopq', loginAttemptsPerWindow: 0 },
      }),
    );
    for (const [width, height] of [
      [1440, 900],
      [1280, 720],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.goto(`${signedOut.base}/`);
      await page.getByRole('heading', { name: 'Baton · Sign in' }).waitFor();
      // The cursor is in Email: one can type at once.
      expect(await page.evaluate(() => (globalThis as unknown as FocusedDoc).document.activeElement?.name)).toBe(
        'email',
      );
      // The card sits in the middle of the window; single sign-on is not offered (not configured).
      const card = (await page.locator('.sign-in-card').boundingBox())!;
      expect(Math.abs(card.x + card.width / 2 - width / 2)).toBeLessThan(2);
      expect(card.y).toBeGreaterThan(0);
      expect(card.y + card.height).toBeLessThan(height);
      expect(await page.getByText('Sign in with your company account').count()).toBe(0);
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: join(shots, `sign-in-${width}x${height}.png`) });

      // Keyboard only: type, Enter; the refusal is said under the fields and the password is ready to retype.
      await page.keyboard.type('nobody@example.com');
      await page.keyboard.press('Tab');
      await page.keyboard.type('not the password at all');
      await page.keyboard.press('Enter');
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toBe('wrong email or password');
      const fields = (await page.getByLabel('Password').boundingBox())!;
      const said = (await alert.boundingBox())!;
      expect(said.y).toBeGreaterThan(fields.y + fields.height - 1);
      expect(said.y + said.height).toBeLessThan((await page.getByRole('button', { name: 'Sign in' }).boundingBox())!.y);
      await page.waitForFunction(
        () => (globalThis as unknown as FocusedDoc).document.activeElement?.name === 'password',
      );
      expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: join(shots, `sign-in-error-${width}x${height}.png`) });
    }
    // Where company sign-on is configured, the page offers it (the IdP is only asked once it is clicked).
    await signedOut.close();
    signedOut = await serve(
      webApp(web.stack, {
        auth: {
          tokenSecret: 'a11y-e2e-secret-0123456789abcdefghijklmnopq',
          oidc: {
            issuer: 'https://id.example.com',
            clientId: 'baton',
            clientSecret: 'idp-secret',
            redirectUri: 'http://127.0.0.1/api/auth/oidc/callback',
          },
        },
      }),
    );
    await page.goto(`${signedOut.base}/`);
    const sso = page.getByRole('link', { name: 'Sign in with your company account' });
    await sso.waitFor();
    expect(await sso.getAttribute('href')).toBe('/api/auth/oidc/start');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'sign-in-sso-1280x720.png') });
  } finally {
    await page.setViewportSize({ width: 1440, height: 900 });
    await signedOut?.close();
  }
  expect(pageErrors).toEqual([]);
});
