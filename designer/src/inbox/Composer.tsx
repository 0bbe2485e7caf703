import { useEffect, useRef, useState, type RefObject } from 'react';
import { inboxApi, type AgentRef, type TicketView } from './api';
import { fillCanned, matchCanned, type CannedResponse } from './canned';
import { message, newMessageId, whoFirst } from './format';
import { useTypingSignal } from './useTypingSignal';

/**
 * The reply box, fixed at the bottom of the ticket: a reply to the customer (once claimed) or an
 * internal note; the draft is the pane's. Ctrl/⌘+Enter sends; `/` at the start of the box lists the
 * canned responses (arrows choose, Enter or Tab inserts, Esc closes).
 */
export function Composer({
  view,
  agent,
  draft,
  setDraft,
  onSent,
  box,
}: {
  view: TicketView;
  agent: AgentRef | null;
  draft: string;
  setDraft: (text: string) => void;
  onSent: () => void;
  box: RefObject<HTMLTextAreaElement | null>;
}) {
  const { ticket } = view;
  const [mode, setMode] = useState<'reply' | 'note'>('reply');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [canned, setCanned] = useState<CannedResponse[] | null>(null);
  const [cannedError, setCannedError] = useState<string | null>(null);
  const [highlight, setHighlight] = useState(0);
  // One client message id per draft: a retry after a failure is not a second message.
  const messageId = useRef(newMessageId());
  const mayReply = ticket.status === 'open' && ticket.assignee?.id === agent?.id;
  const picking = /^\/[^\n]*$/.test(draft);
  const matches = picking && canned ? matchCanned(canned, draft.slice(1)) : [];
  useTypingSignal(ticket.ticketId, agent, mode === 'reply' && mayReply, draft);
  useEffect(() => {
    if (!picking || canned !== null) return;
    inboxApi.cannedResponses().then(
      (list) => setCanned(list),
      (e: unknown) => {
        setCanned([]);
        setCannedError(message(e));
      },
    );
  }, [picking, canned]);
  useEffect(() => setHighlight(0), [draft]);
  const pick = (response: CannedResponse) => {
    setDraft(fillCanned(response.text, ticket, agent));
    box.current?.focus();
  };
  const send = async () => {
    if (!agent) return setError(whoFirst);
    const text = draft.trim();
    if (!text) return setError(mode === 'reply' ? 'Write a reply first.' : 'Write a note first.');
    if (mode === 'reply' && !mayReply) return setError('Claim the ticket to reply.');
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
  const onKeyDown = (event: React.KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      if (!busy) void send();
      return;
    }
    if (picking && matches.length > 0) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setHighlight((at) => (at + step + matches.length) % matches.length);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        const chosen = matches[highlight];
        if (chosen) pick(chosen);
        return;
      }
    }
    if (event.key === 'Escape') {
      event.preventDefault();
      if (picking) setDraft('');
      else event.currentTarget.blur();
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
      {picking && (
        <div className="ib-canned" role="listbox" aria-label="Canned responses">
          {canned === null && <div className="muted">Loading…</div>}
          {cannedError && <div className="error">Cannot read the canned responses: {cannedError}</div>}
          {canned !== null && !cannedError && matches.length === 0 && (
            <div className="muted">
              {canned.length === 0 ? 'No canned responses yet (an admin adds them).' : 'None matches.'}
            </div>
          )}
          {matches.map((response, i) => (
            <div
              key={response.id}
              role="option"
              aria-selected={i === highlight}
              className={`ib-canned-item${i === highlight ? ' chosen' : ''}`}
              onMouseDown={(e) => {
                // Before the box loses focus.
                e.preventDefault();
                pick(response);
              }}
            >
              <strong>{response.title}</strong>{' '}
              <span className="muted">{fillCanned(response.text, ticket, agent).slice(0, 120)}</span>
            </div>
          ))}
        </div>
      )}
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
        <span className="ib-spacer" />
        <span className="muted ib-hint">
          <kbd>/</kbd> canned · <kbd>Ctrl</kbd>+<kbd>Enter</kbd> send
        </span>
      </div>
      <textarea
        ref={box}
        aria-label={mode === 'reply' ? 'Reply' : 'Internal note'}
        aria-keyshortcuts="Control+Enter Meta+Enter"
        rows={4}
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={onKeyDown}
        placeholder={
          mode === 'reply'
            ? mayReply
              ? 'Write to the customer… (/ for canned responses)'
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
