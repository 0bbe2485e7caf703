// The widget's conversation in localStorage (its id, token, open state, a message not yet confirmed),
// so a page reload picks the conversation up where it was.
import type { Saved } from './types';

export function loadSaved(key: string): Saved | null {
  try {
    const raw = localStorage.getItem(key);
    const value = raw ? (JSON.parse(raw) as Saved) : null;
    return value && typeof value.conversationId === 'string' ? value : null;
  } catch {
    return null;
  }
}

/** Writes the conversation, or forgets it (null). */
export function storeSaved(key: string, saved: Saved | null): void {
  if (saved === null) localStorage.removeItem(key);
  else localStorage.setItem(key, JSON.stringify(saved));
}
