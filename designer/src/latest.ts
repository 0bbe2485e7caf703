import { useCallback, useRef } from 'react';

/**
 * For requests a view makes one after another (open v1, then v2): `begin()` before each, and only
 * the answer of the latest one may land. Answers arrive in any order; a late answer for what the
 * user has left behind must never replace what is on screen.
 */
export function useLatestRequest(): () => () => boolean {
  const latest = useRef(0);
  return useCallback(() => {
    const mine = ++latest.current;
    return () => latest.current === mine;
  }, []);
}
