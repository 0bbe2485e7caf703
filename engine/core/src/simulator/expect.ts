import { builtinActivityNames, type JsonValue } from '@baton/schemas';
import type { ConversationState, PathStep, TranscriptEntry } from '../interpreter/types';
import type { ActivityCallExpectation, Expectation, HandoffExpectation } from './script';
import type { ActivityCallRecord } from './types';

/** What an expectation looks at. */
export interface ExpectationView {
  state: ConversationState;
  /** The bot's messages the text expectations read (the last action's, or the whole transcript). */
  said: readonly TranscriptEntry[];
  /** Which messages `said` holds, for the failure message. */
  saidScope: string;
  calls: readonly ActivityCallRecord[];
}

function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export function short(value: unknown, max = 160): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `"pattern"` or `"/pattern/flags"`. */
export function toRegExp(source: string): RegExp {
  const literal = /^\/(.*)\/([dgimsuvy]*)$/s.exec(source);
  return literal ? new RegExp(literal[1] as string, literal[2]) : new RegExp(source);
}

/** The first difference between an expected deep-partial value and the actual one, or undefined. */
export function partialMismatch(expected: JsonValue, actual: unknown, at = ''): string | undefined {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
      return `at ${at || '/'}: expected an object like ${short(expected)}, got ${short(actual)}`;
    }
    for (const [key, value] of Object.entries(expected)) {
      const record = actual as Record<string, unknown>;
      if (!Object.prototype.hasOwnProperty.call(record, key))
        return `at ${at}/${key}: expected ${short(value)}, but it is not set`;
      const inner = partialMismatch(value, record[key], `${at}/${key}`);
      if (inner) return inner;
    }
    return undefined;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `at ${at || '/'}: expected an array, got ${short(actual)}`;
    if (actual.length !== expected.length)
      return `at ${at || '/'}: expected ${expected.length} items, got ${actual.length}: ${short(actual)}`;
    for (let index = 0; index < expected.length; index += 1) {
      const inner = partialMismatch(expected[index] as JsonValue, actual[index], `${at}/${index}`);
      if (inner) return inner;
    }
    return undefined;
  }
  if (expected !== actual) return `at ${at || '/'}: expected ${short(expected)}, got ${short(actual)}`;
  return undefined;
}

/** `start → greet → ask_need:reply → triage:reset_password → …` (the `next` handle is left out). */
export function formatPath(path: readonly PathStep[]): string {
  if (path.length === 0) return '(empty)';
  return path
    .map((step) => (step.handle && step.handle !== 'next' ? `${step.nodeId}:${step.handle}` : step.nodeId))
    .join(' → ');
}

/** Checks a path expectation: an ordered subsequence of `node` or `node:handle` items. */
export function pathMismatch(expected: readonly string[], path: readonly PathStep[]): string | undefined {
  let from = 0;
  for (let index = 0; index < expected.length; index += 1) {
    const item = expected[index] as string;
    const [nodeId, handle] = item.split(':') as [string, string | undefined];
    let found = -1;
    for (let at = from; at < path.length; at += 1) {
      const step = path[at] as PathStep;
      if (step.nodeId === nodeId && (handle === undefined || step.handle === handle)) {
        found = at;
        break;
      }
    }
    if (found < 0) {
      const visited = path.some((step) => step.nodeId === nodeId);
      const after = index > 0 ? ` after "${expected[index - 1]}"` : '';
      const why = !visited
        ? `"${nodeId}" was never entered`
        : handle !== undefined
          ? `"${nodeId}" was never left by "${handle}"${after}`
          : `"${nodeId}" was not entered${after}`;
      return `path: expected ${short(expected)} in this order, but ${why}`;
    }
    from = found + 1;
  }
  return undefined;
}

function callLine(call: ActivityCallRecord): string {
  const result = call.error !== undefined ? `error ${short(call.error, 80)}` : short(call.output, 80);
  return `${call.name}(${short(call.input, 80)}) → ${result}`;
}

