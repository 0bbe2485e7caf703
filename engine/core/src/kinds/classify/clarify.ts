import type { JsonValue } from '@baton/schemas';
import type { CompiledNodeOfKind, Run, Transition } from '../../interpreter/run';
import type { ClarifyChoice, ConversationEvent } from '../../interpreter/types';
import { classifyCall } from './call';

/** `track_order` → "Track order", `refundStatus` → "Refund status": an intent's title when none is given. */
export function humanise(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_\-.]+/g, ' ')
    .trim()
    .toLowerCase();
  return words === '' ? name : `${words.charAt(0).toUpperCase()}${words.slice(1)}`;
}

export interface Ranked {
  intent: string;
  confidence: number;
}

/** The classifier's ranking, best first, read defensively (a provider without one gives none). */
export function readRanking(output: JsonValue): Ranked[] {
  if (output === null || typeof output !== 'object' || Array.isArray(output)) return [];
  const ranking = output.ranking;
  if (!Array.isArray(ranking)) return [];
  const read: Ranked[] = [];
  for (const item of ranking) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
    if (typeof item.intent !== 'string' || item.intent === '') continue;
    if (typeof item.confidence !== 'number' || !Number.isFinite(item.confidence)) continue;
    read.push({ intent: item.intent, confidence: Math.min(1, Math.max(0, item.confidence)) });
  }
  return read.sort((a, b) => b.confidence - a.confidence);
}

type Node = CompiledNodeOfKind<'classify'>;

/** Where an intent leaves and what the customer reads for it; null when it cannot be offered. */
export type Offer = (intent: string) => { handle: string; title: string } | null;

/**
 * The two choices to offer, or null when the node should not ask: clarification off, no confident
 * best, no runner-up (at or above `minRunnerUp`) leaving by another handle, or the best clear enough (above `below` and more
 * than `margin` ahead).
 */
export function clarification(
  node: Node,
  best: Ranked,
  ranking: readonly Ranked[],
  offer: Offer,
): [ClarifyChoice, ClarifyChoice] | null {
  const settings = node.data.clarify;
  if (!settings?.enabled) return null;
  const first = offer(best.intent);
  if (!first) return null;
  const runnerUp = ranking.find((item) => {
    if (item.intent === best.intent || item.confidence <= 0 || item.confidence < settings.minRunnerUp) return false;
    const other = offer(item.intent);
    return other !== null && other.handle !== first.handle;
  });
  if (!runnerUp) return null;
  const close = best.confidence - runnerUp.confidence <= settings.margin;
  const middling = best.confidence < settings.below;
  if (!close && !middling) return null;
  const second = offer(runnerUp.intent) as { handle: string; title: string };
  return [
    { ...first, intent: best.intent, confidence: best.confidence },
    { ...second, intent: runnerUp.intent, confidence: runnerUp.confidence },
  ];
}

/** Asks "Did you mean A or B?" with the two titles as quick replies, and waits for the reply. */
export function ask(run: Run, node: Node, choices: [ClarifyChoice, ClarifyChoice]): Transition {
  const settings = node.data.clarify;
  const prompt = (settings?.prompt ?? 'Did you mean {{first}} or {{second}}?')
    .replace(/\{\{\s*first\s*\}\}/g, choices[0].title)
    .replace(/\{\{\s*second\s*\}\}/g, choices[1].title);
  // The widget shows them as buttons; a typed reply is read the same way (chosenBy).
  run.say(run.render(prompt), 'bot', { quickReplies: choices.map((choice) => choice.title) });
  run.state.clarifying = { nodeId: node.id, choices };
  run.note(
    `asked: ${choices[0].intent} (${choices[0].confidence.toFixed(2)}) or ${choices[1].intent} (${choices[1].confidence.toFixed(2)})`,
  );
  const seconds = settings?.timeoutSeconds ?? 300;
  return { wait: { kind: 'reply', nodeId: node.id, until: run.at + seconds * 1000 } };
}

const normal = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();

const firstWords = /^(?:(?:the|option|number|no)\s+)*(?:1|1st|a|first|former|top|upper)(?:\s+(?:one|option))?$/;
const secondWords = /^(?:(?:the|option|number|no)\s+)*(?:2|2nd|b|second|latter|bottom|lower)(?:\s+(?:one|option))?$/;
const filler = /^(?:i\s+meant?|i\s+mean|meant|yes|yeah|it s|its|it is|please|i want|i d like)\s+/;

/**
 * Which of the two choices a reply names: its quick reply's text (a button), its title or intent name
 * inside the reply, or its place ("1", "the first", "A", "the second one"); null when it names
 * neither or both.
 */
export function chosenBy(reply: string, choices: readonly [ClarifyChoice, ClarifyChoice]): 0 | 1 | null {
  let text = normal(reply);
  for (let previous = ''; previous !== text;) {
    previous = text;
    text = text.replace(filler, '').replace(/\s+please$/, '');
  }
  if (text === '') return null;
  if (firstWords.test(text)) return 0;
  if (secondWords.test(text)) return 1;
  const names = choices.map((choice) => [normal(choice.title), normal(humanise(choice.intent))]);
  const exact = names.findIndex((forms) => forms.includes(text));
  if (exact === 0 || exact === 1) return exact;
  const padded = ` ${text} `;
  const mentions = names.map((forms) => forms.some((form) => form !== '' && padded.includes(` ${form} `)));
  if (mentions[0] && !mentions[1]) return 0;
  if (mentions[1] && !mentions[0]) return 1;
  return null;
}

