/**
 * The agents' inbox end to end, in real headless Chromium (Debian's `chromium`, driven by
 * playwright-core), against the real stack (Temporal dev server, Mongo-wire server, a real worker,
 * the API serving the built web app). A frustrated customer on password-reset is handed off over
 * HTTP; an agent opens #/inbox, reads the packet, claims, asks the assist, inserts the suggestion,
 * replies (a first attempt fails on the network and loses nothing), adds an internal note, marks the
 * summary and resolves. Screenshots: test-artifacts/screenshots/inbox-*.png.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { inboxCollections, kbCollection, seedKnowledgeBase } from '@baton/store';
import { webApp, serve, collectPageErrors } from '@baton/test-support/web-app';
import { startTestStack, type TestStack } from '@baton/test-support/stack';
import { launchChromium, ensureWebAppBuilt } from '@baton/test-support/browser';

const root = join(__dirname, '..');
const shots = join(root, 'test-artifacts', 'screenshots');
const journey = JSON.parse(readFileSync(join(root, 'examples', 'password-reset', 'journey.json'), 'utf8')) as Record<
  string,
  unknown
>;

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
  await seedKnowledgeBase(
    stack.store.collection(kbCollection).db,
    join(root, 'workers', 'ai', 'models', 'kb-articles.json'),
  );
  const app = webApp(stack);
  ({ server, base } = await serve(app));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  collectPageErrors(page, pageErrors);
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await stack?.stop();
});

const shot = (name: string) => page.screenshot({ path: join(shots, `inbox-${name}.png`), fullPage: true });
const api = () => request(server);

/** A customer on password-reset who gets frustrated: handed off over HTTP, with a ticket. */
async function handOff(customer: Record<string, string>): Promise<{ conversationId: string; ticketId: string }> {
  const started = await api()
    .post('/api/conversations')
    .send({ journeyId: 'password-reset', channel: 'web', customer })
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
  const ticketId: string = angry.body.conversation.waiting.ticketId;
  expect(ticketId).toEqual(expect.any(String));
  return { conversationId, ticketId };
}

