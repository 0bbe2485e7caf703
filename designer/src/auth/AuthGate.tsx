import { useEffect, useState, type ReactNode } from 'react';
import { auth, type SessionUser } from '../api';
import { SignIn } from './SignIn';
import './auth.css';

/** Shows the sign-in page until the API knows this browser, then the app under a bar with the user and a sign-out button. */
export function AuthGate({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<SessionUser | null | undefined>(() => auth.current() ?? undefined);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const unsubscribe = auth.subscribe(setUser);
    auth.refresh().then(setUser, (e: Error) => setError(e.message));
    return unsubscribe;
  }, []);
  if (error) return <p className="error page">{error}</p>;
  if (user === undefined) return <p className="muted page">Loading…</p>;
  if (user === null) return <SignIn />;
  return (
    <>
      <div className="user-bar" role="banner">
        <span className="user-name" title={user.email}>
          {user.name}
        </span>{' '}
        <span className="muted user-roles">
          {user.roles.length ? user.roles.join(', ') : 'no role yet: ask an admin'}
        </span>{' '}
        <a href="#/settings">Settings</a>{' '}
        {user.userId !== 'open' && (
          <button type="button" onClick={() => void auth.signOut()}>
            Sign out
          </button>
        )}
      </div>
      {children}
    </>
  );
}
