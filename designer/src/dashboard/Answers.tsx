import { StackedBar } from './charts';
import { pct, plural } from './format';
import type { Measures } from './types';

/**
 * The knowledge-base answers: answered and unsure, and of the answers how many the customer confirmed,
 * how many are assumed (no word back) and how many did not resolve it. Deflection never stands alone:
 * confirmed and assumed are always shown side by side with what did not work.
 */
export function Answers({
  answers,
  correctionsToLearn,
}: {
  answers: Measures['answers'];
  correctionsToLearn?: number;
}) {
  const a = answers;
  return (
    <section className="panel" aria-labelledby="answers-h" data-testid="answers">
      <h2 id="answers-h">Knowledge-base answers</h2>
      {a.visits === 0 ? (
        <p className="muted">No knowledge-base questions in this period.</p>
      ) : (
        <>
          <p>
            <b>{a.answered}</b> answered of {plural(a.visits, 'question')} ({pct(a.rates.answered)}) · the bot was
            unsure <b>{a.unsure}</b>
          </p>
          <StackedBar
            title="Knowledge-base answers"
            parts={[
              { label: 'Answered, confirmed deflection', value: a.confirmed, color: '#1b7f3a' },
              { label: 'Answered, assumed deflection', value: a.assumed, color: '#8cc99e' },
              { label: 'Answered, not resolved', value: a.notResolved, color: '#b3261e' },
              { label: 'Unsure, no answer', value: a.unsure, color: '#b8bfcc' },
            ]}
          />
        </>
      )}
      {correctionsToLearn !== undefined && (
        <p data-testid="corrections-to-learn">
          <b>{correctionsToLearn}</b> {correctionsToLearn === 1 ? 'correction' : 'corrections'} by agents waiting to be
          learned
          <span className="muted"> (baton triage train --with-corrections)</span>
        </p>
      )}
    </section>
  );
}
