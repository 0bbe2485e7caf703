import { useState, type FormEvent } from 'react';
import { auth } from '../api';

/** The sign-in page: shown whenever the API says 401 (signed out or session expired). */
export function SignIn() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await auth.signIn(email, password);
    } catch (e) {
      setError(e instanceof Error ? e.message.replace(/^401: /, '') : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="page sign-in">
      <h1>Baton · Sign in</h1>
      <form onSubmit={(event) => void submit(event)} aria-label="Sign in">
        <label>
          Email
          <input
            name="email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </form>
      <p className="muted">
        <a href="/api/auth/oidc/start">Sign in with your company account</a> (when your admin has set up single
        sign-on).
      </p>
      <p className="muted">
        First time on a local install? `npx baton dev` printed the admin’s password; it is also in
        .baton/data/admin-password.
      </p>
    </div>
  );
}
