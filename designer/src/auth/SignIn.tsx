import { useEffect, useRef, useState, type FormEvent } from 'react';
import { auth, call } from '../api';

/** How one can sign in here (`GET /api/auth/methods`); single sign-on is offered only when the API has it configured. */
function useSso(): boolean {
  const [sso, setSso] = useState(false);
  useEffect(() => {
    call<{ sso?: boolean }>('GET', '/auth/methods').then(
      (methods) => setSso(methods.sso === true),
      () => setSso(false),
    );
  }, []);
  return sso;
}

/** The sign-in page: shown whenever the API says 401 (signed out or session expired). Enter submits; errors sit under the fields. */
export function SignIn() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const sso = useSso();
  const emailField = useRef<HTMLInputElement>(null);
  const passwordField = useRef<HTMLInputElement>(null);
  useEffect(() => emailField.current?.focus(), []);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!email.trim() || !password) {
      setError(!email.trim() ? 'Enter your email address.' : 'Enter your password.');
      (!email.trim() ? emailField : passwordField).current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await auth.signIn(email, password);
    } catch (e) {
      setError(e instanceof Error ? e.message.replace(/^\d{3}: /, '') : String(e));
      // Back on the password, selected, to type it again.
      setTimeout(() => passwordField.current?.select());
    } finally {
      setBusy(false);
    }
  };
  const invalid = error ? { 'aria-invalid': true, 'aria-describedby': 'sign-in-error' } : {};
  return (
    <main className="sign-in">
      <div className="sign-in-card">
        <div className="sign-in-brand" aria-hidden="true">
          <span className="sign-in-mark">B</span> Baton
        </div>
        <h1>
          <span className="visually-hidden">Baton · </span>Sign in
        </h1>
        <p className="sign-in-lead">Journeys, the inbox and the dashboard of your support team.</p>
        <form onSubmit={(event) => void submit(event)} aria-label="Sign in" noValidate>
          <label>
            Email
            <input
              ref={emailField}
              name="email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              {...invalid}
            />
          </label>
          <label>
            Password
            <input
              ref={passwordField}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              {...invalid}
            />
          </label>
          {error && (
            <p className="sign-in-error" id="sign-in-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        {sso && (
          <>
            <div className="sign-in-or">or</div>
            <a className="sign-in-sso" href="/api/auth/oidc/start">
              Sign in with your company account
            </a>
          </>
        )}
        <p className="sign-in-hint">
          First time on a local install? <code>npx baton dev</code> printed the admin’s password; it is also in{' '}
          <code>.baton/data/admin-password</code>.
        </p>
      </div>
    </main>
  );
}