/** The customer meant neither (or it could not be told): the fallback, as a low-confidence turn. */
function neither(run: Run, node: Node, note: string): Transition {
  run.state.counters.lowConfidence += 1;
  run.state.intent = null;
  if (node.data.variable) {
    const previous = run.state.vars[node.data.variable];
    const sentiment =
      previous !== null && typeof previous === 'object' && !Array.isArray(previous) ? previous.sentiment : 0;
    run.state.vars[node.data.variable] = { intent: null, confidence: 0, sentiment: sentiment ?? 0 };
  }
  run.note(note);
  return { go: 'fallback' };
}

/** The customer meant this choice: its intent is the need, and the node leaves by its handle. */
function chose(run: Run, node: Node, chosen: ClarifyChoice, note: string): Transition {
  run.state.intent = { name: chosen.intent, confidence: chosen.confidence };
  if (!run.state.need || run.state.need.nodeId === node.id)
    run.state.need = { name: chosen.intent, confidence: chosen.confidence, nodeId: node.id };
  if (node.data.variable) {
    const previous = run.state.vars[node.data.variable];
    const sentiment =
      previous !== null && typeof previous === 'object' && !Array.isArray(previous) ? previous.sentiment : 0;
    run.state.vars[node.data.variable] = {
      intent: chosen.intent,
      confidence: chosen.confidence,
      sentiment: sentiment ?? 0,
    };
  }
  run.note(note);
  return { go: chosen.handle };
}

/**
 * The wait after the question: the customer's choice, no reply (the best intent), or a reply that
 * names neither: classified between the two offered intents (`resumeReclassified`), or straight to
 * the fallback in a conversation recorded before that (`compat.clarifyByTextOnly`).
 */
export function resumeClarifying(
  run: Run,
  node: Node,
  event: ConversationEvent,
  choices: readonly [ClarifyChoice, ClarifyChoice],
): Transition | undefined {
  if (event.type !== 'customer_message' && event.type !== 'timeout') return undefined;
  run.state.clarifying = null;
  if (event.type === 'timeout') {
    run.note(`no reply to the question: ${choices[0].intent}`);
    return { go: choices[0].handle };
  }
  const index = chosenBy(event.text, choices);
  if (index !== null) return chose(run, node, choices[index], `the customer chose ${choices[index].intent}`);
  if (run.state.compat?.clarifyByTextOnly) return neither(run, node, 'the reply named neither choice');
  run.state.clarifying = { nodeId: node.id, choices: [...choices], reclassifying: true };
  return classifyCall(
    run,
    node,
    event.text,
    choices.map((choice) => choice.intent),
  );
}

/** How far the winner must lead the other choice when the node sets no `clarify.margin`. */
const defaultLead = 0.15;

/**
 * The classifier's answer on a reply that named neither choice, read only for the two offered
 * intents: the one that clearly wins (at least the node's bar and `clarify.margin` ahead of the
 * other), else the fallback as before. Out of scope, unreadable or failed: the fallback.
 */
export function resumeReclassified(
  run: Run,
  node: Node,
  event: Extract<ConversationEvent, { type: 'activity_result' }>,
  choices: readonly [ClarifyChoice, ClarifyChoice],
): Transition {
  run.state.clarifying = null;
  if (!event.ok) {
    run.state.counters.failures += 1;
    return neither(run, node, `the reply named neither choice and the AI failed: ${event.error}`);
  }
  const output = event.output;
  const fields = output !== null && typeof output === 'object' && !Array.isArray(output) ? output : {};
  const ranking = readRanking(output);
  const top = typeof fields.intent === 'string' ? fields.intent : null;
  const topConfidence =
    typeof fields.confidence === 'number' && Number.isFinite(fields.confidence)
      ? Math.min(1, Math.max(0, fields.confidence))
      : 0;
  const scoreOf = (intent: string) =>
    ranking.find((item) => item.intent === intent)?.confidence ?? (top === intent ? topConfidence : 0);
  // A model-backed node offers routes: a choice weighs what the model gives all of its route's intents.
  const routes = new Map((node.data.routes ?? []).map((route) => [route.handle, route.intents]));
  const weigh = (choice: ClarifyChoice) => {
    const intents = node.data.model ? (routes.get(choice.handle) ?? [choice.intent]) : [choice.intent];
    return Math.min(
      1,
      intents.reduce((sum, intent) => sum + scoreOf(intent), 0),
    );
  };
  const scores = choices.map(weigh) as [number, number];
  const winner = scores[0] >= scores[1] ? 0 : 1;
  const [best, other] = [scores[winner], scores[1 - winner] as number];
  const bar = node.data.model ? (node.data.model.minConfidence ?? 0.5) : node.data.minConfidence;
  const lead = node.data.clarify?.margin ?? defaultLead;
  const said = `${choices[0].intent} ${scores[0].toFixed(2)}, ${choices[1].intent} ${scores[1].toFixed(2)}`;
  if (fields.outOfScope === true || best < bar || best - other < lead)
    return neither(run, node, `the reply named neither choice and did not clearly mean one (${said})`);
  const chosen = choices[winner] as ClarifyChoice;
  return chose(run, node, { ...chosen, confidence: best }, `the reply meant ${chosen.intent} (${said})`);
}
