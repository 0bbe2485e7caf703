import { builtinActivityNames } from '@baton/schemas';
import type { ConversationState, TranscriptEntry } from '../interpreter/types';
import { formatPath, short } from './expect';
import type { ActivityCallRecord, SimulationFailure, SimulationResult } from './types';

/** `+1:05:30` from the conversation's start. */
export function elapsed(at: number, startedAt: number): string {
  const total = Math.max(0, Math.round((at - startedAt) / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return hours ? `+${hours}:${two(minutes)}:${two(seconds)}` : `+${minutes}:${two(seconds)}`;
}

/** One line of JSON for a step, as written. */
export function describeStep(step: unknown, max = 140): string {
  return short(step, max);
}

/** Where the conversation is, in words. */
export function describeWhere(state: ConversationState | null): string {
  if (!state) return 'not started';
  if (state.status === 'ended') return `ended (${state.outcome ?? 'no outcome'})`;
  const waiting = state.waiting;
  if (!waiting) return `at "${state.nodeId}", not waiting`;
  const what = {
    reply: 'a customer reply',
    agent: 'an agent',
    survey: 'the survey answer',
    timer: 'a timer',
    activity: 'an activity',
  }[waiting.kind];
  const until =
    'until' in waiting && waiting.until !== null ? ` (times out at ${elapsed(waiting.until, state.startedAt)})` : '';
  return `waiting for ${what} at "${waiting.nodeId}"${until}`;
}

function speaker(entry: TranscriptEntry): string {
  if (entry.from === 'agent') return entry.agent ? `agent ${entry.agent.name}` : 'agent';
  return entry.from;
}

function callSummary(call: ActivityCallRecord): string {
  const result =
    call.error !== undefined
      ? `✗ ${call.error}`
      : call.name === builtinActivityNames.classify
        ? classifySummary(call)
        : short(call.output, 100);
  const from = call.source === 'runner' ? '' : ` [${call.source}]`;
  return `${call.name}${from} ${short(call.input, call.name === builtinActivityNames.classify ? 60 : 100)} → ${result}`;
}

function classifySummary(call: ActivityCallRecord): string {
  const output = call.output;
  if (output === null || typeof output !== 'object' || Array.isArray(output)) return short(output);
  const sentiment =
    output.sentiment && typeof output.sentiment === 'object' && !Array.isArray(output.sentiment)
      ? output.sentiment
      : {};
  const score = typeof sentiment.score === 'number' ? sentiment.score.toFixed(2) : '?';
  const confidence = typeof output.confidence === 'number' ? output.confidence.toFixed(2) : '?';
  return `${String(output.intent)} (${confidence}), sentiment ${String(sentiment.label ?? '?')} ${score}`;
}

function indentLines(text: string, indent: string): string {
  return text
    .split('\n')
    .map((line) => indent + line)
    .join('\n');
}

/**
 * The conversation as it happened: messages, activity calls and timeouts, with the virtual time
 * since the start.
 */
export function formatTranscript(result: SimulationResult, options: { calls?: boolean } = {}): string {
  const showCalls = options.calls ?? true;
  const lines: string[] = [];
  for (const entry of result.log) {
    for (const event of entry.events) {
      if (event.kind === 'say') {
        lines.push(
          `${elapsed(event.entry.at, result.startedAt).padStart(9)}  ${speaker(event.entry).padEnd(10)} ${indentLines(event.entry.text, ' '.repeat(22)).trimStart()}`,
        );
      } else if (event.kind === 'call' && showCalls) {
        lines.push(`${''.padStart(9)}  ${'·'.padEnd(10)} ${callSummary(event.call)}`);
      } else if (event.kind === 'timeout') {
        lines.push(
          `${elapsed(event.at, result.startedAt).padStart(9)}  ${'⏱'.padEnd(10)} ${event.waitingFor} timeout at "${event.nodeId}"`,
        );
      } else if (event.kind === 'duplicate') {
        lines.push(`${''.padStart(9)}  ${'·'.padEnd(10)} duplicate message ${event.clientMessageId} ignored`);
      }
    }
  }
  return lines.join('\n');
}

export function formatSummary(result: SimulationResult): string {
  const lines = [
    `Path     ${formatPath(result.path)}`,
    `Outcome  ${result.outcome ?? `none yet (${result.state ? (result.state.waiting ? `waiting for ${result.state.waiting.kind} at "${result.state.waiting.nodeId}"` : result.status) : 'not started'})`}`,
    `Variables ${short(result.variables, 400)}`,
  ];
  const handoff = result.state?.handoffs[result.state.handoffs.length - 1];
  if (handoff) {
    const ticket = result.tickets.find((t) => t.ticketId === handoff.ticketId);
    const steps = ticket && Array.isArray(ticket.packet.stepsTried) ? ticket.packet.stepsTried : [];
    lines.push(
      `Handoff  ${handoff.queue} (${handoff.priority}): ${handoff.reason}${handoff.claimedBy ? `; claimed by ${handoff.claimedBy.name}` : ''}${handoff.resolvedAt !== undefined ? '; resolved' : ''}`,
    );
    for (const step of steps) lines.push(`           tried: ${String(step)}`);
  }
  if (result.state?.survey) lines.push(`Survey   ${short(result.state.survey)}`);
  return lines.join('\n');
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function stepName(failure: SimulationFailure): string {
  if (failure.step === 'final') return 'the final expectations';
  if (failure.step === 'script') return 'the script';
  if (failure.step === 0) return 'the start';
  return `step ${failure.step}`;
}

/** Which step diverged, what was expected, what the bot actually said, the path so far. */
export function formatFailure(failure: SimulationFailure, indent = ''): string {
  const lines: string[] = [];
  lines.push(
    `${stepName(failure)}${failure.action && failure.step !== 'final' && failure.step !== 0 ? ` ${failure.action}` : ''}:`,
  );
  for (const problem of failure.problems) lines.push(indentLines(`✗ ${problem}`, '  '));
  if (failure.step !== 'script') {
    if (failure.saidScope) {
      lines.push(`  the bot said (${failure.saidScope}):`);
      if (failure.botSaid.length === 0) lines.push('    (nothing)');
      for (const entry of failure.botSaid)
        lines.push(
          `    ${entry.from === 'bot' ? '' : `[${entry.from}] `}${truncate(entry.text.replace(/\s+/g, ' '), 200)}`,
        );
    }
    lines.push(`  path so far: ${failure.path}`);
    lines.push(`  conversation: ${failure.where}`);
  }
  return indentLines(lines.join('\n'), indent);
}

export function formatFailures(result: SimulationResult, indent = ''): string {
  return result.failures.map((failure) => formatFailure(failure, indent)).join('\n');
}
