import { useCallback, useEffect, useRef, useState } from 'react';
import { auth } from '../api';
import { inboxApi, type AgentRef } from './api';
import { AssistPanel } from './AssistPanel';
import { Composer } from './Composer';
import { message, shortRef, typing, whoFirst } from './format';
import { Packet } from './Packet';
import { Thread } from './Thread';
import { usePolling } from './usePolling';

/**
 * One ticket as a pinned workspace: a fixed head with the actions (claim, resolve), the packet on one
 * line (it opens on demand), the thread (conversation and internal notes) scrolling on its own, and the
 * reply box fixed at the bottom, with AI assist beside it. The draft lives here, so assist can insert
 * into it. Keys: c claims, e resolves, r goes to the reply box (Inbox's `?` lists them).
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
  const replyBox = useRef<HTMLTextAreaElement>(null);
  useEffect(() => setActionError(null), [ticketId]);
  const changed = useCallback(() => {
    reload();
    onChanged();
  }, [reload, onChanged]);
  const act = useCallback(
    async (what: (agent: AgentRef) => Promise<unknown>) => {
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
    },
    [agent, changed],
  );
  const ticket = view?.ticket;
  const mayClaim = ticket?.status === 'pending';
  const mayResolve =
    ticket !== undefined &&
    ticket.status !== 'resolved' &&
    !(ticket.status === 'open' && ticket.assignee?.id !== agent?.id);
  const claim = useCallback(() => {
    if (ticket && mayClaim && !busy) void act((a) => inboxApi.claim(ticket.ticketId, a));
  }, [ticket, mayClaim, busy, act]);
  const resolve = useCallback(() => {
    if (ticket && mayResolve && !busy) void act((a) => inboxApi.resolve(ticket.ticketId, a));
  }, [ticket, mayResolve, busy, act]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
      if (document.querySelector('.ib-modal')) return;
      if (event.key === 'c') claim();
      else if (event.key === 'e') resolve();
      else if (event.key === 'r' && replyBox.current) {
        event.preventDefault();
        replyBox.current.focus();
      } else return;
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [claim, resolve]);
  if (!view || !ticket)
    return (
      <div className="ib-view">{error ? <p className="error">{error}</p> : <p className="muted">Loading…</p>}</div>
    );
  const transcript = view.conversation?.transcript ?? ticket.transcript;
  const insert = (text: string) => {
    const next = draft.trim() ? `${draft.trimEnd()}\n\n${text}` : text;
    setDraft(next);
    // After React has put the text in, the agent goes on typing at its end.
    requestAnimationFrame(() => {
      const box = replyBox.current;
      if (!box) return;
      box.focus();
      box.setSelectionRange(box.value.length, box.value.length);
      box.scrollTop = box.scrollHeight;
    });
  };
  return (
    <>
      <div className="ib-view ib-ticket">
        <div className="ib-view-head">
          <h2>
            <span className="ib-name">{ticket.customer.name ?? shortRef(ticket.customer.id)}</span>{' '}
            <span className="ib-head-ref muted" title={ticket.customer.email ?? ticket.customer.id}>
              {ticket.customer.email ?? shortRef(ticket.conversationId)}
            </span>{' '}
            <span className={`ib-status ib-status-${ticket.status}`}>{ticket.status}</span>
          </h2>
          <div className="ib-actions">
            {view.temporalUrl && (
              <a
                className="ib-temporal"
                href={view.temporalUrl}
                target="_blank"
                rel="noopener noreferrer"
                title="This conversation's workflow history in the Temporal UI (opens a new tab)"
              >
                Open in Temporal
              </a>
            )}
            {ticket.assignee && <span className="muted">with {ticket.assignee.name}</span>}
            {ticket.status === 'open' &&
              ticket.assignee &&
              ticket.assignee.id !== agent?.id &&
              auth.current()?.roles.includes('admin') && (
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => void act((a) => inboxApi.takeOver(ticket.ticketId, a))}
                  title={`Assign it to yourself instead of ${ticket.assignee.name} (admins)`}
                >
                  Take over
                </button>
              )}
            {mayClaim && (
              <button type="button" className="primary" disabled={busy} onClick={claim} aria-keyshortcuts="c">
                Claim <kbd>c</kbd>
              </button>
            )}
            {ticket.status !== 'resolved' && (
              <button type="button" disabled={busy || !mayResolve} onClick={resolve} aria-keyshortcuts="e">
                Resolve <kbd>e</kbd>
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
        <Thread entries={transcript} notes={view.notes} />
        {ticket.status !== 'resolved' && (
          <Composer view={view} agent={agent} draft={draft} setDraft={setDraft} onSent={changed} box={replyBox} />
        )}
      </div>
      <AssistPanel ticketId={ticket.ticketId} onInsert={insert} />
    </>
  );
}
