/**
 * How often the triage node's clarifying question ("Is this about Orders or Refunds?") would be asked
 * on the gate's written requests, through the real interpreter and the built-in model's ranking:
 * `npx tsx examples/bench/clarify-figures.ts [margin] [below] [minRunnerUp]` (docs/ai.md quotes the
 * output; SHOW=1 prints each question's two choices).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyForNode, parseTriageArtefact, readLabelledRows } from '@baton/ai/triage-artefact';
import type { JsonValue } from '@baton/schemas';
import { Conversation } from '@baton/test-support/fixtures/conversation';
import { compileOk } from '@baton/test-support/fixtures/journeys';

const here = join(__dirname, '../support-triage');
const root = join(__dirname, '../..');
const margin = Number(process.argv[2] ?? 0.15);
const below = Number(process.argv[3] ?? 0.75);
const minRunnerUp = Number(process.argv[4] ?? 0.1);

const raw = JSON.parse(readFileSync(join(here, 'journey.json'), 'utf8')) as {
  nodes: { id: string; data: Record<string, unknown> }[];
};
for (const node of raw.nodes)
  if (node.id === 'triage')
    node.data.clarify = { enabled: true, margin, below, minRunnerUp, prompt: '{{first}} or {{second}}?' };
const journey = compileOk(raw);
const routes = (raw.nodes.find((node) => node.id === 'triage')?.data.routes ?? []) as {
  handle: string;
  intents: string[];
}[];
const handleOf = (intent: string) =>
  intent === 'out_of_scope' ? 'fallback' : (routes.find((route) => route.intents.includes(intent))?.handle ?? 'other');

const artefact = parseTriageArtefact(readFileSync(join(root, 'workers/ai/models/triage-model.json')));
const rows = readLabelledRows('support-eval.csv', readFileSync(join(here, 'tests/support-eval.csv'), 'utf8'));

let asked = 0;
let askedBestRight = 0;
let askedRightOffered = 0;
let straightRight = 0;
let straight = 0;
for (const row of rows) {
  const conversation = new Conversation(journey);
  conversation.say(row.text);
  const output = classifyForNode('support', artefact, row.text) as unknown as JsonValue;
  conversation.succeed(output);
  const want = handleOf(row.intent);
  const offered = conversation.state.clarifying?.choices;
  if (offered) {
    if (process.env.SHOW) console.log(row.text, JSON.stringify(offered));
    asked += 1;
    if (offered[0]?.handle === want) askedBestRight += 1;
    if (offered.some((choice) => choice.handle === want)) askedRightOffered += 1;
  } else {
    straight += 1;
    const handle = conversation.state.path.find((step) => step.nodeId === 'triage')?.handle;
    if (handle === want) straightRight += 1;
  }
}
console.log(
  `margin ${margin}, below ${below}, minRunnerUp ${minRunnerUp}: ${rows.length} requests; asked ${asked} (best already right ${askedBestRight}, right route offered ${askedRightOffered}); not asked ${straight} (right handle ${straightRight})`,
);
