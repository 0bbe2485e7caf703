/**
 * The API's answer contracts (@baton/schemas views.ts) describe what the core produces: the view of a
 * simulated conversation (handoff with routing, reopened ticket, follow-up, survey) and its handoff
 * packet parse without losing or changing a field, and the core's types are assignable to them.
 */
import {
  ConversationView,
  HandoffTicket,
  TranscriptEntry,
  type CompiledJourney,
  type JourneyInput,
} from '@baton/schemas';
import { compileJourney } from '../src/compiler';
import { conversationView, type ConversationState } from '../src/interpreter';
import { simulate } from '../src/simulator';

const at = (x: number, y: number) => ({ x, y });

const definition: JourneyInput = {
  schemaVersion: 1,
  id: 'contracts',
  name: 'Contracts',
  variables: { need: { type: 'string' } },
  nodes: [
    { id: 'start', type: 'start', position: at(0, 0), data: {} },
    { id: 'ask', type: 'ask', position: at(0, 1), data: { prompt: 'What do you need?', variable: 'need' } },
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
      data: { queue: 'support', priority: 'high', reason: 'asked for a person', routing: { skills: [] } },
    },
    { id: 'thanks', type: 'followup', position: at(0, 4), data: { surveyLimitDays: 30 } },
    { id: 'done', type: 'end', position: at(0, 5), data: { outcome: 'resolved_by_agent' } },
    { id: 'gone', type: 'end', position: at(1, 5), data: { outcome: 'abandoned' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'ask' },
    { id: 'e2', source: 'ask', sourceHandle: 'reply', target: 'triage' },
    { id: 'e3', source: 'ask', sourceHandle: 'timeout', target: 'gone' },
    { id: 'e4', source: 'triage', sourceHandle: 'human', target: 'agent' },
    { id: 'e5', source: 'triage', sourceHandle: 'fallback', target: 'agent' },
    { id: 'e6', source: 'agent', sourceHandle: 'resolved', target: 'thanks' },
    { id: 'e7', source: 'agent', sourceHandle: 'timeout', target: 'gone' },
    { id: 'e8', source: 'thanks', sourceHandle: 'answered', target: 'done' },
    { id: 'e9', source: 'thanks', sourceHandle: 'timeout', target: 'done' },
    { id: 'e10', source: 'thanks', sourceHandle: 'reopened', target: 'agent' },
  ],
};

function compiled(): CompiledJourney {
  const result = compileJourney(definition);
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  return result.journey;
}

test('a conversation view and its handoff packet match the API contracts', async () => {
  const result = await simulate(
    compiled(),
    {
      steps: [
        { customer: 'let me talk to a person', ai: 'human' },
        { agent: 'claim', name: 'Ada' },
        { agent: 'say', text: 'Hello, how can I help?' },
        { agent: 'resolve', resolution: 'explained' },
        { customer: 'it still does not work' },
        { agent: 'resolve' },
        { survey: { ces: 6, csat: 5, comment: 'fine' } },
      ],
      expect: { status: 'ended', outcome: 'resolved_by_agent' },
    },
    {
      activities: (name) => {
        throw new Error(`no runner for ${name}`);
      },
    },
  );
  expect(result.failures).toEqual([]);
  const view = conversationView(result.state as ConversationState);
  // The core's type is the contract's (a compile-time check as much as a runtime one).
  const typed: ConversationView = view;
  expect(view.handoffs[0]?.events?.length).toBeGreaterThan(0);
  expect(view.transcript.some((entry) => entry.agent !== undefined)).toBe(true);
  expect(ConversationView.parse(JSON.parse(JSON.stringify(typed)))).toEqual(JSON.parse(JSON.stringify(view)));
  for (const entry of view.transcript) expect(TranscriptEntry.parse(entry)).toEqual(entry);

  const packet = result.tickets[0]?.packet;
  expect(packet).toBeDefined();
  const ticket = {
    ...packet,
    summary: '',
    status: 'pending',
    assignee: null,
    claimedAt: null,
    resolvedAt: null,
    resolution: null,
  };
  expect(HandoffTicket.parse(ticket)).toEqual(ticket);
});
