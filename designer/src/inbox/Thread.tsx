import { useEffect, useRef } from 'react';
import type { TranscriptEntry, TicketView } from './api';
import { time } from './format';

/** The conversation, oldest first, kept scrolled to its newest message. */
export function Transcript({ entries }: { entries: readonly TranscriptEntry[] }) {
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'nearest' });
  }, [entries.length]);
  return (
    <div className="ib-transcript" aria-label="Transcript">
      {entries.map((entry) => (
        <div key={entry.seq} className={`ib-msg ib-from-${entry.from}`}>
          <div className="ib-msg-who">
            {entry.from === 'agent' && entry.agent ? entry.agent.name : entry.from}{' '}
            <span className="muted">{time(entry.at)}</span>
          </div>
          <div className="ib-msg-text">{entry.text}</div>
        </div>
      ))}
      <div ref={end} />
    </div>
  );
}

/** The agents' internal notes on a ticket (never shown to the customer). */
export function Notes({ notes }: { notes: TicketView['notes'] }) {
  if (notes.length === 0) return null;
  return (
    <div className="ib-notes" aria-label="Internal notes">
      <h3>Internal notes</h3>
      {notes.map((note) => (
        <div key={note.noteId} className="ib-note">
          <span className="muted">
            {note.agentName} · {time(note.at)}
          </span>{' '}
          {note.text}
        </div>
      ))}
    </div>
  );
}
