import { useState } from 'react';
import type { AgentRef } from './api';

/** "Signed in as" with a session; otherwise the agent types the name they act under. */
export function AgentPicker({
  agent,
  onChange,
  fromSession,
}: {
  agent: AgentRef | null;
  onChange: (agent: AgentRef) => void;
  fromSession: boolean;
}) {
  const [name, setName] = useState(agent?.name ?? '');
  if (fromSession && agent)
    return (
      <span className="ib-me">
        Signed in as <strong>{agent.name}</strong>
      </span>
    );
  const save = () => {
    const trimmed = name.trim();
    if (!trimmed) return;
    onChange({ id: `agent-${trimmed.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`, name: trimmed });
  };
  return (
    <form
      className="ib-me"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <label>
        Acting as{' '}
        <input
          aria-label="Agent name"
          value={name}
          placeholder="your name"
          onChange={(e) => setName(e.target.value)}
          onBlur={save}
        />
      </label>
    </form>
  );
}
