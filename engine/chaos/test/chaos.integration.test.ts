/**
 * The fault suite, small: the same scenarios as `npm run chaos` on a stack of this test's own
 * (its own Temporal dev server on a file database and its own Mongo-wire server, since the test
 * stops them), with a few conversations each. No timing assertions: only counts.
 */
import { startChaosStack, type ChaosStack } from '../stack';
import {
  aiFailureScenario,
  formatResult,
  mongoOutageScenario,
  temporalRestartScenario,
  workerKillScenario,
  type ScenarioResult,
} from '../scenarios';

let stack: ChaosStack;

beforeAll(async () => {
  stack = await startChaosStack();
}, 300_000);

afterAll(async () => {
  await stack?.stop();
}, 120_000);

function expectLossless(result: ScenarioResult): void {
  // The line names what went wrong when the test fails.
  const line = [formatResult(result), ...result.notes].join('\n');
  expect({
    line,
    lost: result.tally.lostMessages,
    duplicated: result.tally.duplicatedMessages,
    duplicateTickets: result.tally.duplicateTickets,
    missingTickets: result.tally.missingTickets,
    completed: result.tally.completed,
  }).toEqual({
    line,
    lost: 0,
    duplicated: 0,
    duplicateTickets: 0,
    missingTickets: 0,
    completed: result.tally.conversations,
  });
  expect(result.ok).toBe(true);
}

it('loses nothing when the worker is killed with SIGKILL twice', async () => {
  const result = await workerKillScenario(stack, { conversations: 8, kills: 2, concurrency: 8 });
  expectLossless(result);
  expect(result.extra.kills).toBeGreaterThan(0);
}, 600_000);

it('continues every waiting conversation after the Temporal server restarts on its file database', async () => {
  const result = await temporalRestartScenario(stack, { conversations: 4, downMs: 3_000 });
  expectLossless(result);
}, 600_000);

it('answers 503 problem+json while the Mongo-wire server is down and loses nothing once it is back', async () => {
  const result = await mongoOutageScenario(stack, { conversations: 4, outageMs: 5_000 });
  expectLossless(result);
  expect(result.extra.problem503).toBeGreaterThan(0);
  expect(result.extra.other5xx).toBe(0);
}, 600_000);

it.each(['fail', 'hang'] as const)(
  'hands every conversation to a human, reason recorded, when the AI provider %ss',
  async (mode) => {
    // The "provider" is a local HTTP server standing in for a hosted OpenAI-compatible API (none is reachable here).
    const result = await aiFailureScenario(stack, { conversations: 3, mode, aiTimeoutMs: 1_500 });
    expectLossless(result);
    expect(result.extra.modelCalls).toBeGreaterThan(0);
    expect(result.extra.handedOff).toBe(3);
    expect(result.extra.reasonsRecorded).toBe(3);
  },
  600_000,
);
