import type { JsonValue } from '@baton/schemas';
import type { CompiledNodeOfKind, NodeStep, Run, Transition } from '../../interpreter/run';
import type { ConversationEvent, Sentiment } from '../../interpreter/types';
import { classifyCall } from './call';
import { ask, clarification, humanise, readRanking, resumeClarifying, resumeReclassified, type Offer } from './clarify';

export interface Classification {
  intent: string | null;
  confidence: number;
  sentiment: Sentiment;
}

/** Reads an AI answer defensively: a model may answer anything, and anything odd counts as no answer. */
export function readClassification(
  output: JsonValue,
  declared: readonly string[] | ((intent: string) => boolean),
): Classification | null {
  if (output === null || typeof output !== 'object' || Array.isArray(output)) return null;
  const known = typeof declared === 'function' ? declared : (intent: string) => declared.includes(intent);
  const confidence =
    typeof output.confidence === 'number' && Number.isFinite(output.confidence)
      ? Math.min(1, Math.max(0, output.confidence))
      : 0;
  const intent = typeof output.intent === 'string' && known(output.intent) ? output.intent : null;
  const rawSentiment = output.sentiment;
  let score = 0;
  if (
    rawSentiment &&
    typeof rawSentiment === 'object' &&
    !Array.isArray(rawSentiment) &&
    typeof rawSentiment.score === 'number' &&
    Number.isFinite(rawSentiment.score)
  ) {
    score = Math.min(1, Math.max(-1, rawSentiment.score));
  }
  const label: Sentiment['label'] = score <= -0.25 ? 'negative' : score >= 0.25 ? 'positive' : 'neutral';
  return { intent, confidence, sentiment: { score, label } };
}

/** The provider's first reason, briefly, for the agent reading the steps tried (why the bot was unsure). */
function firstReason(output: JsonValue): string | undefined {
  if (output === null || typeof output !== 'object' || Array.isArray(output)) return undefined;
  const reasons = output.reasons;
  if (!Array.isArray(reasons)) return undefined;
  const first = reasons.find((reason): reason is string => typeof reason === 'string' && reason !== '');
  return first === undefined ? undefined : first.length > 160 ? `${first.slice(0, 159)}…` : first;
}

function recordSentiment(run: Run, sentiment: Sentiment) {
  const history = [...run.state.sentiment.history, sentiment.score].slice(-50);
  run.state.sentiment = { ...sentiment, history };
}

/** The handle a routed model intent leaves by (the first route naming it). */
export function modelRouteTable(
  routes: readonly { handle: string; intents: readonly string[] }[] = [],
): Map<string, string> {
  const table = new Map<string, string>();
  for (const route of routes)
    for (const intent of route.intents) if (!table.has(intent)) table.set(intent, route.handle);
  return table;
}

/** Per compiled node: a node may route a couple of thousand model intents, read on every message. */
const routeTables = new WeakMap<object, Map<string, string>>();

type ActivityResult = Extract<ConversationEvent, { type: 'activity_result' }>;

