import type { IntentChoice } from './embedded';
import type { SimSession } from './session';

type PendingCall = NonNullable<SimSession['pending']>;

/** A classify call waits: the designer chooses what the AI answers (an intent, the fallback, the embedded model, a failure). */
export function ClassifyAnswer({
  pending,
  intents,
  choice,
  onChoice,
  sentiment,
  onSentiment,
  busy,
  onAnswer,
}: {
  pending: PendingCall;
  intents: IntentChoice[];
  choice: string;
  onChoice: (choice: string) => void;
  sentiment: number;
  onSentiment: (sentiment: number) => void;
  busy: boolean;
  onAnswer: () => void;
}) {
  return (
    <div className="pending-call" data-testid="sim-classify">
      <b>{pending.nodeId}</b> classifies “{String(pending.input.text ?? '')}”. The AI answers:
      <select aria-label="classification answer" value={choice} onChange={(e) => onChoice(e.target.value)}>
        {intents.map((i) => (
          <option key={i.name} value={i.name}>
            {i.name}
          </option>
        ))}
        <option value="fallback">fallback (no confident intent)</option>
        <option value="embedded">embedded model (as production)</option>
        <option value="error">the AI fails</option>
      </select>
      {choice !== 'embedded' && choice !== 'error' && (
        <label className="row hint">
          sentiment {sentiment.toFixed(1)}{' '}
          <input
            type="range"
            min={-1}
            max={1}
            step={0.1}
            value={sentiment}
            onChange={(e) => onSentiment(Number(e.target.value))}
            aria-label="sentiment"
          />
        </label>
      )}
      <div className="row">
        <button type="button" className="primary" onClick={onAnswer} disabled={busy} data-testid="sim-answer">
          Answer
        </button>
      </div>
    </div>
  );
}

/** Another activity's call waits: the designer edits what it returns, or fails it. */
export function ActivityAnswer({
  pending,
  fakeText,
  onFakeText,
  fakeError,
  busy,
  onAnswer,
  onFail,
}: {
  pending: PendingCall;
  fakeText: string;
  onFakeText: (text: string) => void;
  fakeError: string | null;
  busy: boolean;
  onAnswer: () => void;
  onFail: () => void;
}) {
  return (
    <div className="pending-call" data-testid="sim-activity">
      <b>{pending.activity}</b> at <code>{pending.nodeId}</code> with input <code>{JSON.stringify(pending.input)}</code>{' '}
      returns:
      <textarea
        className="code"
        rows={6}
        aria-label="activity result"
        value={fakeText}
        onChange={(e) => onFakeText(e.target.value)}
      />
      {fakeError && <p className="err">{fakeError}</p>}
      <div className="row">
        <button type="button" className="primary" onClick={onAnswer} disabled={busy} data-testid="sim-answer">
          Return this
        </button>
        <button type="button" onClick={onFail} disabled={busy}>
          Fail the call
        </button>
      </div>
    </div>
  );
}
