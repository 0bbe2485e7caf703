import type { Draft, toJourney } from '../model';

const localKey = (id: string) => `baton.designer.draft.${id}`;

export interface LocalDraft {
  meta: Draft;
  journey: ReturnType<typeof toJourney>;
  /** True once the server has the journey (PUT), false while only POST can create it. */
  persisted: boolean;
  dirty: boolean;
}

/** Journeys started in this browser that the server does not have yet, or with unsaved changes. */
export function localDrafts(): { id: string; name: string; persisted: boolean }[] {
  const found: { id: string; name: string; persisted: boolean }[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (!key?.startsWith('baton.designer.draft.')) continue;
    const draft = readLocal(key.slice('baton.designer.draft.'.length));
    if (draft && (draft.dirty || !draft.persisted))
      found.push({ id: draft.meta.id, name: draft.meta.name, persisted: draft.persisted });
  }
  return found;
}

export function readLocal(id: string): LocalDraft | null {
  try {
    const raw = localStorage.getItem(localKey(id));
    return raw ? (JSON.parse(raw) as LocalDraft) : null;
  } catch {
    return null;
  }
}

export function writeLocal(id: string, draft: LocalDraft): void {
  try {
    localStorage.setItem(localKey(id), JSON.stringify(draft));
  } catch {
    /* storage full or disabled: the page still works, only the safety net is gone */
  }
}
