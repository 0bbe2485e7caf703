import type { Note, TranscriptEntry } from './api';
import { time } from './format';

type Line = { kind: 'message'; at: number; entry: TranscriptEntry } | { kind: 'note'; at: number; note: Note };

/**
 * The thread, oldest first and kept scrolled to its newest line: the conversation with the agents'
 * internal notes in it where they were written, styled apart (the customer never sees them). It
 * scrolls on its own, so the head and the reply box stay where they are.
 */
export function Thread({ entries, notes = [] }: { entries: readonly TranscriptEntry[]; notes?: readonly Note[] }) {
  const lines: Line[] = [
    ...entries.map((entry): Line => ({ kind: 'message', at: entry.at, entry })),
    ...notes.map((note): Line => ({ kind: 'note', at: Date.parse(note.at), note })),
  ].sort((a, b) => a.at - b.at);
  // The scroller runs bottom-up (CSS column-reverse): it opens at the newest line and stays there when
  // the window or the packet resizes it or a line arrives, with no scrolling code to race the layout.
  return (
    <div className="ib-thread" aria-label="Transcript" tabIndex={0}>
      <div className="ib-thread-lines">
        {lines.map((line) =>
          line.kind === 'message' ? (
            <div key={`m${line.entry.seq}`} className={`ib-msg ib-from-${line.entry.from}`}>
              <div className="ib-msg-who">
                {line.entry.from === 'agent' && line.entry.agent ? line.entry.agent.name : line.entry.from}{' '}
                <span className="muted">{time(line.entry.at)}</span>
              </div>
              <div className="ib-msg-text">{line.entry.text}</div>
            </div>
          ) : (
            <div key={`n${line.note.noteId}`} className="ib-msg ib-note" aria-label="Internal note">
              <div className="ib-msg-who">
                Internal note · {line.note.agentName} <span className="muted">{time(line.note.at)}</span>
              </div>
              <div className="ib-msg-text">{line.note.text}</div>
            </div>
          ),
        )}
      </div>
    </div>
  );
}
