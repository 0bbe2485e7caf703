/**
 * The agent's pinned workspace in real headless Chromium against the real stack, at the two screens
 * agents use (1440×900 and 1280×720): with a long thread the reply box and claim/resolve stay inside
 * the window and only the thread scrolls; the packet is one line; the list tells three customers
 * named Ana apart, shows how long each waits and what is unread, and keeps its order when a ticket is
 * claimed; every keyboard shortcut does what `?` says (j/k, c, r, / with a canned response, Ctrl+Enter,
 * e). Screenshots: test-artifacts/screenshots/workspace-*.png.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import request from 'supertest';
import { startBrowserStack, type BrowserStack } from '@baton/test-support/web-app';
import { seriousViolations } from './a11y-check';

const root = join(__dirname, '..');
const shots = join(root, 'test-artifacts', 'screenshots');
const journey = JSON.parse(readFileSync(join(root, 'examples', 'password-reset', 'journey.json'), 'utf8')) as Record<
  string,
  unknown
>;

// Routed handoffs, so the queue's SLA timers run in the conversation.
for (const node of journey.nodes as { type: string; data: Record<string, unknown> }[])
  if (node.type === 'handoff') node.data.routing = { skills: [], rules: [] };

jest.setTimeout(240_000);

let web: BrowserStack;
let server: Server;
let base: string;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  web = await startBrowserStack();
  ({ server, base, page, pageErrors } = web);
});

afterAll(async () => {
  await web?.stop();
});

const api = () => request(server);
const shot = (name: string) => page.screenshot({ path: join(shots, `workspace-${name}.png`) });

/** A customer on password-reset who gets frustrated: handed off, with a ticket. */
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
  return { conversationId, ticketId: angry.body.conversation.waiting.ticketId as string };
}

async function box(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const found = await locator.boundingBox();
  if (!found) throw new Error('not rendered');
  return found;
}

/** The element is wholly inside the window. */
async function expectInView(locator: Locator): Promise<void> {
  const viewport = page.viewportSize()!;
  const { x, y, width, height } = await box(locator);
  expect(x).toBeGreaterThanOrEqual(0);
  expect(y).toBeGreaterThanOrEqual(0);
  expect(x + width).toBeLessThanOrEqual(viewport.width);
  expect(y + height).toBeLessThanOrEqual(viewport.height);
}

type Scroller = { scrollHeight: number; clientHeight: number; scrollWidth: number; clientWidth: number };
const sizes = (locator: Locator) =>
  locator.evaluate((el) => {
    const e = el as unknown as Scroller;
    return {
      scrollHeight: e.scrollHeight,
      clientHeight: e.clientHeight,
      scrollWidth: e.scrollWidth,
      clientWidth: e.clientWidth,
    };
  });
const pageScroll = () =>
  page.evaluate(() => {
    const d = (globalThis as unknown as { document: { scrollingElement: Scroller } }).document.scrollingElement;
    return { scrollHeight: d.scrollHeight, clientHeight: d.clientHeight };
  });
const focusedLabel = () =>
  page.evaluate(
    () =>
      (
        globalThis as unknown as { document: { activeElement: { getAttribute(name: string): string | null } | null } }
      ).document.activeElement?.getAttribute('aria-label') ?? null,
  );
const rowIds = () =>
  page.locator('.ib-list .ib-item').evaluateAll((els) => els.map((el) => el.getAttribute('data-id')));

