import { useCallback, useEffect, useRef, useState } from 'react';
import { call } from '../api';

const retryDelays = [2, 4, 8, 15, 30];
const checkEverySeconds = 20;

/** A failure that means "the API is not there" rather than "the API said no". */
export function isConnectionFailure(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return message.startsWith('Cannot reach the API') || /^(502|503|504):/.test(message);
}

/**
 * Watches the connection to the API: a light `GET /api/health` now and then, and any failed call the
 * editor reports. When it is lost, a banner says so (the work stays in this browser's storage) and
 * the check is retried with growing delays until the API answers again.
 */
export function useApiConnection() {
  const [offline, setOffline] = useState(false);
  const [retryIn, setRetryIn] = useState(0);
  const [restored, setRestored] = useState(false);
  const attempt = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const check = useCallback(async () => {
    try {
      await call('GET', '/health');
      setOffline((was) => {
        if (was) setRestored(true);
        return false;
      });
      attempt.current = 0;
    } catch (error) {
      if (!isConnectionFailure(error)) return;
      setOffline(true);
      setRestored(false);
      const delay = retryDelays[Math.min(attempt.current, retryDelays.length - 1)]!;
      attempt.current += 1;
      setRetryIn(delay);
    }
  }, []);

  // While offline: count down, then check again; while online: check now and then.
  useEffect(() => {
    if (timer.current) clearTimeout(timer.current);
    if (offline) {
      if (retryIn <= 0) {
        void check();
        return;
      }
      timer.current = setTimeout(() => setRetryIn((s) => s - 1), 1000);
    } else {
      timer.current = setTimeout(() => void check(), checkEverySeconds * 1000);
    }
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [offline, retryIn, check]);

  useEffect(() => {
    const lost = () => {
      setOffline(true);
      setRetryIn(retryDelays[0]!);
    };
    const back = () => void check();
    window.addEventListener('offline', lost);
    window.addEventListener('online', back);
    return () => {
      window.removeEventListener('offline', lost);
      window.removeEventListener('online', back);
    };
  }, [check]);

  useEffect(() => {
    if (!restored) return;
    const t = setTimeout(() => setRestored(false), 8000);
    return () => clearTimeout(t);
  }, [restored]);

  const noteFailure = useCallback((error: unknown) => {
    if (!isConnectionFailure(error)) return;
    setOffline(true);
    setRetryIn(retryDelays[0]!);
  }, []);

  const banner = offline ? (
    <div className="connection-banner offline" role="alert" data-testid="connection-banner">
      <b>No connection to the Baton API.</b> Your changes are kept in this browser and will not be lost; save when the
      connection is back. {retryIn > 0 ? `Retrying in ${retryIn} s…` : 'Retrying…'}{' '}
      <button type="button" onClick={() => setRetryIn(0)}>
        Retry now
      </button>
    </div>
  ) : restored ? (
    <div className="connection-banner restored" role="status" data-testid="connection-banner">
      Connection to the API restored.
    </div>
  ) : null;

  return { offline, banner, noteFailure };
}
