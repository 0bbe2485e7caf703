/**
 * "Open in Temporal" in real headless Chromium against the real stack, with the API told where the
 * Temporal UI runs (BATON_TEMPORAL_UI_URL, here a stand-in page the browser is served): the inbox's
 * conversation header and the dashboard's failed-handoff row link to the conversation's workflow;
 * clicking opens a new tab on `<ui>/namespaces/<namespace>/workflows/<conversation id>`, and that
 * workflow is the conversation's, running on the stack's Temporal; the dashboard's version row and the
 * canvas's live overlay of a version list that version's workflows by BatonJourneyId and
 * BatonJourneyVersion, and the ticket's workflow is the one a BatonTicketId query finds. Without a UI
 * configured, no link.
 * Screenshots: test-artifacts/screenshots/temporal-link-*.png.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import request from 'supertest';
import { serve, startBrowserStack, webApp, type BrowserStack, type Served } from '@baton/test-support/web-app';

const root = join(__dirname, '..');
const shots = join(root, 'test-artifacts', 'screenshots');
const journey = JSON.parse(readFileSync(join(root, 'examples', 'password-reset', 'journey.json'), 'utf8')) as Record<
  string,
  unknown
>;
const ui = 'http://temporal-ui.test';

jest.setTimeout(180_000);

let web: BrowserStack;
let linked: Served;
let page: Page;
let namespace: string;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  web = await startBrowserStack();
  page = web.page;
  namespace = web.stack.client.options.namespace;
  // The same stack behind an API that knows the Temporal UI, as `baton dev` and BATON_TEMPORAL_UI_URL set it up.
  linked = await serve(
    webApp(web.stack, {
      temporalUiUrl: (id) => `${ui}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(id)}`,
      temporalUiListUrl: (query) =>
        `${ui}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent(query)}`,
    }),
  );
  await page.context().route(`${ui}/**`, (route) =>
    route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: '<!doctype html><html lang="en"><title>Temporal</title><h1>Temporal UI</h1></html>',
    }),
  );
});

afterAll(async () => {
  await linked?.close();
  await web?.stop();
});

/** Clicks a link that opens a new tab; answers the tab's address. */
async function opens(link: Locator): Promise<string> {
  const [tab] = await Promise.all([page.waitForEvent('popup'), link.click()]);
  await tab.waitForLoadState();
  const url = tab.url();
  await tab.close();
  return url;
}