function checkCalls(expected: readonly ActivityCallExpectation[], calls: readonly ActivityCallRecord[]): string[] {
  const names = new Set(expected.map((call) => call.name));
  const actual = calls.filter((call) => names.has(call.name));
  const problems: string[] = [];
  const namesText = [...names].join(', ');
  if (actual.length !== expected.length) {
    problems.push(
      `activityCalls: expected ${expected.length} call(s) to ${namesText}, got ${actual.length}` +
        (actual.length ? `:\n${actual.map((call) => `  ${callLine(call)}`).join('\n')}` : ''),
    );
    return problems;
  }
  expected.forEach((want, index) => {
    const got = actual[index] as ActivityCallRecord;
    const label = `activityCalls[${index}]`;
    if (got.name !== want.name) {
      problems.push(`${label}: expected a call to ${want.name}, got ${callLine(got)}`);
      return;
    }
    if (want.input !== undefined) {
      const mismatch = partialMismatch(want.input, got.input);
      if (mismatch) problems.push(`${label} ${want.name} input ${mismatch}`);
    }
    if (want.error !== undefined) {
      if (want.error === false && got.error !== undefined)
        problems.push(`${label} ${want.name}: expected success, it failed with ${short(got.error)}`);
      if (want.error !== false && got.error === undefined)
        problems.push(`${label} ${want.name}: expected a failure, it returned ${short(got.output)}`);
      if (
        typeof want.error === 'string' &&
        got.error !== undefined &&
        !got.error.toLowerCase().includes(want.error.toLowerCase())
      ) {
        problems.push(
          `${label} ${want.name}: expected an error containing ${short(want.error)}, got ${short(got.error)}`,
        );
      }
    }
    if (want.output !== undefined) {
      if (got.error !== undefined)
        problems.push(
          `${label} ${want.name}: expected output ${short(want.output)}, it failed with ${short(got.error)}`,
        );
      else {
        const mismatch = partialMismatch(want.output, got.output);
        if (mismatch) problems.push(`${label} ${want.name} output ${mismatch}`);
      }
    }
  });
  return problems;
}

function stepsTriedOf(view: ExpectationView, ticketId: string): string[] | undefined {
  const call = [...view.calls]
    .reverse()
    .find((c) => c.name === builtinActivityNames.openTicket && c.input.ticketId === ticketId);
  const steps = call?.input.stepsTried;
  return Array.isArray(steps) ? steps.filter((s): s is string => typeof s === 'string') : undefined;
}

function checkHandoff(expected: HandoffExpectation | false, view: ExpectationView): string[] {
  const handoffs = view.state.handoffs;
  const last = handoffs[handoffs.length - 1];
  if (expected === false)
    return last
      ? [`handoff: expected none, but the conversation was handed off to "${last.queue}" (${last.reason})`]
      : [];
  if (!last) return ['handoff: expected a handoff, but the conversation was never handed off'];
  const problems: string[] = [];
  const compare = (field: string, want: string | undefined, got: string | undefined) => {
    if (want !== undefined && want !== got)
      problems.push(`handoff.${field}: expected ${short(want)}, got ${short(got)}`);
  };
  compare('queue', expected.queue, last.queue);
  compare('priority', expected.priority, last.priority);
  compare('claimedBy', expected.claimedBy, last.claimedBy?.name);
  if (expected.reason !== undefined && !last.reason.toLowerCase().includes(expected.reason.toLowerCase())) {
    problems.push(`handoff.reason: expected it to contain ${short(expected.reason)}, got ${short(last.reason)}`);
  }
  if (expected.resolved !== undefined && expected.resolved !== (last.resolvedAt !== undefined)) {
    problems.push(`handoff.resolved: expected ${expected.resolved}, got ${last.resolvedAt !== undefined}`);
  }
  if (expected.count !== undefined && expected.count !== handoffs.length) {
    problems.push(
      `handoff.count: expected ${expected.count}, got ${handoffs.length} (${handoffs.map((h) => h.queue).join(', ')})`,
    );
  }
  if (expected.stepsTriedIncludes) {
    const steps = stepsTriedOf(view, last.ticketId);
    if (!steps) problems.push(`handoff.stepsTriedIncludes: no ticket packet was recorded for ticket ${last.ticketId}`);
    else {
      for (const text of expected.stepsTriedIncludes) {
        if (!steps.some((step) => step.toLowerCase().includes(text.toLowerCase()))) {
          problems.push(
            `handoff.stepsTriedIncludes: no step mentions ${short(text)}; steps tried:${steps.length ? steps.map((s) => `\n  - ${s}`).join('') : ' (none)'}`,
          );
        }
      }
    }
  }
  return problems;
}

const botSpeakers = new Set(['bot', 'system']);

