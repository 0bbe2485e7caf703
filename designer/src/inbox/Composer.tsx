import { useRef, useState } from 'react';
import { inboxApi, type AgentRef, type TicketView } from './api';
import { message, newMessageId, whoFirst } from './format';

/** The reply box: a reply to the customer (once claimed) or an internal note; the draft is the pane's. */

export function Composer({
  view,
  agent,
  draft,
  setDraft,
  onSent,
}: {
  view: TicketView;
  agent: AgentRef | null;
  draft: string;
  setDraft: (text: string) => void;
  onSent: () => void;
}) {
  const { ticket } = view;
  const [mode, setMode] = useState<'reply' | 'note'>('reply');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // One client message id per draft: a retry after a failure is not a second message.
  const messageId = useRef(newMessageId());
  const mayReply = ticket.status === 'open' && ticket.assignee?.id === agent?.id;
  const send = async () => {
    if (!agent) return setError(whoFirst);
    const text = draft.trim();
    if (!text) return setError(mode === 'reply' ? 'Write a reply first.' : 'Write a note first.');
    setBusy(true);
    setError(null);
    try {
      if (mode === 'reply') await inboxApi.reply(ticket.ticketId, agent, text, messageId.current);
      else await inboxApi.note(ticket.ticketId, agent, text);
      messageId.current = newMessageId();
      setDraft('');
      onSent();
    } catch (e) {
      // The text stays in the box.
      setError(`${mode === 'reply' ? 'Not sent' : 'Note not saved'} (your text is still here): ${message(e)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className={`ib-composer ib-mode-${mode}`}
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <div className="ib-tabs" role="tablist">
        <button
          type="button"
          role="tab"
          aria-selected={mode === 'reply'}
          className={mode === 'reply' ? 'chosen' : ''}
          onClick={() => setMode('reply')}
        >
          Reply to customer
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={mode === 'note'}
          className={mode === 'note' ? 'chosen' : ''}
          onClick={() => setMode('note')}
        >
          Internal note
        </button>
      </div>
      <textarea
        aria-label={mode === 'reply' ? 'Reply' : 'Internal note'}
        rows={5}
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        placeholder={
          mode === 'reply'
            ? mayReply
              ? 'Write to the customer…'
              : 'Claim the ticket to reply'
            : 'Only agents see notes'
        }
      />
      <div className="ib-row">
        <button type="submit" className="primary" disabled={busy || (mode === 'reply' && !mayReply)}>
          {mode === 'reply' ? 'Send reply' : 'Add note'}
        </button>
        {mode === 'note' && <span className="muted">never sent to the customer</span>}
        {error && (
          <span className="error" role="alert">
            {error}
          </span>
        )}
      </div>
    </form>
  );
}
