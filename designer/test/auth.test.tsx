import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { auth, call } from '../src/api';
import { AuthGate } from '../src/auth/AuthGate';

/**
 * The web app's side of access control in jsdom: what `call` sends (cookie credentials, the CSRF
 * header on unsafe methods) and how it reacts to 401 and 403. The API is a fetch stub here; the
 * real API in a real browser is exercised by e2e/auth.e2e.test.ts.
 */
interface Sent {
  method: string;
  path: string;
  credentials?: RequestCredentials;
  csrf?: string;
}
let sent: Sent[];
let signedIn: boolean;
let csrfToken: string;
const user = { userId: 'u1', email: 'dee@example.com', name: 'Dee', roles: ['agent'] };
const answer = (status: number, body: unknown) =>
  ({ ok: status < 400, status, statusText: '', text: async () => JSON.stringify(body) }) as Response;

beforeEach(() => {
  sent = [];
  signedIn = false;
  csrfToken = 'csrf-1';
  globalThis.fetch = jest.fn(async (url: string | URL | Request, init?: RequestInit) => {
    const path = String(url).replace(/^\/api/, '');
    const headers = (init?.headers ?? {}) as Record<string, string>;
    const method = init?.method ?? 'GET';
    sent.push({
      method,
      path,
      ...(init?.credentials && { credentials: init.credentials }),
      ...(headers['x-csrf-token'] && { csrf: headers['x-csrf-token'] }),
    });
    if (path === '/auth/login') {
      const body = JSON.parse(String(init?.body)) as { password: string };
      if (body.password !== 'right password')
        return answer(401, { title: 'Sign-in failed', detail: 'wrong email or password' });
      signedIn = true;
      return answer(200, { user, csrfToken });
    }
    if (path === '/auth/me')
      return signedIn ? answer(200, { user, csrfToken }) : answer(401, { title: 'Sign-in required' });
    if (path === '/auth/logout') {
      signedIn = false;
      return answer(204, {});
    }
    if (!signedIn) return answer(401, { title: 'Sign-in required' });
    if (method !== 'GET' && headers['x-csrf-token'] !== csrfToken)
      return answer(403, { title: 'CSRF token missing or wrong' });
    if (path.startsWith('/journeys')) return answer(403, { title: 'Forbidden', detail: 'this route is for: designer' });
    return answer(200, { ok: true });
  }) as typeof fetch;
});

test('a signed-out browser sees the sign-in page; a wrong password is said; signing in shows the app and the user', async () => {
  render(
    <AuthGate>
      <p>the app</p>
    </AuthGate>,
  );
  await screen.findByRole('heading', { name: 'Baton · Sign in' });
  expect(screen.queryByText('the app')).toBeNull();
  fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'dee@example.com' } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'wrong' } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  expect(await screen.findByRole('alert')).toHaveTextContent('wrong email or password');
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'right password' } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  await screen.findByText('the app');
  expect(screen.getByRole('banner')).toHaveTextContent('Dee');
  // Sign out: back to the sign-in page.
  fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
  await screen.findByRole('heading', { name: 'Baton · Sign in' });
  expect(sent.find((request) => request.path === '/auth/logout')?.csrf).toBe('csrf-1');
});

test('call sends the cookie and, on unsafe methods, the CSRF token; a 403 names the role needed and yours', async () => {
  signedIn = true;
  await act(() => auth.refresh());
  await call('GET', '/inbox');
  await call('POST', '/tickets/t1/claim', {});
  expect(sent.slice(-2)).toEqual([
    { method: 'GET', path: '/inbox', credentials: 'same-origin' },
    { method: 'POST', path: '/tickets/t1/claim', credentials: 'same-origin', csrf: 'csrf-1' },
  ]);
  await expect(call('POST', '/journeys/j/publish', {})).rejects.toThrow(
    '403 Forbidden: you are not allowed to do this (this route is for: designer; your roles: agent)',
  );
});

test('a stale CSRF token is renewed from /auth/me and the request retried once', async () => {
  signedIn = true;
  await act(() => auth.refresh());
  csrfToken = 'csrf-2';
  await expect(call('POST', '/tickets/t1/claim', {})).resolves.toEqual({ ok: true });
  expect(sent.slice(-3).map((request) => `${request.method} ${request.path} ${request.csrf ?? ''}`.trim())).toEqual([
    'POST /tickets/t1/claim csrf-1',
    'GET /auth/me',
    'POST /tickets/t1/claim csrf-2',
  ]);
});

test('a 401 from any route signs the app out', async () => {
  signedIn = true;
  await act(() => auth.refresh());
  const seen: (string | null)[] = [];
  const unsubscribe = auth.subscribe((current) => seen.push(current?.email ?? null));
  signedIn = false;
  await expect(call('GET', '/inbox')).rejects.toThrow('401');
  await waitFor(() => expect(seen).toEqual([null]));
  expect(auth.current()).toBeNull();
  unsubscribe();
});
