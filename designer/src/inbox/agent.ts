// Who the agent is when the API has no session: the name they typed, kept in this browser.
import type { AgentRef } from './api';

const agentKey = 'baton.inbox.agent';

export function storedAgent(): AgentRef | null {
  try {
    const parsed = JSON.parse(localStorage.getItem(agentKey) ?? 'null') as AgentRef | null;
    return parsed && typeof parsed.id === 'string' && typeof parsed.name === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

export function storeAgent(agent: AgentRef): void {
  localStorage.setItem(agentKey, JSON.stringify(agent));
}