it('an agent takes a frustrated customer from the inbox to resolution, with the AI assist', async () => {
  // The customer's side, over HTTP.
  await api().post('/api/journeys').send(journey).expect(201);
  await api().post('/api/journeys/password-reset/publish').send({ author: 'e2e' }).expect(201);
  const { conversationId, ticketId } = await handOff({
    id: 'cust-e2e',
    name: 'Ada Lovelace',
    email: 'ada@example.com',
    tier: 'gold',
  });
  // Someone else still with the bot, in the same stream.
  await api()
    .post('/api/conversations')
    .send({ journeyId: 'password-reset', customer: { id: 'cust-bot', name: 'Grace Hopper' } })
    .expect(201);

  // The agent.
  await page.goto(`${base}/#/inbox`);
  await page.getByLabel('Agent name').fill('Sam');
  await page.getByLabel('Agent name').press('Enter');
  const row = page.locator(`.ib-item[data-id="${ticketId}"]`);
  await row.waitFor();
  expect(await row.textContent()).toMatch(/Ada Lovelace.*pending.*high/);
  expect(await page.locator('.ib-item', { hasText: 'Grace Hopper' }).textContent()).toMatch(/bot/);
  await row.click();

  const packet = page.getByLabel('Handoff packet');
  await packet.waitFor();
  // The packet is one line until the agent opens it.
  expect(await packet.locator('.ib-facts').count()).toBe(0);
  await packet.getByRole('button', { expanded: false }).click();
  await packet.locator('.ib-facts').waitFor();
  const packetText = (await packet.textContent()) ?? '';
  expect(packetText).toMatch(/Customer asked: "I forgot my password"/);
  expect(packetText).toMatch(/sentiment negative/);
  expect(packetText).toMatch(/Sent a password reset link/);
  expect(packetText).toMatch(/customer is frustrated/);
  expect(packetText).toMatch(/gold/);
  expect(await packet.locator('svg.ib-spark circle').count()).toBeGreaterThanOrEqual(2);
  await shot('1-packet');

  await page.getByRole('button', { name: 'Claim' }).click();
  await page.locator('.ib-thread', { hasText: "You're now speaking with Sam, a human agent." }).waitFor();
  await page.locator('.ib-view-head .ib-status-open').waitFor();

  // AI assist: by default it asks with what the customer said.
  await page.getByRole('button', { name: 'Ask', exact: true }).click();
  const firstSource = page.locator('.ib-sources li').first();
  await firstSource.waitFor();
  expect(await firstSource.textContent()).toMatch(/password/i);
  // Titles and passages only: ranking scores and article ids mean nothing to an agent.
  const assistText = (await page.locator('.ib-answer').textContent()) ?? '';
  expect(assistText).not.toMatch(/score|kb-recover-password/);
  await shot('2-assist');
  await page.getByRole('button', { name: 'Insert into reply' }).click();
  const replyBox = page.getByLabel('Reply', { exact: true });
  // Insert puts the text in the reply box and the cursor in it.
  await page.waitForFunction(() => {
    const active = (globalThis as unknown as { document: { activeElement: { ariaLabel?: string | null } | null } })
      .document.activeElement;
    return active?.ariaLabel === 'Reply';
  });
  const suggestion = await replyBox.inputValue();
  expect(suggestion).toMatch(/^Hi Ada,\n\n/);
  await replyBox.fill(`${suggestion}\n\nI have also unlocked your account.`);
  const reply = await replyBox.inputValue();

  // A failed send keeps every word and says why.
  await page.route('**/api/tickets/*/messages', (route) => route.abort());
  await page.getByRole('button', { name: 'Send reply' }).click();
  await page.locator('.ib-composer .error', { hasText: 'Not sent' }).waitFor();
  expect(await replyBox.inputValue()).toBe(reply);
  await shot('3-failed-send');
  await page.unroute('**/api/tickets/*/messages');
  await page.getByRole('button', { name: 'Send reply' }).click();
  await page.locator('.ib-from-agent', { hasText: 'I have also unlocked your account.' }).waitFor();
  expect(await replyBox.inputValue()).toBe('');

  // The customer received it, once.
  const seen = await api().get(`/api/conversations/${conversationId}`).expect(200);
  const agentLines = seen.body.conversation.transcript.filter((entry: { from: string }) => entry.from === 'agent');
  expect(agentLines).toHaveLength(1);
  expect(agentLines[0].text).toBe(reply.trim());

  // An internal note stays with the agents.
  await page.getByRole('tab', { name: 'Internal note' }).click();
  await page
    .getByLabel('Internal note', { exact: true })
    .fill('Locked after 5 attempts; unlocked in the admin console.');
  await page.getByRole('button', { name: 'Add note' }).click();
  await page.locator('.ib-note', { hasText: 'unlocked in the admin console' }).waitFor();
  const after = await api().get(`/api/conversations/${conversationId}`).expect(200);
  expect(JSON.stringify(after.body.conversation.transcript)).not.toContain('admin console');

  // The verdict on the summary, with the agent's pulse.
  await page.getByLabel('Agent pulse').selectOption('4');
  await page.getByRole('button', { name: 'Helpful', exact: true }).click();
  await page.locator('.ib-verdict .good', { hasText: 'saved (helpful)' }).waitFor();
  const feedback = await stack.store.collection(inboxCollections.feedback).find({ ticketId }).toArray();
  expect(feedback).toEqual([
    expect.objectContaining({ summaryHelpful: true, pulse: 4, agentId: 'agent-sam', journeyId: 'password-reset' }),
  ]);
  // The bot's last reading was "no" (from "did the link work?"); the agent labels the request.
  // The packet shows what the customer came for (reset_password); the agent judges it was a request for a human.
  await page.getByLabel('Correct the intent').selectOption('human');
  await page.locator('.ib-facts', { hasText: 'corrected to human' }).waitFor();
  const corrections = await stack.store
    .collection(inboxCollections.intentCorrections)
    .find({ conversationId })
    .toArray();
  expect(corrections).toEqual([
    expect.objectContaining({
      intent: 'human',
      previousIntent: 'reset_password',
      agentId: 'agent-sam',
      text: expect.stringContaining('I forgot my password'),
    }),
  ]);
  await shot('4-replied');

  await page.getByRole('button', { name: 'Resolve' }).click();
  await page.locator('.ib-view-head .ib-status-resolved').waitFor();
  const resolved = await api().get(`/api/conversations/${conversationId}`).expect(200);
  expect(resolved.body.conversation.waiting).toMatchObject({ kind: 'survey' });
  await page.getByRole('tab', { name: /^resolved/ }).click();
  await page.locator(`.ib-item[data-id="${ticketId}"]`).waitFor();
  await shot('5-resolved');
  // The address names the ticket: opened from a link (the dashboard's failed handoffs use these).
  expect(page.url()).toContain(`#/inbox?ticket=${ticketId}`);
  const fresh = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await fresh.goto(`${base}/#/inbox?ticket=${ticketId}`);
  await fresh.getByLabel('Handoff packet').waitFor();
  expect(await fresh.locator('.ib-view-head').textContent()).toMatch(/Ada Lovelace.*resolved/);
  await fresh.close();
  expect(pageErrors).toEqual([]);
});

