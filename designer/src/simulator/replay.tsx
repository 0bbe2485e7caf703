import {
  builtinActivityNames,
  type ActivityManifest,
  type CompiledJourney,
  type Customer,
  type JsonValue,
} from '@baton/schemas';
import type { ActivityCall, PathStep, TranscriptEntry } from '@baton/core/interpreter';
import { sampleFromSchema } from './fake';
import { matchExamples } from './embedded';
import {
  advanceTime,
  agentClaim,
  agentResolve,
  answerActivity,
  answerSurvey,
  nextDeadline,
  pathLabels,
  sendCustomerMessage,
  startSession,
  type ActivityAnswer,
  type SimSession,
} from './session';
import { edgeKey, type CanvasDecoration } from '../overlay/canvasView';

/** What replay needs of a real conversation (GET /api/conversations/:id). */
export interface RealConversation {
  conversationId: string;
  customer: Customer;
  transcript: TranscriptEntry[];
  path: PathStep[];
  vars: Record<string, JsonValue>;
  sentiment?: { history?: number[] };
  handoffs?: { claimedBy?: { name: string } }[];
  survey?: { ces?: number; csat?: number } | null;
  status: string;
  outcome: string | null;
}

export interface ReplayResult {
  session: SimSession;
  real: string[];
  draft: string[];
  /** Index in both paths where they first differ; null when the draft takes the same path. */
  splitAt: number | null;
  notes: string[];
}

/**
 * Replays a real conversation's customer messages through a draft, with the same interpreter core.
 * Where the draft asks the AI or an activity at a node the real conversation also went through, it
 * gets the answer the real one got there (the intent it took, the error it hit, the output variable
 * it stored); elsewhere the closest example phrases and a sample of the output schema answer.
 * Timeouts, agents and surveys happen where they happened in the real path.
 */
