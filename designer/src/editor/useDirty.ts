import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Unsaved changes exactly when the draft's key (its logic and positions) differs from the key of the
 * last saved draft: an edit undone back to the saved state is clean again. A draft restored from this
 * browser as dirty has no known saved key and stays dirty until it is saved.
 */
export function useDirty(ready: boolean, key: string) {
  const [dirty, setDirty] = useState(false);
  const saved = useRef<string | null>(null);
  const seen = useRef(false);
  const current = useRef(key);
  current.current = key;
  const restoredDirty = useRef(false);
  useEffect(() => {
    if (!ready) return;
    if (!seen.current) {
      seen.current = true;
      if (!restoredDirty.current) saved.current = key;
      return;
    }
    setDirty(saved.current !== key);
  }, [ready, key]);
  /** Called when a draft loads: `isDirty` for unsaved work restored from this browser. */
  const loaded = useCallback((isDirty: boolean) => {
    restoredDirty.current = isDirty;
    seen.current = false;
    setDirty(isDirty);
  }, []);
  /** The key now, taken when a save starts: what was sent is what becomes clean. */
  const snapshot = useCallback(() => current.current, []);
  const markSaved = useCallback((savedKey: string) => {
    saved.current = savedKey;
    setDirty(current.current !== savedKey);
  }, []);
  return { dirty, loaded, snapshot, markSaved };
}