/** Every way the conversation differs from the expectation (empty when it holds). */
export function checkExpectation(expected: Expectation, view: ExpectationView): string[] {
  const { state } = view;
  const problems: string[] = [];
  const said = view.said.filter((entry) => botSpeakers.has(entry.from));
  const saidTexts = said.map((entry) => entry.text);

  for (const text of list(expected.bot)) {
    if (!saidTexts.some((message) => message.toLowerCase().includes(text.toLowerCase()))) {
      problems.push(`bot: expected ${view.saidScope} to contain ${short(text)}`);
    }
  }
  for (const source of list(expected.botMatches)) {
    let pattern: RegExp;
    try {
      pattern = toRegExp(source);
    } catch (error) {
      problems.push(
        `botMatches: ${short(source)} is not a valid regular expression (${error instanceof Error ? error.message : String(error)})`,
      );
      continue;
    }
    if (!saidTexts.some((message) => pattern.test(message)))
      problems.push(`botMatches: expected ${view.saidScope} to match ${pattern}`);
  }
  for (const text of list(expected.notBot)) {
    const hit = saidTexts.find((message) => message.toLowerCase().includes(text.toLowerCase()));
    if (hit !== undefined)
      problems.push(`notBot: expected ${view.saidScope} not to contain ${short(text)}, but the bot said ${short(hit)}`);
  }
  if (expected.silent === true && said.length > 0)
    problems.push(`silent: expected the bot to say nothing, it said ${said.length} message(s)`);
  if (expected.silent === false && said.length === 0)
    problems.push('silent: expected the bot to say something, it said nothing');

  if (expected.at !== undefined && state.nodeId !== expected.at) {
    problems.push(
      `at: expected the conversation at "${expected.at}", it is ${state.nodeId ? `at "${state.nodeId}"` : 'at no node (ended)'}`,
    );
  }
  if (expected.waitingFor !== undefined) {
    const kind = state.waiting?.kind ?? 'nothing';
    if (kind !== expected.waitingFor)
      problems.push(`waitingFor: expected ${expected.waitingFor}, the conversation waits for ${kind}`);
  }
  if (expected.status !== undefined && state.status !== expected.status)
    problems.push(`status: expected ${expected.status}, got ${state.status}`);
  if (expected.outcome !== undefined && state.outcome !== expected.outcome) {
    problems.push(
      `outcome: expected ${expected.outcome ?? 'none (still running)'}, got ${state.outcome ?? `none (still running, ${state.waiting ? `waiting for ${state.waiting.kind} at "${state.waiting.nodeId}"` : 'not waiting'})`}`,
    );
  }
  if (expected.path) {
    const mismatch = pathMismatch(expected.path, state.path);
    if (mismatch) problems.push(mismatch);
  }
  for (const nodeId of expected.notVisited ?? []) {
    if (state.path.some((step) => step.nodeId === nodeId))
      problems.push(`notVisited: the conversation entered "${nodeId}"`);
  }
  if (expected.variables) {
    const mismatch = partialMismatch(expected.variables as JsonValue, state.vars);
    if (mismatch) problems.push(`variables ${mismatch}`);
  }
  if (expected.intent !== undefined && (state.intent?.name ?? null) !== expected.intent) {
    problems.push(
      `intent: expected ${short(expected.intent)}, got ${short(state.intent?.name ?? null)}${state.intent ? ` (${state.intent.confidence.toFixed(2)})` : ''}`,
    );
  }
  if (expected.sentiment !== undefined && state.sentiment.label !== expected.sentiment) {
    problems.push(
      `sentiment: expected ${expected.sentiment}, got ${state.sentiment.label} (${state.sentiment.score.toFixed(2)})`,
    );
  }
  if (expected.activityCalls) problems.push(...checkCalls(expected.activityCalls, view.calls));
  for (const name of expected.notCalled ?? []) {
    const made = view.calls.filter((call) => call.name === name);
    if (made.length)
      problems.push(`notCalled: ${name} was called ${made.length} time(s): ${callLine(made[0] as ActivityCallRecord)}`);
  }
  if (expected.handoff !== undefined) problems.push(...checkHandoff(expected.handoff, view));
  if (expected.survey !== undefined) {
    if (expected.survey === null) {
      if (state.survey) problems.push(`survey: expected no answer, got ${short(state.survey)}`);
    } else if (!state.survey) {
      problems.push('survey: expected an answer, none was recorded');
    } else {
      const mismatch = partialMismatch(expected.survey as JsonValue, state.survey);
      if (mismatch) problems.push(`survey ${mismatch}`);
    }
  }
  return problems;
}
