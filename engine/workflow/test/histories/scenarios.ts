/**
 * Conversations recorded as Temporal histories and replayed in CI against the current workflow
 * code (engine/workflow/test/replay.test.ts), so a change that would break running conversations fails.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ActivityManifest, CompiledJourney } from '@baton/schemas';
import { compileJourney } from '@baton/core/compiler';
import type { Conversations } from '@baton/server/client';
import { findTool } from '@baton/cli/services';

export type ScenarioStep =
  | { customer: string }
  | { claim: string }
  | { agent: string }
  | { resolve: true }
  | { survey: { ces?: number; csat?: number } }
  /** The `migrate` update: moves the waiting conversation to version 2 of its journey, which differs from version 1 in one field. */
  | { migrate: { nodeId: string; field: string; value: string } };

export interface Scenario {
  name: string;
  journey: string;
  customer: { id: string; name: string; email: string; tier?: string };
  steps: ScenarioStep[];
}

export const scenarios: Scenario[] = [
  {
    name: 'password-reset-resolved-by-bot',
    journey: 'password-reset',
    customer: { id: 'cus_1', name: 'Ana', email: 'ana@example.com' },
    steps: [
      { customer: 'I forgot my password' },
      { customer: 'yes it worked, thanks' },
      { survey: { ces: 7, csat: 5 } },
    ],
  },
  {
    name: 'password-reset-frustrated-handoff',
    journey: 'password-reset',
    customer: { id: 'cus_2', name: 'Bo', email: 'bo@example.com', tier: 'gold' },
    steps: [
      { customer: 'I forgot my password' },
      { customer: "No, it didn't work. This is ridiculous, I've tried everything" },
      { claim: 'Sam' },
      { agent: 'I have unlocked your account.' },
      { customer: 'It works, thank you!' },
      { resolve: true },
      { survey: { ces: 5, csat: 4 } },
    ],
  },
  {
    name: 'order-tracking-found',
    journey: 'order-tracking',
    customer: { id: 'cus_1', name: 'Dana', email: 'dana@example.com' },
    steps: [{ customer: 'A1001' }, { survey: { ces: 6 } }],
  },
  {
    name: 'complaint-human-only',
    journey: 'complaint',
    customer: { id: 'cus_3', name: 'Eli', email: 'eli@example.com' },
    steps: [{ claim: 'Kim' }, { agent: 'I am so sorry, let me fix this.' }, { resolve: true }, { survey: { csat: 3 } }],
  },
  {
    // A classify node backed by a published triage model (support@1), its intent routed to a handle.
    name: 'support-triage-routed',
    journey: 'support-triage',
    customer: { id: 'cus_5', name: 'Gil', email: 'gil@example.com' },
    steps: [{ customer: 'where is my parcel? I want to track my order' }],
  },
  {
    // A conversation waiting for its first reply moves to version 2 (another prompt at ask_worked) and ends there.
    name: 'password-reset-migrated',
    journey: 'password-reset',
    customer: { id: 'cus_4', name: 'Fay', email: 'fay@example.com' },
    steps: [
      {
        migrate: {
          nodeId: 'ask_worked',
          field: 'prompt',
          value: 'Version two: a fresh link is on its way to {{customer.email}}. Did it work?',
        },
      },
      { customer: 'I forgot my password' },
      { customer: 'yes it worked, thanks' },
      { survey: { ces: 6, csat: 5 } },
    ],
  },
];

type Change = Extract<ScenarioStep, { migrate: unknown }>['migrate'];

/** Version 1 of an example journey, or version 2: the example with one node's data field changed. */
export function compileExample(name: string, catalog: ActivityManifest[], change?: Change): CompiledJourney {
  const file = join(__dirname, '../../../../examples', name, 'journey.json');
  const source = JSON.parse(readFileSync(file, 'utf8')) as { nodes: { id: string; data: Record<string, unknown> }[] };
  // As a publish pins it: the model's first version (the stores here publish it once, see seedSupportModel).
  for (const node of source.nodes) {
    const model = node.data.model as { version?: number } | undefined;
    if (model && model.version === undefined) model.version = 1;
  }
  if (change) {
    const node = source.nodes.find((candidate) => candidate.id === change.nodeId);
    if (!node) throw new Error(`${name}: no node ${change.nodeId} to change`);
    node.data[change.field] = change.value;
  }
  const result = compileJourney(source, { activities: new Map(catalog.map((a) => [a.name, a])) });
  if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.diagnostics)}`);
  return { ...result.journey, version: change ? 2 : 1 };
}

/** Plays a scenario on a real stack; returns the conversation (workflow) id. */
export async function playScenario(
  scenario: Scenario,
  conversations: Conversations,
  catalog: ActivityManifest[],
  idSuffix: string,
): Promise<string> {
  const conversationId = `${scenario.name}-${idSuffix}`;
  let view: { status: string; waiting: unknown } = await conversations.start({
    conversationId,
    journey: compileExample(scenario.journey, catalog),
    customer: scenario.customer,
    variables: {},
    channel: 'replay',
  });
  let agent = { id: 'agent', name: 'Agent' };
  let messages = 0;
  for (const step of scenario.steps) {
    if ('customer' in step)
      view = (
        await conversations.sendMessage(conversationId, { clientMessageId: `m${(messages += 1)}`, text: step.customer })
      ).conversation;
    else if ('claim' in step) {
      agent = { id: `agent-${step.claim.toLowerCase()}`, name: step.claim };
      view = await conversations.claim(conversationId, agent);
    } else if ('agent' in step)
      view = await conversations.agentAction(conversationId, {
        type: 'message',
        agent,
        clientMessageId: `a${(messages += 1)}`,
        text: step.agent,
      });
    else if ('resolve' in step) view = await conversations.agentAction(conversationId, { type: 'resolve', agent });
    else if ('migrate' in step) {
      view = await conversations.migrate(conversationId, compileExample(scenario.journey, catalog, step.migrate));
      if ((view as { journey?: { version?: number } }).journey?.version !== 2)
        throw new Error(`${scenario.name}: the migration did not move the conversation to version 2`);
    } else view = await conversations.answerSurvey(conversationId, step.survey);
  }
  if (view.status !== 'ended') throw new Error(`${scenario.name} did not end: waiting ${JSON.stringify(view.waiting)}`);
  return conversationId;
}

/** The history as Temporal's own tools write it (`temporal workflow show --output json`), the format replayers read. */
export function fetchHistoryJson(temporalAddress: string, workflowId: string, namespace = 'default'): unknown {
  const temporal = findTool('temporal');
  if (!temporal) throw new Error('the temporal CLI is missing; run bash scripts/bootstrap.sh');
  const shown = spawnSync(
    temporal,
    [
      'workflow',
      'show',
      '--address',
      temporalAddress,
      '--namespace',
      namespace,
      '--workflow-id',
      workflowId,
      '--output',
      'json',
    ],
    { encoding: 'utf8' },
  );
  if (shown.status !== 0) throw new Error(`temporal workflow show failed: ${shown.stderr}`);
  return JSON.parse(shown.stdout) as unknown;
}
