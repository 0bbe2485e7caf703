/**
 * The widget's expected wait in real headless Chromium against the real stack: once the queue's recent
 * tickets were claimed (three here, claimed at once), a customer handed off to that queue reads
 * "Waiting for an agent… Usually about 1 min." (the median claim time, at least a minute); the API's
 * answer is that number and nothing else; a conversation with the bot has no estimate. Screenshots at
 * 1440×900 and 1280×720: test-artifacts/screenshots/widget-expected-wait-*.png.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { startBrowserStack, type BrowserStack } from '@baton/test-support/web-app';
import { seriousViolations } from './a11y-check';

const root = join(__dirname, '..');
const shots = join(root, 'test-artifacts', 'screenshots');
const journey = JSON.parse(readFileSync(join(root, 'examples', 'password-reset', 'journey.json'), 'utf8')) as Record<
  string,
  unknown
>;
const angry = "No, it didn't work. This is ridiculous, I've tried everything";

jest.setTimeout(180_000);

let web: BrowserStack;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  web = await startBrowserStack();
});

afterAll(async () => {
  await web?.stop();
});

it('tells the waiting customer the queue’s usual wait, from its recent claims', async () => {
  const { page, base } = web;
  const api = () => request(web.server);
  const widget = (selector: string, options?: { hasText: string }) =>
    page.locator(`[data-baton-widget] ${selector}`, options);
  await api().post('/api/journeys').send(journey).expect(201);
  await api().post('/api/journeys/password-reset/publish').send({ author: 'e2e', message: 'first' }).expect(201);

  // Three earlier customers handed off to the same queue, each claimed by an agent.
  for (const i of [1, 2, 3]) {
    const started = await api()
      .post('/api/conversations')
      .send({ journeyId: 'password-reset', channel: 'web', customer: { id: `cust-w${i}`, name: `Earlier ${i}` } })
      .expect(201);
    const id: string = started.body.conversationId;
    await api().post(`/api/conversations/${id}/messages`).send({ clientMessageId: 'a', text: 'I forgot my password' });
    const handed = await api()
      .post(`/api/conversations/${id}/messages`)
      .send({ clientMessageId: 'b', text: angry })
      .expect(201);
    const ticketId = handed.body.conversation.waiting.ticketId as string;
    if (i === 1) {
      // While it waits with no claims in the queue yet, the queue knows nothing: no estimate.
      const none = await api().get(`/api/conversations/${id}/expected-wait`).expect(200);
      expect(none.body).toEqual({ expectedWaitMinutes: null });
    }
    await api()
      .post(`/api/tickets/${ticketId}/claim`)
      .send({ agent: { id: 'agent-w', name: 'Wes' } })
      .expect((res) => expect([200, 201]).toContain(res.status));
  }

  await page.route(`${base}/reset-shop.html`, (route) =>
    route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><html lang="en"><head><title>Shop</title></head><body><h1>Shop</h1>
<script src="${base}/widget.js" data-journey="password-reset" data-api="${base}" data-customer-id="cust-w9" data-customer-name="Nia" data-title="Help" async></script></body></html>`,
    }),
  );
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`${base}/reset-shop.html`);
  await widget('.launcher').click();
  await widget('.msg.bot').first().waitFor();
  for (const text of ['I forgot my password', angry]) {
    await widget('textarea').fill(text);
    await widget('form button').click();
    await widget('.msg.customer', { hasText: text }).waitFor();
  }
  const strip = widget('.waiting.on', { hasText: 'Waiting for an agent…' });
  await strip.waitFor();
  await widget('.waiting.on .eta', { hasText: 'Usually about 1 min.' }).waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  for (const viewport of [
    { width: 1440, height: 900 },
    { width: 1280, height: 720 },
  ]) {
    await page.setViewportSize(viewport);
    const box = (await strip.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
    await page.screenshot({ path: join(shots, `widget-expected-wait-${viewport.width}x${viewport.height}.png`) });
  }
  expect(web.pageErrors).toEqual([]);
});
