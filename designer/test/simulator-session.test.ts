/**
 * The designer's in-browser simulator drives the production interpreter core; a simulated run saved
 * as a journey test file must pass `baton test` (the real CLI, and the same `simulate` in-process)
 * and take the same path.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileJourney } from '@baton/core/compiler';
import { simulate } from '@baton/core/simulator';
import type { CompiledJourney } from '@baton/schemas';
import {
  advanceTime,
  answerActivity,
  answerSurvey,
  litPath,
  pathLabels,
  sendCustomerMessage,
  startSession,
  toTestFile,
} from '../src/simulator/session';
import { sampleFromSchema } from '../src/simulator/fake';

const root = join(__dirname, '..', '..');
const source = JSON.parse(readFileSync(join(root, 'examples', 'password-reset', 'journey.json'), 'utf8')) as unknown;

function compiled(): CompiledJourney {
  const result = compileJourney(source);
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  return result.journey;
}

const classifyAs = (intent: string | null, sentiment = 0) => ({
  output: {
    intent,
    confidence: 0.9,
    sentiment: { score: sentiment, label: 'neutral' },
    reasons: ['chosen in the simulator'],
  },
});

test('a simulated happy path lights its path and round-trips through baton test', async () => {
  const journey = compiled();
  let session = startSession(journey);
  expect(session.state.waiting?.kind).toBe('reply');
  expect(session.state.nodeId).toBe('ask_need');

  session = sendCustomerMessage(session, 'I forgot my password');
  expect(session.pending?.activity).toBe('baton.classify');
  session = answerActivity(session, classifyAs('reset_password'));
  expect(session.pending?.activity).toBe('accounts.sendResetLink');
  const fake = sampleFromSchema({
    type: 'object',
    properties: { sent: { type: 'boolean' }, to: { type: 'string', format: 'email' }, resetId: { type: 'string' } },
    required: ['sent'],
  });
  expect(fake).toEqual({ sent: true, to: 'someone@example.com', resetId: 'string' });
  session = answerActivity(session, { output: fake });
  expect(session.state.nodeId).toBe('ask_worked');

  session = sendCustomerMessage(session, 'yes that did it');
  session = answerActivity(session, classifyAs('yes'));
  expect(session.state.waiting?.kind).toBe('survey');
  session = answerSurvey(session, { ces: 6, csat: 5 });
  expect(session.state.outcome).toBe('resolved_by_bot');

  const lit = litPath(session.state.path);
  expect(lit.nodes).toContain('send_link');
  expect(lit.edges).toContainEqual({ source: 'worked', handle: 'yes', target: 'survey_bot' });
  expect(lit.nodes).not.toContain('escalate');

  const file = toTestFile(session, 'saved from the designer');
  const result = await simulate(journey, file, {
    activities: (name) => {
      throw new Error(`no runner for ${name}`);
    },
  });
  expect(result.failures).toEqual([]);
  expect(pathLabels(result.path)).toEqual(pathLabels(session.state.path));

  // And the real CLI accepts the file next to the journey.
  const dir = mkdtempSync(join(tmpdir(), 'baton-designer-sim-'));
  mkdirSync(join(dir, 'tests'));
  writeFileSync(join(dir, 'journey.json'), JSON.stringify(source));
  writeFileSync(join(dir, 'tests', 'saved.test.json'), JSON.stringify(file, null, 2));
  const out = execFileSync(
    process.execPath,
    [join(root, 'engine', 'cli', 'bin', 'baton.js'), 'test', join(dir, 'tests', 'saved.test.json')],
    { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
  );
  expect(out).toMatch(/1 passed/);
});

test('virtual time fires the reply timeout, and a failing test file fails', async () => {
  const journey = compiled();
  let session = startSession(journey);
  session = advanceTime(session);
  expect(session.state.status).toBe('ended');
  expect(session.state.outcome).toBe('abandoned');
  expect(pathLabels(session.state.path)).toEqual(['start:next', 'greet:next', 'ask_need:timeout', 'gone']);
  const file = toTestFile(session, 'no reply');
  expect((await simulate(journey, file, { activities: () => null })).passed).toBe(true);
  // The saved expectations are real: a different path fails.
  const wrong = { ...file, expect: { ...(file.expect as object), path: ['ask_need:reply'] } };
  expect((await simulate(journey, wrong, { activities: () => null })).passed).toBe(false);
});

test("a clarifying question asked in the simulator is asked again by the saved test (the classifier's ranking is kept)", async () => {
  const triage = JSON.parse(readFileSync(join(root, 'examples', 'support-triage', 'journey.json'), 'utf8')) as unknown;
  const result = compileJourney(triage);
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  let session = startSession(result.journey);
  session = sendCustomerMessage(session, 'I sent it back, where is my money?');
  session = answerActivity(session, {
    output: {
      intent: 'track_order',
      confidence: 0.48,
      sentiment: { score: 0, label: 'neutral' },
      reasons: ['chosen in the simulator'],
      ranking: [
        { intent: 'track_order', confidence: 0.48 },
        { intent: 'track_refund', confidence: 0.41 },
      ],
    },
  });
  expect(session.state.transcript.at(-1)).toMatchObject({
    text: 'Is this about Orders or Refunds?',
    quickReplies: ['Orders', 'Refunds'],
  });
  session = sendCustomerMessage(session, 'Refunds');
  expect(pathLabels(session.state.path)).toContain('triage:refunds');
  const file = toTestFile(session, 'picked refunds');
  const replayed = await simulate(result.journey, file, { activities: () => null });
  expect(replayed.failures).toEqual([]);
  expect(pathLabels(replayed.path)).toEqual(pathLabels(session.state.path));
});