it('links the inbox header and the failed handoff to the conversation’s workflow', async () => {
  const api = () => request(linked.server);
  await api().post('/api/journeys').send(journey).expect(201);
  await api().post('/api/journeys/password-reset/publish').send({ author: 'e2e', message: 'first' }).expect(201);
  const started = await api()
    .post('/api/conversations')
    .send({ journeyId: 'password-reset', channel: 'web', customer: { id: 'cust-t1', name: 'Tess Ops' } })
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
  const ticketId = angry.body.conversation.waiting.ticketId as string;
  const expected = `${ui}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(conversationId)}`;

  // The workflow the link names is this conversation's, on the stack's Temporal.
  const described = await web.stack.client.workflow.getHandle(conversationId).describe();
  expect(described.workflowId).toBe(conversationId);
  expect(described.taskQueue).toBe(web.stack.taskQueue);

  for (const [width, height] of [
    [1440, 900],
    [1280, 720],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.goto(`${linked.base}/#/inbox?ticket=${encodeURIComponent(ticketId)}`);
    const link = page.locator('.ib-view-head').getByRole('link', { name: 'Open in Temporal' });
    await link.waitFor();
    // In the fixed header, inside the window, beside Claim.
    const box = (await link.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(width);
    expect(box.y + box.height).toBeLessThanOrEqual(height);
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toContain('noopener');
    await page.screenshot({ path: join(shots, `temporal-link-inbox-${width}x${height}.png`) });
  }
  expect(await opens(page.locator('.ib-view-head').getByRole('link', { name: 'Open in Temporal' }))).toBe(expected);

  // The agent resolves; the handoff counts as failed once the customer says the summary did not help.
  await api()
    .post(`/api/tickets/${ticketId}/claim`)
    .send({ agent: { id: 'agent-t', name: 'Tam' } })
    .expect((res) => expect([200, 201]).toContain(res.status));
  await api()
    .post(`/api/tickets/${ticketId}/feedback`)
    .send({ agent: { id: 'agent-t', name: 'Tam' }, summaryHelpful: false })
    .expect((res) => expect([200, 201]).toContain(res.status));
  const metrics = await api().get('/api/metrics').expect(200);
  const row = (metrics.body.failedHandoffs as { ticketId: string; temporalUrl?: string }[]).find(
    (r) => r.ticketId === ticketId,
  );
  expect(row?.temporalUrl).toBe(expected);
  await page.goto(`${linked.base}/#/dashboard`);
  const dashLink = page.locator(`[data-testid="failed-handoffs"] tr[data-ticket="${ticketId}"]`).getByRole('link', {
    name: 'Open in Temporal',
  });
  await dashLink.waitFor();
  await dashLink.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, 'temporal-link-dashboard-1280x720.png') });
  expect(await opens(dashLink)).toBe(expected);

  // The journey version's row lists its conversations in the Temporal UI, by Baton's search attributes.
  const versionUrl = `${ui}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent(
    'BatonJourneyId = "password-reset" AND BatonJourneyVersion = 1',
  )}`;
  const journeyRow = (metrics.body.journeys as { journeyId: string; versions: { temporalUrl?: string }[] }[]).find(
    (j) => j.journeyId === 'password-reset',
  );
  expect(journeyRow?.versions[0]?.temporalUrl).toBe(versionUrl);
  const versionLink = page
    .locator('[data-testid="versions-table"] tr[data-version="password-reset@1"]')
    .getByRole('link', { name: 'Conversations in Temporal' });
  expect(await opens(versionLink)).toBe(versionUrl);

  // The canvas's live overlay of v1 offers the same list, beside its counts.
  const overlay = await api().get('/api/journeys/password-reset/versions/1/overlay').expect(200);
  expect(overlay.body.temporalUrl).toBe(versionUrl);
  await page.goto(`${linked.base}/#/journeys/password-reset`);
  await page.locator('[data-testid="tab-versions"]').click();
  await page.locator('[data-testid="version-1"] button', { hasText: 'Open' }).click();
  const summary = page.locator('[data-testid="overlay-summary"]', { hasText: '1 conversation(s) on v1' });
  await summary.waitFor();
  for (const [width, height] of [
    [1440, 900],
    [1280, 720],
  ] as const) {
    await page.setViewportSize({ width, height });
    const overlayLink = summary.getByRole('link', { name: 'Open in Temporal' });
    const box = (await overlayLink.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(width);
    expect(await overlayLink.getAttribute('rel')).toContain('noopener');
    await page.screenshot({ path: join(shots, `temporal-link-overlay-${width}x${height}.png`) });
  }
  expect(
    await opens(page.locator('[data-testid="overlay-summary"]').getByRole('link', { name: 'Open in Temporal' })),
  ).toBe(versionUrl);

  // What the Temporal UI lists for the ticket: this conversation's workflow, by the attribute the workflow set.
  const byTicket: string[] = [];
  for (let tries = 0; byTicket.length === 0 && tries < 120; tries += 1) {
    for await (const execution of web.stack.client.workflow.list({ query: `BatonTicketId = "${ticketId}"` }))
      byTicket.push(execution.workflowId);
    if (byTicket.length === 0) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  expect(byTicket).toEqual([conversationId]);

  // Where the API does not know a Temporal UI, neither page offers a link.
  expect((await request(web.server).get(`/api/tickets/${ticketId}`).expect(200)).body.temporalUrl).toBeUndefined();
  await page.goto(`${web.base}/#/inbox?ticket=${encodeURIComponent(ticketId)}`);
  await page.locator('.ib-view-head', { hasText: 'Tess Ops' }).waitFor();
  expect(await page.getByRole('link', { name: 'Open in Temporal' }).count()).toBe(0);
  await page.goto(`${web.base}/#/journeys/password-reset`);
  await page.locator('[data-testid="tab-versions"]').click();
  await page.locator('[data-testid="version-1"] button', { hasText: 'Open' }).click();
  await page.locator('[data-testid="overlay-summary"]', { hasText: '1 conversation(s) on v1' }).waitFor();
  expect(await page.getByRole('link', { name: 'Open in Temporal' }).count()).toBe(0);
  expect(web.pageErrors).toEqual([]);
});
