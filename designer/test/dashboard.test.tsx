import { render, screen, waitFor, within } from '@testing-library/react';
import type { Measures, MetricsReport } from '@baton/schemas';
import { Dashboard } from '../src/dashboard/Dashboard';

/**
 * The measures dashboard in jsdom, the API a fetch stub: the filter names every journey (one without
 * traffic too), the trend is drawn per day, the knowledge-base answers never show deflection alone,
 * the corrections waiting to be learned are counted, and a failed handoff links to its conversation.
 */
const scores = (scale: number, count = 0, mean: number | null = null) => ({
  count,
  mean,
  distribution: Object.fromEntries(Array.from({ length: scale }, (_, i) => [String(i + 1), 0])),
});
const measures: Measures = {
  conversations: {
    total: 7,
    ended: 5,
    inProgress: 2,
    escalated: 3,
    deflected: { confirmed: 1, assumed: 2, total: 3 },
    rates: { escalated: 0.4, deflectedConfirmed: 0.2, deflectedAssumed: 0.4 },
  },
  answers: {
    visits: 6,
    answered: 5,
    unsure: 1,
    confirmed: 2,
    assumed: 2,
    notResolved: 1,
    rates: { answered: 0.8333, confirmed: 0.4, assumed: 0.4, notResolved: 0.2 },
  },
  ces: scores(7),
  csat: scores(5, 3, 4),
  handoffs: {
    tickets: 3,
    claimed: 2,
    resolved: 1,
    reopened: 0,
    resolvedWithoutReopen: 1,
    resolutionRate: 0.3333,
    handleTime: { count: 1, p50Seconds: 60, p90Seconds: 60, meanSeconds: 60 },
  },
  agents: { summaryVerdicts: 0, summaryHelpful: 0, helpfulRate: null, pulse: scores(5) },
};
const point = (day: string, conversations: number, csat: number | null) => ({
  start: `${day}T00:00:00.000Z`,
  conversations,
  resolvedByBot: conversations > 0 ? 1 : 0,
  handedOff: conversations > 1 ? 1 : 0,
  csat: { count: csat === null ? 0 : 1, mean: csat },
});
const report: MetricsReport = {
  period: { from: '2026-12-03T00:00:00.000Z', to: '2026-12-06T00:00:00.000Z' },
  reopenWindowHours: 72,
  filter: {},
  overall: measures,
  journeys: [{ journeyId: 'password-reset', measures, versions: [{ version: 2, measures }] }],
  failedHandoffs: [
    {
      ticketId: 't-9',
      conversationId: 'conv-9',
      journeyId: 'password-reset',
      version: 2,
      queue: 'accounts',
      assignee: 'Sam',
      reasons: ['misrouted'],
      openedAt: Date.parse('2026-12-04T10:00:00Z'),
      resolvedAt: null,
    },
  ],
  trend: {
    bucket: 'day',
    points: [point('2026-12-03', 3, 4), point('2026-12-04', 0, null), point('2026-12-05', 4, 4)],
  },
  correctionsToLearn: 4,
};
const journeys = [
  { id: 'password-reset', name: 'Password reset', latestVersion: 2 },
  { id: 'faq-hours', name: 'Opening hours', latestVersion: 1 },
];

beforeEach(() => {
  globalThis.fetch = jest.fn(async (url: string | URL | Request) => {
    const path = String(url).replace(/^\/api/, '');
    const body = path === '/journeys' ? { journeys } : path.startsWith('/metrics?') ? report : { title: 'Not found' };
    const status = path === '/journeys' || path.startsWith('/metrics?') ? 200 : 404;
    return { ok: status < 400, status, statusText: '', text: async () => JSON.stringify(body) } as Response;
  }) as typeof fetch;
});

test('names every journey, draws the trend, the answers and the corrections, and links a failed handoff', async () => {
  render(<Dashboard />);
  await screen.findByTestId('card-conversations');

  const journey = screen.getByLabelText('Journey', { selector: 'select' });
  await waitFor(() =>
    expect(
      within(journey)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual([
      'All journeys',
      'Opening hours', // no traffic in the period, listed by name all the same
      'Password reset',
    ]),
  );

  // One vocabulary: nothing is "in progress", the bot and the agents have what they have.
  const conversations = screen.getByTestId('card-conversations').textContent ?? '';
  expect(conversations).toMatch(/resolved by the bot 3 \(confirmed 1, assumed 2\)/);
  expect(conversations).toMatch(/handed off to an agent 3/);
  expect(conversations).toMatch(/still with the bot 1/);
  expect(screen.getByTestId('card-handoffs').textContent).toMatch(
    /waiting for an agent 1 · with an agent 1 · resolved by an agent 1/,
  );
  expect(document.body.textContent).not.toMatch(/in progress/i);

  // The trend, one value per day, and a day without CSAT answers said as such.
  screen.getByRole('img', { name: /^Conversations started\. Dec 3: 3, Dec 4: 0, Dec 5: 4$/ });
  screen.getByRole('img', { name: /^CSAT\. Dec 3: 4, Dec 4: no answers, Dec 5: 4$/ });
  expect(screen.getByTestId('trend-conversations-started').querySelector('figcaption')?.textContent).toBe(
    'Conversations started 7',
  );

  // The answers: confirmed and assumed deflection beside what did not resolve it.
  const answers = screen.getByTestId('answers');
  expect(answers.textContent).toMatch(/5 answered of 6 questions \(83 %\)/);
  within(answers).getByRole('img', {
    name: /Answered, confirmed deflection: 2, Answered, assumed deflection: 2, Answered, not resolved: 1, Unsure, no answer: 1/,
  });
  expect(screen.getByTestId('corrections-to-learn').textContent).toMatch(
    /^4 corrections by agents waiting to be learned/,
  );

  const failed = within(screen.getByTestId('failed-handoffs')).getByRole('link', { name: 'Open conversation' });
  expect(failed.getAttribute('href')).toBe('#/inbox?ticket=t-9');
  expect(failed.closest('tr')?.textContent).toMatch(/Password reset v2/);
  // Each version links to its conversations in the Temporal UI when the server gives the link, and only then.
  const versions = screen.getByTestId('versions-table');
  expect(within(versions).queryByRole('link', { name: 'Conversations in Temporal' })).toBeNull();
});

test('links a journey version to its conversations in the Temporal UI when the server gives the link', async () => {
  const temporalUrl =
    'http://ui.test/namespaces/default/workflows?query=' +
    encodeURIComponent('BatonJourneyId = "password-reset" AND BatonJourneyVersion = 2');
  report.journeys = [{ journeyId: 'password-reset', measures, versions: [{ version: 2, measures, temporalUrl }] }];
  render(<Dashboard />);
  const link = await within(await screen.findByTestId('versions-table')).findByRole('link', {
    name: 'Conversations in Temporal',
  });
  expect(link.getAttribute('href')).toBe(temporalUrl);
  expect(link.getAttribute('target')).toBe('_blank');
  expect(link.closest('tr')?.getAttribute('data-version')).toBe('password-reset@2');
});