export function replayConversation(
  journey: CompiledJourney,
  real: RealConversation,
  activities: readonly ActivityManifest[],
): ReplayResult {
  const catalog = new Map(activities.map((a) => [a.name, a]));
  const notes: string[] = [];
  const visitsSeen = new Map<string, number>();
  let classifications = 0;

  /** The handle the real conversation left `nodeId` by on its `visit`-th visit (0-based). */
  const realHandle = (nodeId: string, visit: number): string | undefined => {
    let seen = 0;
    for (const step of real.path) {
      if (step.nodeId !== nodeId) continue;
      if (seen === visit) return step.handle;
      seen += 1;
    }
    return undefined;
  };
  const visitOf = (nodeId: string, session: SimSession) => (session.state.counters.visits[nodeId] ?? 1) - 1;

  const answerFor = (call: ActivityCall, session: SimSession): ActivityAnswer => {
    const handle = realHandle(call.nodeId, visitOf(call.nodeId, session));
    const key = `${call.nodeId}#${visitOf(call.nodeId, session)}`;
    visitsSeen.set(key, (visitsSeen.get(key) ?? 0) + 1);
    if (call.activity === builtinActivityNames.classify) {
      const score = real.sentiment?.history?.[classifications] ?? 0;
      classifications += 1;
      const sentiment = { score, label: score <= -0.25 ? 'negative' : score >= 0.25 ? 'positive' : 'neutral' };
      if (handle === 'fallback')
        return { output: { intent: null, confidence: 0.2, sentiment, reasons: ['as in the real conversation'] } };
      if (handle)
        return { output: { intent: handle, confidence: 0.95, sentiment, reasons: ['as in the real conversation'] } };
      const node = journey.nodes[call.nodeId] as unknown as {
        data?: { intents?: { name: string; examples?: string[] }[] };
      };
      const intents = (node?.data?.intents ?? []).map((i) => ({ name: i.name, examples: i.examples ?? [] }));
      const guess = matchExamples(typeof call.input.text === 'string' ? call.input.text : '', intents);
      notes.push(
        `${call.nodeId}: not in the real path; classified by example phrases as ${guess.intent ?? 'fallback'}`,
      );
      return {
        output: { intent: guess.intent, confidence: guess.confidence, sentiment, reasons: ['closest example phrases'] },
      };
    }
    if (handle === 'error') return { error: 'failed as in the real conversation' };
    const node = journey.nodes[call.nodeId] as unknown as { data?: { output?: string } };
    const variable = node?.data?.output;
    if (handle && variable && Object.hasOwn(real.vars, variable)) return { output: real.vars[variable] as JsonValue };
    if (!handle)
      notes.push(`${call.nodeId}: not in the real path; ${call.activity} answered with a sample of its output schema`);
    return { output: sampleFromSchema(catalog.get(call.activity)?.output ?? {}) };
  };

  const settle = (start: SimSession): SimSession => {
    let session = start;
    for (let guard = 0; guard < 100; guard += 1) {
      if (session.pending) {
        session = answerActivity(session, answerFor(session.pending, session));
        continue;
      }
      const waiting = session.state.waiting;
      if (!waiting || session.state.status === 'ended') return session;
      const handle = realHandle(waiting.nodeId, visitOf(waiting.nodeId, session));
      if (handle === 'timeout' && nextDeadline(session) !== null) {
        session = advanceTime(session);
        continue;
      }
      if (waiting.kind === 'agent' && handle === 'resolved') {
        const name = real.handoffs?.[real.handoffs.length - 1]?.claimedBy?.name ?? 'Agent';
        session = agentResolve(agentClaim(session, name), name);
        continue;
      }
      if (waiting.kind === 'survey' && handle === 'answered') {
        session = answerSurvey(session, {
          ...(real.survey?.ces !== undefined && { ces: real.survey.ces }),
          ...(real.survey?.csat !== undefined && { csat: real.survey.csat }),
        });
        continue;
      }
      return session;
    }
    return session;
  };

  let session = settle(startSession(journey, { customer: real.customer }));
  const messages = real.transcript.filter((entry) => entry.from === 'customer');
  for (const [index, message] of messages.entries()) {
    if (session.state.status === 'ended') {
      notes.push(`the draft ended before the real conversation's message ${index + 1} of ${messages.length}`);
      break;
    }
    session = settle(sendCustomerMessage(session, message.text));
  }
  const realLabels = pathLabels(real.path);
  const draftLabels = pathLabels(session.state.path);
  let splitAt: number | null = null;
  for (let i = 0; i < Math.max(realLabels.length, draftLabels.length); i += 1) {
    if (realLabels[i] !== draftLabels[i]) {
      splitAt = i;
      break;
    }
  }
  return { session, real: realLabels, draft: draftLabels, splitAt, notes };
}

/** Both paths on the canvas: shared steps green, only the real conversation's grey, only the draft's blue, the split red. */
export function replayDecoration(result: ReplayResult, real: RealConversation): CanvasDecoration {
  const nodes: Record<string, string> = {};
  const edges: Record<string, string> = {};
  const mark = (target: Record<string, string>, id: string, who: 'real' | 'draft') => {
    const was = target[id];
    target[id] = was && was !== `replay-${who}` ? 'replay-both' : was === 'replay-both' ? was : `replay-${who}`;
  };
  const walk = (path: readonly PathStep[], who: 'real' | 'draft') => {
    path.forEach((step, i) => {
      mark(nodes, step.nodeId, who);
      if (step.handle && path[i + 1]) mark(edges, edgeKey(step.nodeId, step.handle), who);
    });
  };
  walk(real.path, 'real');
  walk(result.session.state.path, 'draft');
  const badges: CanvasDecoration['badges'] = {};
  if (result.splitAt !== null) {
    const i = result.splitAt;
    const draftStep = result.session.state.path[i];
    const realStep = real.path[i];
    // Same node, different way out: it split there; else it split where both left the node before.
    const at =
      draftStep && realStep && draftStep.nodeId === realStep.nodeId
        ? draftStep.nodeId
        : (result.session.state.path[i - 1]?.nodeId ?? draftStep?.nodeId ?? realStep?.nodeId);
    if (at) {
      nodes[at] = 'replay-split';
      badges[at] = <span className="split">paths split here</span>;
    }
  }
  return { nodes, edges, badges };
}
