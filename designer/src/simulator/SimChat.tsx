import type { SimSession } from './session';

/** What happened in the simulated conversation: messages, answered calls, timeouts, failures. */
export function SimChat({ events }: { events: SimSession['events'] }) {
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
            <div key={i} className="note">
              {event.activity} →{' '}
              {'error' in event.answer
                ? `error: ${event.answer.error}`
                : JSON.stringify(event.answer.output).slice(0, 80)}
            </div>
          );
        if (event.kind === 'timeout')
          return (
            <div key={i} className="note">
              ⏱ time advanced: timeout at {event.nodeId}
            </div>
          );
        return (
          <div key={i} className="note err">
            {event.reason}
          </div>
        );
      })}
    </div>
  );
}