/** A model-backed node: the model's intent leaves by its route's handle, an unrouted one by `other`, out of scope by `fallback`. */
function resumeWithModel(run: Run, node: CompiledNodeOfKind<'classify'>, event: ActivityResult): Transition {
  const { data } = node;
  const model = data.model
    ? `${data.model.name}${data.model.version !== undefined ? `@${data.model.version}` : ''}`
    : '';
  const result = event.ok ? readClassification(event.output, () => true) : null;
  if (!result) {
    run.state.counters.failures += 1;
    run.note(event.ok ? `the model ${model} answered something unreadable` : `the AI failed: ${event.error}`);
    return { go: 'fallback' };
  }
  recordSentiment(run, result.sentiment);
  const output = event.ok && event.output !== null && typeof event.output === 'object' ? event.output : {};
  const outOfScope = !Array.isArray(output) && output.outOfScope === true;
  const intent = outOfScope ? null : result.intent;
  run.state.intent = intent ? { name: intent, confidence: result.confidence } : null;
  if (data.variable)
    run.state.vars[data.variable] = { intent, confidence: result.confidence, sentiment: result.sentiment.score };
  const bar = data.model?.minConfidence;
  if (!intent || (bar !== undefined && result.confidence < bar)) {
    run.state.counters.lowConfidence += 1;
    const why = event.ok ? firstReason(event.output) : undefined;
    const what = !intent ? 'out of scope' : `${intent} below ${bar ?? 0}`;
    run.note(`${what} (${result.confidence.toFixed(2)})${why ? `: ${why}` : ''}`);
    return { go: 'fallback' };
  }
  let table = routeTables.get(node);
  if (!table) {
    table = modelRouteTable(data.routes);
    routeTables.set(node, table);
  }
  const handle = table.get(intent) ?? 'other';
  if (data.clarify?.enabled) {
    const titles = new Map((data.routes ?? []).map((route) => [route.handle, route.title ?? humanise(route.handle)]));
    const routes = table;
    const offer: Offer = (name) => {
      const routed = routes.get(name);
      return routed === undefined ? null : { handle: routed, title: titles.get(routed) ?? humanise(routed) };
    };
    const choices = clarification(
      node,
      { intent, confidence: result.confidence },
      readRanking(event.ok ? event.output : null),
      offer,
    );
    if (choices) return ask(run, node, choices);
  }
  if (!run.state.need || run.state.need.nodeId === node.id)
    run.state.need = { name: intent, confidence: result.confidence, nodeId: node.id };
  run.note(
    `intent ${intent} (${result.confidence.toFixed(2)}) by ${model}${handle === 'other' ? ', not routed: other' : ''}`,
  );
  return { go: handle };
}

export const classifyStep: NodeStep<'classify'> = {
  enter(run, node) {
    // A new visit may ask again (at most once per visit).
    if (run.state.clarifying) run.state.clarifying = null;
    return classifyCall(run, node, run.render(node.data.input));
  },
  resume(run, node, event) {
    const clarifying = run.state.clarifying;
    if (clarifying && clarifying.nodeId === node.id && run.state.waiting?.kind === 'reply') {
      const [first, second] = clarifying.choices;
      if (first && second) return resumeClarifying(run, node, event, [first, second]);
    }
    // A reply that named neither choice, classified between the two: its result.
    if (clarifying?.reclassifying && clarifying.nodeId === node.id && event.type === 'activity_result') {
      const [first, second] = clarifying.choices;
      if (first && second) return resumeReclassified(run, node, event, [first, second]);
    }
    if (event.type !== 'activity_result') return undefined;
    if (node.data.model) return resumeWithModel(run, node, event);
    const names = node.data.intents.map((intent) => intent.name);
    const result = event.ok ? readClassification(event.output, names) : null;
    if (!result) {
      // A failing model never strands a customer: the designer's fallback path takes over.
      run.state.counters.failures += 1;
      run.note(event.ok ? 'the AI answered outside the declared intents' : `the AI failed: ${event.error}`);
      return { go: 'fallback' };
    }
    recordSentiment(run, result.sentiment);
    run.state.intent = result.intent ? { name: result.intent, confidence: result.confidence } : null;
    if (node.data.variable) {
      run.state.vars[node.data.variable] = {
        intent: result.intent,
        confidence: result.confidence,
        sentiment: result.sentiment.score,
      };
    }
    if (result.intent && result.confidence >= node.data.minConfidence) {
      if (node.data.clarify?.enabled) {
        const declared = new Map(
          node.data.intents.map((intent) => [intent.name, intent.title ?? humanise(intent.name)]),
        );
        const offer: Offer = (name) => {
          const title = declared.get(name);
          return title === undefined ? null : { handle: name, title };
        };
        const choices = clarification(
          node,
          { intent: result.intent, confidence: result.confidence },
          readRanking(event.ok ? event.output : null),
          offer,
        );
        if (choices) return ask(run, node, choices);
      }
      // The node that first heard the need keeps it up to date (the customer may restate it there).
      if (!run.state.need || run.state.need.nodeId === node.id)
        run.state.need = { name: result.intent, confidence: result.confidence, nodeId: node.id };
      run.note(`intent ${result.intent} (${result.confidence.toFixed(2)})`);
      return { go: result.intent };
    }
    run.state.counters.lowConfidence += 1;
    const why = event.ok ? firstReason(event.output) : undefined;
    run.note(`no confident intent (${result.confidence.toFixed(2)})${why ? `: ${why}` : ''}`);
    return { go: 'fallback' };
  },
};
