import { useCallback, useEffect, useMemo, useState } from 'react';
import { compileJourney } from '@baton/core/compiler';
import {
  builtinActivityNames,
  type ActivityManifest,
  type CompiledJourney,
  type Customer,
  type Diagnostic,
  type JsonValue,
} from '@baton/schemas';
import { defaultCustomer } from '@baton/core/simulator';
import type { CanvasControls, CanvasDecoration } from '../overlay/canvasView';
import { edgeKey } from '../overlay/canvasView';
import { toJourney, type Draft } from '../model';
import { sampleFromSchema } from './fake';
import { embeddedClassification, type IntentChoice } from './embedded';
import {
  advanceTime,
  agentClaim,
  agentResolve,
  answerActivity,
  answerSurvey,
  canSendMessage,
  litPath,
  nextDeadline,
  sendCustomerMessage,
  startSession,
  type SimSession,
} from './session';
import { SimChat, SurveyAnswer } from './SimChat';
import { handoffResolvedByBotWarning, nodeLabel, offeredQuickReplies, surveyQuestions } from './chat';
import { ActivityAnswer, ClassifyAnswer } from './PendingCall';
import { SaveAsTest } from './SaveAsTest';

/** Compiles the draft as it is on the canvas now, with the catalog the editor validates against. */
export function compileDraft(
  canvas: CanvasControls,
  meta: Draft,
  activities: ActivityManifest[],
): { journey?: CompiledJourney; errors: Diagnostic[] } {
  const { nodes, edges } = canvas.draft();
  const result = compileJourney(
    toJourney(meta, nodes, edges),
    activities.length ? { activities: new Map(activities.map((a) => [a.name, a])) } : {},
  );
  if (!result.ok) return { errors: result.diagnostics.filter((d) => d.severity === 'error') };
  return { journey: result.journey, errors: [] };
}

/** The path a session took, as canvas decorations: visited nodes and edges lit, the current node pulsing. */
export function sessionDecoration(session: SimSession): CanvasDecoration {
  const lit = litPath(session.state.path);
  const nodes: Record<string, string> = {};
  for (const id of lit.nodes) nodes[id] = 'sim-lit';
  const current = session.pending?.nodeId ?? session.state.nodeId;
  if (current && session.state.status === 'active') nodes[current] = 'sim-lit sim-current';
  const edges: Record<string, string> = {};
  for (const e of lit.edges) edges[edgeKey(e.source, e.handle)] = 'sim-lit';
  return { nodes, edges };
}

function intentsOf(journey: CompiledJourney, nodeId: string): IntentChoice[] {
  const node = journey.nodes[nodeId] as unknown as
    { data?: { intents?: { name: string; examples?: string[] }[] } } | undefined;
  return (node?.data?.intents ?? []).map((i) => ({ name: i.name, examples: i.examples ?? [] }));
}

