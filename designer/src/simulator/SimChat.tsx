import { useState } from 'react';
import './simulator.css';
import type { CompiledJourney } from '@baton/schemas';
import type { SimSession } from './session';
import { nodeLabel, summarizeOutput } from './chat';

/**
 * The simulated conversation as a chat: the customer's bubbles on the right, the bot's and the
 * agent's on the left, calls and timeouts as small notes naming the node by its label. The quick
 * replies the bot offers with its last message are buttons that send that reply as the customer.
 */
export function SimChat({
  events,
  journey,
  quickReplies = [],
  onQuickReply,
}: {
  events: SimSession['events'];
  journey: CompiledJourney;
  quickReplies?: string[];
  onQuickReply?: (text: string) => void;
}) {
  return (
    <div className="chat" data-testid="sim-chat">
      {events.map((event, i) => {
        if (event.kind === 'say')
          return (
            <div key={i} className={`msg ${event.entry.from}`} data-from={event.entry.from}>
              {event.entry.text}
            </div>
          );
        if (event.kind === 'call')
          return (
            <div key={i} className="note" title={event.nodeId}>
              {nodeLabel(journey, event.nodeId)} · {event.activity} →{' '}
              {'error' in event.answer ? `error: ${event.answer.error}` : summarizeOutput(event.answer.output)}
            </div>
          );
        if (event.kind === 'timeout')
          return (
            <div key={i} className="note" title={event.nodeId}>
              ⏱ time advanced: timeout at {nodeLabel(journey, event.nodeId)}
            </div>
          );
        return (
          <div key={i} className="note err">
            {event.reason}
          </div>
        );
      })}
      {quickReplies.length > 0 && onQuickReply && (
        <div className="quick-replies" data-testid="sim-quick-replies">
          {quickReplies.map((reply) => (
            <button key={reply} type="button" onClick={() => onQuickReply(reply)}>
              {reply}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

function Scale({
  name,
  max,
  value,
  onChange,
}: {
  name: string;
  max: number;
  value: number | undefined;
  onChange: (n: number) => void;
}) {
  return (
    <div className="survey-scale" role="radiogroup" aria-label={name}>
      <span>{name}</span>
      {Array.from({ length: max }, (_, i) => i + 1).map((n) => (
        <button
          key={n}
          type="button"
          role="radio"
          aria-checked={value === n}
          className={value === n ? 'chosen' : undefined}
          onClick={() => onChange(n)}
        >
          {n}
        </button>
      ))}
    </div>
  );
}

/** The survey as the customer sees it: the designer clicks the scores to answer (only the questions the node asks). */
export function SurveyAnswer({
  asks,
  onAnswer,
}: {
  asks: { ces: boolean; csat: boolean };
  onAnswer: (answer: { ces?: number; csat?: number }) => void;
}) {
  const [ces, setCes] = useState<number | undefined>();
  const [csat, setCsat] = useState<number | undefined>();
  const ready = (!asks.ces || ces !== undefined) && (!asks.csat || csat !== undefined) && (asks.ces || asks.csat);
  return (
    <div className="sim-survey" data-testid="sim-survey">
      {asks.ces && <Scale name="CES (1 hard – 7 easy)" max={7} value={ces} onChange={setCes} />}
      {asks.csat && <Scale name="CSAT (1 – 5)" max={5} value={csat} onChange={setCsat} />}
      <button
        type="button"
        disabled={!ready}
        onClick={() =>
          onAnswer({ ...(asks.ces && ces !== undefined && { ces }), ...(asks.csat && csat !== undefined && { csat }) })
        }
      >
        Answer the survey
      </button>
    </div>
  );
}
