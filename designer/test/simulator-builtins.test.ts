/**
 * Both simulators answer Baton's built-in activities with one fake (@baton/core/simulator's
 * builtin-fakes): the same conversation run through `baton test`'s `simulate` and through the
 * designer's session gets the same answer from every built-in it calls.
 */
import { compileJourney } from '@baton/core/compiler';
import { fakedBuiltinNames, simulate } from '@baton/core/simulator';
import { builtinActivityNames, type CompiledJourney, type JourneyInput, type JsonValue } from '@baton/schemas';
import {
  agentClaim,
  agentResolve,
  answerActivity,
  answerSurvey,
  sendCustomerMessage,
  startSession,
  type SimSession,
} from '../src/simulator/session';

const at = (x: number, y: number) => ({ x, y });

/** A handoff with routing whose follow-up checks before the survey and reopens the ticket on a reply. */
const definition: JourneyInput = {
  schemaVersion: 1,
  id: 'builtins',
  name: 'Every built-in',
  variables: { need: { type: 'string' } },
  nodes: [
    { id: 'start', type: 'start', position: at(0, 0), data: {} },
    {
      id: 'ask',
      type: 'ask',
      position: at(0, 1),
      data: { prompt: 'What do you need?', variable: 'need', timeoutSeconds: 600 },
    },
    {
      id: 'triage',
      type: 'classify',
      position: at(0, 2),
      data: { intents: [{ name: 'human', examples: ['talk to a person'] }] },
    },
    {
      id: 'agent',
      type: 'handoff',
      position: at(0, 3),
      data: { queue: 'support', priority: 'high', reason: 'asked for a person', routing: { skills: ['billing'] } },
    },
    {
      id: 'thanks',
      type: 'followup',
      position: at(0, 4),
      data: { message: 'How did it go?', surveyLimitDays: 30, relatedArticles: true },
    },
    { id: 'done', type: 'end', position: at(0, 5), data: { outcome: 'resolved_by_agent' } },
    { id: 'gone', type: 'end', position: at(1, 5), data: { outcome: 'abandoned' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'ask' },
    { id: 'e2', source: 'ask', sourceHandle: 'reply', target: 'triage' },
    { id: 'e3', source: 'ask', sourceHandle: 'timeout', target: 'gone' },
    { id: 'e4', source: 'triage', sourceHandle: 'human', target: 'agent' },
    { id: 'e5', source: 'triage', sourceHandle: 'fallback', target: 'agent' },
    { id: 'e7', source: 'agent', sourceHandle: 'resolved', target: 'thanks' },
    { id: 'e8', source: 'agent', sourceHandle: 'timeout', target: 'gone' },
    { id: 'e9', source: 'thanks', sourceHandle: 'answered', target: 'done' },
    { id: 'e10', source: 'thanks', sourceHandle: 'timeout', target: 'done' },
    { id: 'e11', source: 'thanks', sourceHandle: 'reopened', target: 'agent' },
  ],
};

function compiled(): CompiledJourney {
  const result = compileJourney(definition);
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  return result.journey;
}

interface BuiltinAnswer {
  nodeId: string;
  activity: string;
  output: JsonValue;
}

test('baton test and the designer answer every built-in the same way', async () => {
  const journey = compiled();
  const script = {
    steps: [
      { customer: 'let me talk to a person', ai: 'human' },
      { agent: 'claim', name: 'Ada' },
      { agent: 'resolve' },
      { customer: 'it still does not work' },
      { agent: 'resolve' },
      { survey: { ces: 6, csat: 5 } },
    ],
    expect: { status: 'ended', outcome: 'resolved_by_agent' },
  };
  const result = await simulate(journey, script, {
    activities: (name) => {
      throw new Error(`no runner for ${name}`);
    },
  });
  expect(result.failures).toEqual([]);
  const fromCli: BuiltinAnswer[] = result.activityCalls
    .filter((call) => call.source === 'builtin')
    .map((call) => ({ nodeId: call.nodeId, activity: call.name, output: call.output ?? null }));

  let session: SimSession = startSession(journey);
  session = sendCustomerMessage(session, 'let me talk to a person');
  expect(session.pending?.activity).toBe(builtinActivityNames.classify);
  session = answerActivity(session, {
    output: { intent: 'human', confidence: 0.95, sentiment: { score: 0, label: 'neutral' }, reasons: ['chosen'] },
  });
  session = agentClaim(session, 'Ada');
  session = agentResolve(session, 'Ada');
  session = sendCustomerMessage(session, 'it still does not work');
  session = agentResolve(session, 'Ada');
  session = answerSurvey(session, { ces: 6, csat: 5 });
  expect(session.pending).toBeNull();
  expect(session.state.outcome).toBe('resolved_by_agent');
  const fromDesigner: BuiltinAnswer[] = session.events.flatMap((event) =>
    event.kind === 'call' && event.source === 'builtin' && 'output' in event.answer
      ? [{ nodeId: event.nodeId, activity: event.activity, output: event.answer.output }]
      : [],
  );

  expect(fromDesigner).toEqual(fromCli);
  // Every faked built-in but releaseAgent (called only when routing assigned an agent, which the fake never does).
  const called = new Set(fromCli.map((answer) => answer.activity));
  expect([...fakedBuiltinNames].filter((name) => !called.has(name))).toEqual([builtinActivityNames.releaseAgent]);
  expect(fromCli.find((answer) => answer.activity === builtinActivityNames.routeTicket)?.output).toEqual({
    queue: 'support',
    priority: 'high',
    agent: null,
    outOfHours: null,
    sla: null,
  });
});
