import { useEffect, useState } from 'react';
import { inboxApi, type AgentRef } from './api';
import { AssistPanel } from './AssistPanel';
import { Composer } from './Composer';
import { message, whoFirst } from './format';
import { Packet } from './Packet';
import { Notes, Transcript } from './Thread';
import { usePolling } from './usePolling';

/**
 * One ticket: its head with the actions (claim, resolve), the packet, the conversation, the notes and
 * the reply box, with AI assist beside it. The draft lives here, so assist can insert into it.
 */
export function TicketPane({
  ticketId,
  agent,
  onChanged,
}: {
  ticketId: string;
  agent: AgentRef | null;
  onChanged: () => void;
}) {
  const { data: view, error, reload } = usePolling(() => inboxApi.ticket(ticketId), [ticketId]);
  const [draft, setDraft] = useState('');
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setActionError(null), [ticketId]);
  const changed = () => {
    reload();
    onChanged();
  };
  const act = async (what: (agent: AgentRef) => Promise<unknown>) => {
    if (!agent) return setActionError(whoFirst);
    setBusy(true);
    setActionError(null);
    try {
      await what(agent);
      changed();
    } catch (e) {
      setActionError(message(e));
    } finally {
      setBusy(false);
    }
  };
  if (!view)
    return (
      <div className="ib-view">{error ? <p className="error">{error}</p> : <p className="muted">Loading…</p>}</div>
    );
  const { ticket } = view;
  const transcript = view.conversation?.transcript ?? ticket.transcript;
  return (
    <>
      <div className="ib-view">
        <div className="ib-view-head">
          <h2>
            {ticket.customer.name ?? ticket.customer.id}{' '}
            <span className={`ib-status ib-status-${ticket.status}`}>{ticket.status}</span>
          </h2>
          <div className="ib-actions">
            {ticket.assignee && <span className="muted">with {ticket.assignee.name}</span>}
            {ticket.status === 'pending' && (
              <button
                type="button"
                className="primary"
                disabled={busy}
                onClick={() => void act((a) => inboxApi.claim(ticket.ticketId, a))}
              >
                Claim
              </button>
            )}
            {ticket.status !== 'resolved' && (
              <button
                type="button"
                disabled={busy || (ticket.status === 'open' && ticket.assignee?.id !== agent?.id)}
                onClick={() => void act((a) => inboxApi.resolve(ticket.ticketId, a))}
              >
                Resolve
              </button>
            )}
          </div>
        </div>
        {error && <p className="error">Refresh failed: {error}</p>}
        {actionError && (
          <p className="error" role="alert">
            {actionError}
          </p>
        )}
        <Packet view={view} agent={agent} onChanged={changed} />
        <h3>Conversation</h3>
        <Transcript entries={transcript} />
        <Notes notes={view.notes} />
        {ticket.status !== 'resolved' && (
          <Composer view={view} agent={agent} draft={draft} setDraft={setDraft} onSent={changed} />
        )}
      </div>
      <AssistPanel
        ticketId={ticket.ticketId}
        onInsert={(text) => setDraft(draft.trim() ? `${draft.trimEnd()}\n\n${text}` : text)}
      />
    </>
  );
}
