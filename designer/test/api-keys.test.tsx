import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { auth } from '../src/api';
import { ApiKeys } from '../src/settings/ApiKeys';

/**
 * The "API keys" section in jsdom: an admin sees every key (name, roles, created, last used,
 * expires) and revokes one; anyone else lists their own keys. The API is a fetch stub here.
 */
const now = Date.parse('2026-12-06T12:00:00Z');
const keys = [
  {
    keyId: 'k1',
    name: 'ci publish',
    roles: ['designer'],
    prefix: 'bk_abcd',
    createdAt: '2026-12-01T09:30:00.000Z',
    lastUsedAt: '2026-12-06T11:00:00.000Z',
    expiresAt: '2027-01-01T00:00:00.000Z',
  },
  {
    keyId: 'k2',
    name: 'old script',
    roles: ['agent', 'designer'],
    prefix: 'bk_wxyz',
    createdAt: '2026-11-01T00:00:00.000Z',
  },
];
let sent: { method: string; path: string }[];
const answer = (status: number, body: unknown) =>
  ({
    ok: status < 400,
    status,
    statusText: '',
    text: async () => (status === 204 ? '' : JSON.stringify(body)),
  }) as Response;

async function signInAs(roles: string[]) {
  globalThis.fetch = jest.fn(async (url: string | URL | Request, init?: RequestInit) => {
    const path = String(url).replace(/^\/api/, '');
    const method = init?.method ?? 'GET';
    sent.push({ method, path });
    if (path === '/auth/me')
      return answer(200, { user: { userId: 'u1', email: 'boss@example.com', name: 'Boss', roles }, csrfToken: 'c' });
    if (path === '/admin/api-keys' || path === '/auth/api-keys') return answer(200, { apiKeys: keys });
    if (method === 'DELETE') return answer(204, {});
    return answer(404, { title: 'Not found' });
  }) as typeof fetch;
  await auth.refresh();
}

beforeEach(() => {
  sent = [];
  jest.spyOn(window, 'confirm').mockReturnValue(true);
});

test('an admin sees every key with its roles and dates, and revokes one', async () => {
  await signInAs(['admin']);
  render(<ApiKeys now={now} />);
  const table = await screen.findByRole('table');
  const rows = within(table).getAllByRole('row');
  expect(rows.map((row) => row.textContent)).toEqual([
    'NameRolesCreatedLast usedExpiresActions',
    'ci publish bk_abcd…designer2026-12-01 09:302026-12-06 11:002027-01-01 00:00Revoke',
    'old script bk_wxyz…agent, designer2026-11-01 00:00nevernever' + 'Revoke',
  ]);
  expect(sent).toContainEqual({ method: 'GET', path: '/admin/api-keys' });

  fireEvent.click(screen.getByRole('button', { name: 'Revoke old script' }));
  await waitFor(() => expect(screen.queryByText('old script')).toBeNull());
  expect(sent).toContainEqual({ method: 'DELETE', path: '/admin/api-keys/k2' });
  expect(screen.getByText('ci publish')).toBeInTheDocument();
});

test('someone who is not an admin lists and revokes their own keys', async () => {
  await signInAs(['agent']);
  render(<ApiKeys now={now} />);
  await screen.findByRole('table');
  expect(sent).toContainEqual({ method: 'GET', path: '/auth/api-keys' });
  fireEvent.click(screen.getByRole('button', { name: 'Revoke ci publish' }));
  await waitFor(() => expect(sent).toContainEqual({ method: 'DELETE', path: '/auth/api-keys/k1' }));
});

test('an API without access control shows that it has no keys, not its 404', async () => {
  globalThis.fetch = jest.fn(async (url: string | URL | Request) => {
    sent.push({ method: 'GET', path: String(url).replace(/^\/api/, '') });
    return answer(404, { title: 'Not found' });
  }) as typeof fetch;
  await auth.refresh();
  render(<ApiKeys now={now} />);
  expect(screen.getByText('This API runs without access control, so it has no API keys.')).toBeTruthy();
  expect(screen.queryByRole('alert')).toBeNull();
  expect(sent).toEqual([{ method: 'GET', path: '/auth/me' }]);
});