it('the knowledge base page searches like the assist, and a new article is found at once', async () => {
  await page.goto(`${base}/#/kb`);
  await page.locator('.kb-list li').first().waitFor();
  await page.getByLabel('Search the knowledge base').fill('forgot pasword');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.locator('.kb-list li .kb-snippet').first().waitFor();
  expect(await page.locator('.kb-list li').first().getAttribute('data-article')).toMatch(/^kb-recover-password/);

  await page.getByRole('button', { name: 'New article' }).click();
  await page.getByLabel('Title', { exact: true }).fill('Gift card balance');
  await page.getByLabel('Body', { exact: true }).fill('See the balance of a gift card under Account, then Gift cards.');
  await page.getByLabel('Tags', { exact: true }).fill('gift card, balance');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.locator('.good', { hasText: 'Saved kb-gift-card-balance-' }).waitFor();
  await page.getByLabel('Search the knowledge base').fill('gift card balance');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.locator('.kb-list li:first-child[data-article^="kb-gift-card-balance-"]').waitFor();
  await shot('6-knowledge-base');
  expect(pageErrors).toEqual([]);
});

it('an assist answer asked on one ticket never lands on the next ticket the agent opens', async () => {
  const { ticketId: first } = await handOff({ id: 'cust-race-1', name: 'Barbara Liskov' });
  const { ticketId: second } = await handOff({ id: 'cust-race-2', name: 'Edsger Dijkstra' });

  await page.goto(`${base}/#/inbox`);
  await page.locator(`.ib-item[data-id="${first}"]`).click();
  await page.locator('.ib-view-head', { hasText: 'Barbara Liskov' }).waitFor();
  // The answer for the first ticket is held back until the agent has moved to the second.
  const assistOfFirst = `**/api/tickets/${first}/assist`;
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(assistOfFirst, async (route) => {
    await held;
    await route.continue();
  });
  await page.getByRole('button', { name: 'Ask', exact: true }).click();
  await page.getByRole('button', { name: 'Asking…' }).waitFor();
  await page.locator(`.ib-item[data-id="${second}"]`).click();
  await page.locator('.ib-view-head', { hasText: 'Edsger Dijkstra' }).waitFor();
  const answered = page.waitForResponse((response) => response.url().endsWith(`/api/tickets/${first}/assist`));
  release();
  expect((await answered).status()).toBe(200);
  await page.waitForTimeout(200); // React applies (or drops) the late answer
  await page.unroute(assistOfFirst);
  expect(await page.locator('.ib-assist .ib-answer').count()).toBe(0);
  expect(await page.getByRole('button', { name: 'Ask', exact: true }).isEnabled()).toBe(true);
  expect(pageErrors).toEqual([]);
});