export function SimulatorPanel({
  canvas,
  meta,
  activities,
  active,
}: {
  canvas: CanvasControls;
  meta: Draft;
  activities: ActivityManifest[];
  active: boolean;
}) {
  const [session, setSession] = useState<SimSession | null>(null);
  const [errors, setErrors] = useState<Diagnostic[]>([]);
  const [typed, setTyped] = useState('');
  const [script, setScript] = useState('');
  const [customerText, setCustomerText] = useState(() => JSON.stringify(defaultCustomer, null, 1));
  const [customerError, setCustomerError] = useState<string | null>(null);
  const [auto, setAuto] = useState(false);
  const [choice, setChoice] = useState('');
  const [sentiment, setSentiment] = useState(0);
  const [fakeText, setFakeText] = useState('');
  const [fakeError, setFakeError] = useState<string | null>(null);
  const [agentName, setAgentName] = useState('Sam');
  const [testName, setTestName] = useState('simulated in the designer');
  const [busy, setBusy] = useState(false);
  const catalog = useMemo(() => new Map(activities.map((a) => [a.name, a])), [activities]);

  // The path lights up on the canvas while this panel is the active tool.
  useEffect(() => {
    if (!active) return;
    canvas.decorate(session ? sessionDecoration(session) : null);
  }, [active, session, canvas]);

  // A new pending call: propose an answer (the first intent, or a sample of the activity's output schema).
  const pending = session?.pending ?? null;
  useEffect(() => {
    if (!pending || !session) return;
    setFakeError(null);
    if (pending.activity === builtinActivityNames.classify) {
      setChoice(intentsOf(session.journey, pending.nodeId)[0]?.name ?? 'fallback');
      setSentiment(0);
    } else {
      setFakeText(JSON.stringify(sampleFromSchema(catalog.get(pending.activity)?.output ?? {}), null, 2));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pending?.callId]);

  const start = useCallback(() => {
    let customer: Customer;
    try {
      customer = JSON.parse(customerText) as Customer;
      setCustomerError(null);
    } catch (e) {
      setCustomerError(`customer: not JSON (${(e as Error).message})`);
      return;
    }
    const compiled = compileDraft(canvas, meta, activities);
    setErrors(compiled.errors);
    if (!compiled.journey) {
      setSession(null);
      return;
    }
    setSession(startSession(compiled.journey, { customer }));
  }, [canvas, meta, activities, customerText]);

  /** Answers a pending call the way the designer chose (or automatically for scripted runs). */
  const answerPending = useCallback(
    async (current: SimSession, how: 'chosen' | 'auto'): Promise<SimSession> => {
      const call = current.pending;
      if (!call) return current;
      if (call.activity === builtinActivityNames.classify) {
        const intents = intentsOf(current.journey, call.nodeId);
        const text = typeof call.input.text === 'string' ? call.input.text : current.state.lastMessage;
        const picked = how === 'auto' ? 'embedded' : choice;
        if (picked === 'embedded')
          return answerActivity(current, {
            output: (await embeddedClassification(
              text,
              intents,
              call.input as Record<string, unknown>,
            )) as unknown as JsonValue,
          });
        if (picked === 'error') return answerActivity(current, { error: 'the AI provider failed (simulated)' });
        const label = sentiment <= -0.25 ? 'negative' : sentiment >= 0.25 ? 'positive' : 'neutral';
        return answerActivity(current, {
          output: {
            intent: picked === 'fallback' ? null : picked,
            confidence: picked === 'fallback' ? 0.2 : 0.95,
            sentiment: { score: sentiment, label },
            reasons: ['chosen in the simulator'],
          },
        });
      }
      if (how === 'auto')
        return answerActivity(current, { output: sampleFromSchema(catalog.get(call.activity)?.output ?? {}) });
      return answerActivity(current, { output: JSON.parse(fakeText) as JsonValue });
    },
    [choice, sentiment, fakeText, catalog],
  );

  const run = async (work: () => Promise<SimSession | null>) => {
    setBusy(true);
    try {
      const next = await work();
      if (next) setSession(next);
    } finally {
      setBusy(false);
    }
  };

  const send = (quick?: string) => {
    const text = quick ?? typed;
    if (!session || !text.trim()) return;
    if (quick === undefined) setTyped('');
    void run(async () => {
      let next = sendCustomerMessage(session, text);
      while (auto && next.pending) next = await answerPending(next, 'auto');
      return next;
    });
  };

  const runScript = () => {
    if (!session) return;
    void run(async () => {
      let next = session;
      const lines = script
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      for (const line of lines) {
        while (next.pending) next = await answerPending(next, 'auto');
        if (!canSendMessage(next)) break;
        next = sendCustomerMessage(next, line);
      }
      while (next.pending) next = await answerPending(next, 'auto');
      return next;
    });
  };

  const answer = () => {
    if (!session) return;
    if (session.pending?.activity !== builtinActivityNames.classify) {
      try {
        JSON.parse(fakeText);
      } catch (e) {
        setFakeError(`not JSON: ${(e as Error).message}`);
        return;
      }
    }
    void run(() => answerPending(session, 'chosen'));
  };

  const waiting = session?.state.waiting;
  const deadline = session ? nextDeadline(session) : null;

  return (
    <div className="simulator" data-testid="simulator">
      <div className="row">
        <button type="button" className="primary" onClick={start} data-testid="sim-start">
          {session ? 'Restart' : 'Start simulation'}
        </button>
        {session && (
          <button
            type="button"
            onClick={() => {
              setSession(null);
              canvas.decorate(null);
            }}
          >
            Stop
          </button>
        )}
        <label className="hint">
          <input type="checkbox" checked={auto} onChange={(e) => setAuto(e.target.checked)} /> answer calls
          automatically
        </label>
      </div>
      {!session && (
        <details>
          <summary className="hint">Customer</summary>
          <textarea
            className="code"
            rows={5}
            aria-label="simulated customer"
            value={customerText}
            onChange={(e) => setCustomerText(e.target.value)}
          />
        </details>
      )}
      {customerError && <p className="err">{customerError}</p>}
      {errors.length > 0 && (
        <div className="err" data-testid="sim-errors">
          Fix these errors to simulate:
          <ul>
            {errors.map((d, i) => (
              <li key={i}>
                {d.nodeId ? <code>{d.nodeId}</code> : null} {d.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {!session && errors.length === 0 && (
        <p className="hint">
          Runs the draft in this browser with the engine's own interpreter: type the customer's messages, choose what
          the AI answers and what activities return, and advance virtual time. The path lights up on the canvas.
        </p>
      )}
      {session && (
        <>
          <SimChat
            events={session.events}
            journey={session.journey}
            quickReplies={busy ? [] : offeredQuickReplies(session)}
            onQuickReply={send}
          />
          {handoffResolvedByBotWarning(session) && (
            <p className="sim-warning" role="alert" data-testid="sim-warning">
              ⚠ {handoffResolvedByBotWarning(session)}
            </p>
          )}
          <p className="hint" data-testid="sim-where">
            {session.state.status === 'ended'
              ? `Ended: ${session.state.outcome ?? ''}`
              : pending
                ? `Calling ${pending.activity} at ${nodeLabel(session.journey, pending.nodeId)}`
                : waiting
                  ? `Waiting for ${waiting.kind === 'reply' ? 'the customer' : waiting.kind} at ${nodeLabel(session.journey, waiting.nodeId)}`
                  : ''}
            {' · '}virtual time +{Math.round((session.clock - session.startedAt) / 1000)}s
          </p>
          {pending && pending.activity === builtinActivityNames.classify && (
            <ClassifyAnswer
              pending={pending}
              intents={intentsOf(session.journey, pending.nodeId)}
              choice={choice}
              onChoice={setChoice}
              sentiment={sentiment}
              onSentiment={setSentiment}
              busy={busy}
              onAnswer={answer}
            />
          )}
          {pending && pending.activity !== builtinActivityNames.classify && (
            <ActivityAnswer
              pending={pending}
              fakeText={fakeText}
              onFakeText={setFakeText}
              fakeError={fakeError}
              busy={busy}
              onAnswer={answer}
              onFail={() => void run(async () => answerActivity(session, { error: 'failed in the simulator' }))}
            />
          )}
          {!pending && session.state.status === 'active' && (
            <>
              <form
                className="row"
                onSubmit={(e) => {
                  e.preventDefault();
                  send();
                }}
              >
                <input
                  type="text"
                  aria-label="customer message"
                  placeholder="Type as the customer…"
                  value={typed}
                  onChange={(e) => setTyped(e.target.value)}
                  style={{ flex: 1, width: 'auto' }}
                />
                <button type="submit" disabled={busy || !typed.trim()} data-testid="sim-send">
                  Send
                </button>
              </form>
              {waiting?.kind === 'agent' && (
                <div className="row">
                  <input
                    type="text"
                    aria-label="agent name"
                    value={agentName}
                    onChange={(e) => setAgentName(e.target.value)}
                    style={{ width: 90 }}
                  />
                  <button type="button" onClick={() => setSession(agentClaim(session, agentName))}>
                    Agent claims
                  </button>
                  <button type="button" onClick={() => setSession(agentResolve(session, agentName))}>
                    Agent resolves
                  </button>
                </div>
              )}
              {waiting?.kind === 'survey' && (
                <SurveyAnswer
                  key={waiting.nodeId}
                  asks={surveyQuestions(session.journey, waiting.nodeId)}
                  onAnswer={(answer) => setSession(answerSurvey(session, answer))}
                />
              )}
            </>
          )}
          {deadline !== null && !pending && (
            <div className="row">
              <button type="button" onClick={() => setSession(advanceTime(session))} data-testid="sim-advance">
                Advance time to the {waiting?.kind} timeout (+{Math.round((deadline - session.clock) / 1000)}s)
              </button>
            </div>
          )}
          <h3>Scripted messages</h3>
          <textarea
            rows={3}
            aria-label="scripted messages"
            placeholder="One customer message per line; calls are answered automatically"
            value={script}
            onChange={(e) => setScript(e.target.value)}
          />
          <div className="row">
            <button type="button" onClick={runScript} disabled={busy || !script.trim()}>
              Run script
            </button>
          </div>
          <SaveAsTest session={session} testName={testName} onTestName={setTestName} />
          {session.unrecordable.length > 0 && <p className="hint">{session.unrecordable[0]}</p>}
        </>
      )}
    </div>
  );
}