it('keeps the reply box and the actions in view, and works from the keyboard, at 1440×900 and 1280×720', async () => {
  await api().post('/api/journeys').send(journey).expect(201);
  await api().post('/api/journeys/password-reset/publish').send({ author: 'e2e' }).expect(201);
  // The admin writes a canned response on the knowledge base page.
  await page.goto(`${base}/#/kb`);
  await page.getByLabel('Canned response id').fill('greeting');
  await page.getByLabel('Canned response title').fill('Greeting');
  await page.getByLabel('Canned response text').fill('Hi {{customer.firstName}}, I am {{agent.name}} and I am on it.');
  await page.getByRole('button', { name: 'Save response' }).click();
  await page.locator('.ib-canned-admin .good', { hasText: 'Saved greeting' }).waitFor();
  const canned = await api().get('/api/canned-responses').expect(200);
  expect(canned.body.responses).toEqual([
    expect.objectContaining({ id: 'greeting', text: 'Hi {{customer.firstName}}, I am {{agent.name}} and I am on it.' }),
  ]);
  // The accounts queue answers high-priority tickets within 30 minutes: the list counts down to it.
  await api()
    .put('/api/queues/accounts')
    .send({ name: 'Accounts', sla: { firstResponseMinutes: { high: 30 }, resolutionMinutes: { high: 240 } } })
    .expect((res) => expect([200, 201]).toContain(res.status));
  // Three customers named Ana, the first with a long thread (they kept writing while waiting).
  const first = await handOff({ id: 'visitor-4f1c2a9e-77aa-4bd2-9d1e-0a1b2c3d4e5f', name: 'Ana Silva' });
  const second = await handOff({ id: 'visitor-9b8c7d6e-1111-4222-8333-444455556666', name: 'Ana Silva' });
  const third = await handOff({ id: 'cust-ana-3', name: 'Ana Silva', email: 'ana@example.com' });
  for (let i = 1; i <= 24; i += 1)
    await api()
      .post(`/api/conversations/${first.conversationId}/messages`)
      .send({
        clientMessageId: `more-${i}`,
        text: `Still waiting, message ${i}: I really need to get into my account.`,
      })
      .expect(201);

  await page.goto(`${base}/#/inbox`);
  await page.getByLabel('Agent name').fill('Sam');
  await page.getByLabel('Agent name').press('Enter');
  for (const { ticketId } of [first, second, third]) await page.locator(`.ib-item[data-id="${ticketId}"]`).waitFor();

  // The list: oldest wait first, how long each waits, and the three Anas told apart.
  expect((await rowIds()).slice(0, 3)).toEqual([first.ticketId, second.ticketId, third.ticketId]);
  const refs = await Promise.all(
    [first, second, third].map(({ ticketId }) =>
      page.locator(`.ib-item[data-id="${ticketId}"] .ib-item-ref`).textContent(),
    ),
  );
  expect(new Set(refs).size).toBe(3);
  expect(refs[2]).toBe('ana@example.com');
  expect(await page.locator(`.ib-item[data-id="${first.ticketId}"] .ib-wait`).textContent()).toMatch(
    /^waiting \d+ (s|min)$/,
  );
  expect(await page.locator(`.ib-item[data-id="${second.ticketId}"] .ib-sla`).textContent()).toMatch(
    /^SLA (29|30) min$/,
  );
  // The first Ana wrote last: unread until the agent opens her ticket.
  await page.locator(`.ib-item.unread[data-id="${first.ticketId}"]`).waitFor();

  // j opens the first row, j the next, k back (keys act when no field has the focus).
  await page.getByLabel('Agent name').blur();
  await page.keyboard.press('j');
  await page.locator(`.ib-item.selected[data-id="${first.ticketId}"]`).waitFor();
  await page.locator('.ib-view-head', { hasText: 'Ana Silva' }).waitFor();
  await page.locator(`.ib-item.unread[data-id="${first.ticketId}"]`).waitFor({ state: 'detached' });
  await page.keyboard.press('j');
  await page.locator(`.ib-item.selected[data-id="${second.ticketId}"]`).waitFor();
  await page.keyboard.press('k');
  await page.locator(`.ib-item.selected[data-id="${first.ticketId}"]`).waitFor();
  const thread = page.locator('.ib-thread');
  await thread.locator('.ib-msg', { hasText: 'message 24' }).waitFor();

  // The pinned workspace: a long thread scrolls inside itself; the window does not scroll; the head
  // with Claim and the reply box are on screen, the packet is one line and nothing of it is cut.
  for (const viewport of [
    { width: 1440, height: 900 },
    { width: 1280, height: 720 },
  ]) {
    await page.setViewportSize(viewport);
    const inThread = await sizes(thread);
    expect(inThread.scrollHeight).toBeGreaterThan(inThread.clientHeight);
    const whole = await pageScroll();
    expect(whole.scrollHeight).toBeLessThanOrEqual(whole.clientHeight);
    await expectInView(page.getByRole('button', { name: 'Claim' }));
    await expectInView(page.getByRole('button', { name: 'Resolve' }));
    await expectInView(page.getByLabel('Reply', { exact: true }));
    await expectInView(page.getByRole('button', { name: 'Send reply' }));
    expect((await box(page.getByLabel('Handoff packet'))).height).toBeLessThan(48);
    const packet = await sizes(page.getByLabel('Handoff packet'));
    expect(packet.scrollWidth).toBeLessThanOrEqual(packet.clientWidth);
    // The newest message is in view: the thread opened at its end.
    await expectInView(thread.locator('.ib-msg', { hasText: 'message 24' }));
    await shot(`pending-${viewport.width}`);
  }
  await page.setViewportSize({ width: 1440, height: 900 });

  // c claims; the row keeps its place although it is no longer pending.
  const before = await rowIds();
  await page.keyboard.press('c');
  await page.locator('.ib-view-head .ib-status-open').waitFor();
  await page.locator(`.ib-item[data-id="${first.ticketId}"] .ib-status-open`).waitFor();
  expect(await rowIds()).toEqual(before);
  expect(await page.locator('.ib-item.selected').getAttribute('data-id')).toBe(first.ticketId);

  // r goes to the reply box; / lists the canned responses; Enter puts one in, filled in.
  await page.keyboard.press('r');
  expect(await focusedLabel()).toBe('Reply');
  await page.keyboard.type('/gree');
  await page
    .getByRole('listbox', { name: 'Canned responses' })
    .getByRole('option', { name: /Greeting/ })
    .waitFor();
  await shot('canned');
  // The picker, as open: no serious or critical accessibility violation (names, roles, contrast).
  expect(await seriousViolations(page, '.ib-canned[role="listbox"]')).toEqual([]);
  await page.keyboard.press('Enter');
  const reply = page.getByLabel('Reply', { exact: true });
  expect(await reply.inputValue()).toBe('Hi Ana, I am Sam and I am on it.');
  // Ctrl+Enter sends.
  await page.keyboard.press('Control+Enter');
  await thread.locator('.ib-from-agent', { hasText: 'Hi Ana, I am Sam and I am on it.' }).waitFor();
  expect(await reply.inputValue()).toBe('');
  const seen = await api().get(`/api/conversations/${first.conversationId}`).expect(200);
  expect(
    (seen.body.conversation.transcript as { from: string; text: string }[]).filter((e) => e.from === 'agent'),
  ).toEqual([expect.objectContaining({ text: 'Hi Ana, I am Sam and I am on it.' })]);

  // Another agent (an admin here: access control is off) takes the ticket over from the head.
  await page.getByLabel('Agent name').fill('Kim');
  await page.getByLabel('Agent name').press('Enter');
  await page.getByRole('button', { name: 'Take over' }).click();
  await page.locator('.ib-actions', { hasText: 'with Kim' }).waitFor();
  expect(await page.getByRole('button', { name: 'Take over' }).count()).toBe(0);
  await page.getByLabel('Agent name').blur();

  // An internal note sits in the thread, styled apart, after the reply.
  await page.getByRole('tab', { name: 'Internal note' }).click();
  await page.getByLabel('Internal note', { exact: true }).fill('Checked the login logs: 5 failed attempts.');
  await page.keyboard.press('Control+Enter');
  const note = thread.locator('.ib-msg.ib-note', { hasText: 'Kim' }).filter({ hasText: '5 failed attempts' });
  await note.waitFor();
  expect(await thread.locator('.ib-msg').last().textContent()).toContain('5 failed attempts');

  // ? lists the shortcuts (after Esc has left the box); Esc closes the list.
  await page.keyboard.press('Escape');
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await help.waitFor();
  for (const keys of ['j / k', 'c', 'e', 'r', 'Ctrl/⌘ + Enter', '/', '?'])
    expect(await help.locator('kbd', { hasText: keys }).count()).toBeGreaterThan(0);
  await shot('shortcuts');
  await page.keyboard.press('Escape');
  await help.waitFor({ state: 'detached' });

  // The packet opens on demand; the bot's findings read as key/value lines, never JSON.
  await page.getByLabel('Handoff packet').getByRole('button', { expanded: false }).click();
  const facts = page.locator('.ib-packet-body');
  await facts.waitFor();
  expect((await facts.textContent()) ?? '').not.toMatch(/[{}]"/);
  await expectInView(page.locator('.ib-composer textarea'));
  await shot('packet-open');
  await page.getByLabel('Handoff packet').getByRole('button', { expanded: true }).click();

  for (const viewport of [
    { width: 1440, height: 900 },
    { width: 1280, height: 720 },
  ]) {
    await page.setViewportSize(viewport);
    await expectInView(page.getByRole('button', { name: 'Resolve' }));
    await expectInView(page.getByRole('button', { name: 'Add note' }));
    // The thread is still at its newest line after the packet opened and closed and the window shrank.
    await expectInView(note);
    await shot(`open-${viewport.width}`);
  }

  // e resolves.
  await page.keyboard.press('e');
  await page.locator('.ib-view-head .ib-status-resolved').waitFor();
  const resolved = await api().get(`/api/conversations/${first.conversationId}`).expect(200);
  expect(resolved.body.conversation.waiting).toMatchObject({ kind: 'survey' });
  expect(pageErrors).toEqual([]);
});
