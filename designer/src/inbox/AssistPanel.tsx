import { useEffect, useState } from 'react';
import { inboxApi, type AssistAnswer } from './api';
import { message } from './format';

/**
 * Asks the knowledge base (the customer's words by default) and offers the suggested reply; Insert puts
 * it in the reply box (the pane focuses it). Sources read as titles and passages: ranking scores and
 * article ids mean nothing to an agent. Internal procedures come apart, for the agent only.
 */
export function AssistPanel({ ticketId, onInsert }: { ticketId: string; onInsert: (text: string) => void }) {
  const [question, setQuestion] = useState('');
  const [answer, setAnswer] = useState<AssistAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setAnswer(null);
    setError(null);
  }, [ticketId]);
  const ask = async () => {
    setBusy(true);
    setError(null);
    try {
      setAnswer(await inboxApi.assist(ticketId, question.trim() || undefined));
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <aside className="ib-assist" aria-label="AI assist">
      <h2>AI assist</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void ask();
        }}
      >
        <textarea
          aria-label="Ask the knowledge base"
          rows={3}
          value={question}
          placeholder="Ask the knowledge base… (empty: what the customer said)"
          onChange={(e) => setQuestion(e.target.value)}
        />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Asking…' : 'Ask'}
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {answer && (
        <div className="ib-answer">
          <p className="muted ib-question">Asked: {answer.question}</p>
          {answer.answer ? <p>{answer.answer}</p> : <p className="muted">The knowledge base has nothing on this.</p>}
          {answer.suggestedReply && (
            <div className="ib-suggestion">
              <h3>Suggested reply</h3>
              <pre>{answer.suggestedReply}</pre>
              <button type="button" onClick={() => onInsert(answer.suggestedReply ?? '')}>
                Insert into reply
              </button>
            </div>
          )}
          {answer.sources.length > 0 && (
            <>
              <h3>From the help articles</h3>
              <ol className="ib-sources">
                {answer.sources.map((source) => (
                  <li key={source.articleId}>
                    <strong>{source.title}</strong>
                    <div>{source.snippet}</div>
                  </li>
                ))}
              </ol>
            </>
          )}
          {(answer.internalGuidance ?? []).length > 0 && (
            <div className="ib-guidance">
              <h3>For agents only · do not send</h3>
              <ol className="ib-sources">
                {(answer.internalGuidance ?? []).map((source) => (
                  <li key={source.articleId}>
                    <strong>{source.title}</strong>
                    <div>{source.snippet}</div>
                  </li>
                ))}
              </ol>
            </div>
          )}
        </div>
      )}
    </aside>
  );
}
