import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { KnowledgeBase } from '../src/inbox/KnowledgeBase';
import { Markdown, safeHref } from '../src/kb/markdown';

/**
 * The knowledge base page in jsdom: tag and audience filters narrow the compact list, the selected
 * article opens in the editor with a live Markdown preview, saving sends every field, Delete asks
 * first; and an article's `<script>` or `javascript:` link never becomes live markup. The API is a
 * fetch stub that keeps the articles it is sent.
 */
interface Stored {
  articleId: string;
  title: string;
  body: string;
  tags: string[];
  source: string;
  audience?: 'customer' | 'internal';
  locale?: string;
  link?: string;
  updatedAt: string;
}
let store: Stored[];
let sent: { method: string; path: string; body?: Record<string, unknown> }[];
const answer = (status: number, body: unknown) =>
  ({
    ok: status < 400,
    status,
    statusText: '',
    text: async () => (status === 204 ? '' : JSON.stringify(body)),
  }) as Response;

beforeEach(() => {
  store = [
    {
      articleId: 'kb-reset',
      title: 'Reset your password',
      body: '# Reset\n\nOpen **Settings**, then *Security*.\n\n- Click [Reset](https://example.com/reset)\n- Check your mail',
      tags: ['account', 'password'],
      source: 'demo',
      updatedAt: '2026-12-01T10:00:00.000Z',
    },
    {
      articleId: 'kb-refund-policy',
      title: 'Refunds above 500 EUR',
      body: 'Ask a lead before approving.',
      tags: ['billing'],
      source: 'demo',
      audience: 'internal',
      updatedAt: '2026-12-03T10:00:00.000Z',
    },
    {
      articleId: 'kb-invoice',
      title: 'Download an invoice',
      body: 'Billing, then Invoices.',
      tags: ['billing'],
      source: 'demo',
      audience: 'customer',
      locale: 'en',
      updatedAt: '2026-12-02T10:00:00.000Z',
    },
  ];
  sent = [];
  globalThis.fetch = jest.fn(async (url: string | URL | Request, init?: RequestInit) => {
    const path = String(url).replace(/^\/api/, '');
    const method = init?.method ?? 'GET';
    const body = init?.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : undefined;
    sent.push({ method, path, ...(body && { body }) });
    if (path === '/kb/articles' && method === 'GET') return answer(200, { articles: store });
    if (path === '/canned-responses') return answer(200, { responses: [] });
    const id = /^\/kb\/articles\/([^?]+)$/.exec(path)?.[1];
    if (id && method === 'PUT') {
      const updated = { ...store.find((a) => a.articleId === id)!, ...body, updatedAt: '2026-12-06T09:00:00.000Z' };
      store = store.map((a) => (a.articleId === id ? (updated as Stored) : a));
      return answer(200, { article: updated });
    }
    if (id && method === 'DELETE') {
      store = store.filter((a) => a.articleId !== id);
      return answer(204, {});
    }
    return answer(404, { title: 'Not found' });
  }) as typeof fetch;
});

const rowIds = () => Array.from(document.querySelectorAll('.kb-list li')).map((li) => li.getAttribute('data-article'));

test('the list is compact (title, audience, tags, updated), newest first, and the filters narrow it', async () => {
  render(<KnowledgeBase />);
  await waitFor(() => expect(rowIds()).toEqual(['kb-refund-policy', 'kb-invoice', 'kb-reset']));
  const internal = screen.getByRole('button', { name: /Refunds above 500 EUR/ });
  expect(within(internal).getByText('Internal')).toHaveClass('kb-badge-internal');
  expect(within(internal).getByText('billing')).toBeInTheDocument();
  expect(within(internal).getByText('3 Dec 2026')).toBeInTheDocument();
  // The body is not in the list, and no row carries its own Delete.
  expect(screen.queryByText(/Ask a lead/)).not.toBeInTheDocument();
  expect(screen.queryByRole('button', { name: /delete/i })).not.toBeInTheDocument();
  // The search hint is plain words.
  expect(screen.getByLabelText('Search the knowledge base')).toHaveAttribute(
    'placeholder',
    'Search articles the way the assist does',
  );

  const tag = screen.getByLabelText('Tag');
  expect(
    within(tag)
      .getAllByRole('option')
      .map((o) => o.textContent),
  ).toEqual(['All tags', 'account (1)', 'billing (2)', 'password (1)']);
  fireEvent.change(tag, { target: { value: 'billing' } });
  expect(rowIds()).toEqual(['kb-refund-policy', 'kb-invoice']);
  fireEvent.change(screen.getByLabelText('Audience filter'), { target: { value: 'customer' } });
  expect(rowIds()).toEqual(['kb-invoice']);
  expect(screen.getByText('1 of 3 articles')).toBeInTheDocument();
  fireEvent.click(screen.getByRole('button', { name: 'Clear' }));
  expect(rowIds()).toHaveLength(3);
});

test('the selected article opens in the editor with a live preview, and Save sends every field', async () => {
  render(<KnowledgeBase />);
  fireEvent.click(await screen.findByRole('button', { name: /Reset your password/ }));
  const preview = screen.getByTestId('kb-preview');
  expect(within(preview).getByRole('heading', { name: 'Reset' })).toBeInTheDocument();
  expect(within(preview).getByText('Settings').tagName).toBe('STRONG');
  expect(within(preview).getByText('Security').tagName).toBe('EM');
  expect(within(preview).getByRole('link', { name: 'Reset' })).toHaveAttribute('href', 'https://example.com/reset');
  expect(within(preview).getAllByRole('listitem')).toHaveLength(2);

  fireEvent.change(screen.getByLabelText('Body'), { target: { value: '## Steps\n\n1. Open **Account**\n2. Reset' } });
  expect(within(preview).getByRole('heading', { name: 'Steps' })).toBeInTheDocument();
  expect(preview.querySelector('ol')?.children).toHaveLength(2);

  fireEvent.change(screen.getByLabelText('Title'), { target: { value: 'Reset a password' } });
  fireEvent.change(screen.getByLabelText('Audience'), { target: { value: 'internal' } });
  fireEvent.change(screen.getByLabelText('Tags'), { target: { value: 'account, password, account, sso' } });
  fireEvent.change(screen.getByLabelText('Locale'), { target: { value: 'fr-CA' } });
  fireEvent.change(screen.getByLabelText('Link'), { target: { value: '/help/reset' } });
  fireEvent.click(screen.getByRole('button', { name: 'Save' }));
  await screen.findByText('Saved kb-reset');
  expect(sent.find((r) => r.method === 'PUT')).toEqual({
    method: 'PUT',
    path: '/kb/articles/kb-reset',
    body: {
      title: 'Reset a password',
      body: '## Steps\n\n1. Open **Account**\n2. Reset',
      tags: ['account', 'password', 'sso'],
      audience: 'internal',
      locale: 'fr-CA',
      link: '/help/reset',
      source: 'demo',
    },
  });
  // The list shows what was saved, and the row stays selected.
  const row = await screen.findByRole('button', { name: /Reset a password/ });
  expect(within(row).getByText('Internal')).toBeInTheDocument();
  expect(row).toHaveAttribute('aria-current', 'true');
});

test('Delete asks first; "Keep it" deletes nothing', async () => {
  render(<KnowledgeBase />);
  fireEvent.click(await screen.findByRole('button', { name: /Download an invoice/ }));
  fireEvent.click(screen.getByRole('button', { name: 'Delete…' }));
  fireEvent.click(
    within(screen.getByRole('group', { name: 'Confirm delete' })).getByRole('button', { name: 'Keep it' }),
  );
  expect(sent.some((r) => r.method === 'DELETE')).toBe(false);
  fireEvent.click(screen.getByRole('button', { name: 'Delete…' }));
  fireEvent.click(screen.getByRole('button', { name: 'Yes, delete' }));
  await screen.findByText('Deleted Download an invoice');
  expect(sent.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual(['/kb/articles/kb-invoice']);
  await waitFor(() => expect(rowIds()).toEqual(['kb-refund-policy', 'kb-reset']));
});

test('<script>, HTML and javascript: links in an article body stay inert text', () => {
  const body = [
    '<script>window.pwned = 1</script>',
    '',
    '<img src=x onerror="window.pwned = 2">',
    '',
    '[click me](javascript:alert(1)) and [data](data:text/html;base64,PHNjcmlwdD4=) and [proto](//evil.example)',
    '',
    '- **[JaVaScRiPt](  JAVASCRIPT:alert(1))**',
  ].join('\n');
  const { container } = render(<Markdown source={body} />);
  expect(container.querySelector('script, img, iframe')).toBeNull();
  expect(container.querySelectorAll('a')).toHaveLength(0);
  expect(container.textContent).toContain('<script>window.pwned = 1</script>');
  expect(container.textContent).toContain('<img src=x onerror="window.pwned = 2">');
  expect(screen.getByText('click me')).toHaveClass('kb-unsafe-link');
  expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
  for (const el of Array.from(container.querySelectorAll('*')))
    for (const attr of Array.from(el.attributes)) expect(attr.name.startsWith('on')).toBe(false);
});

test('safeHref keeps http(s), mailto and same-site paths only', () => {
  expect(safeHref('https://example.com/a')).toBe('https://example.com/a');
  expect(safeHref('mailto:help@example.com')).toBe('mailto:help@example.com');
  expect(safeHref('/kb/reset')).toBe('/kb/reset');
  expect(safeHref('javascript:alert(1)')).toBeNull();
  expect(safeHref(' javascript:alert(1)')).toBeNull();
  expect(safeHref('vbscript:x')).toBeNull();
  expect(safeHref('//evil.example')).toBeNull();
  expect(safeHref('/\\evil.example')).toBeNull();
});

test('a refused save keeps what was typed and says why; leaving unsaved changes asks first', async () => {
  const stub = globalThis.fetch;
  globalThis.fetch = jest.fn(async (url: string | URL | Request, init?: RequestInit) =>
    init?.method === 'PUT'
      ? answer(403, { title: 'Forbidden', detail: 'agents read the knowledge base; designers write it' })
      : stub(url, init),
  ) as typeof fetch;
  const confirm = jest.spyOn(window, 'confirm').mockReturnValue(false);
  render(<KnowledgeBase />);
  fireEvent.click(await screen.findByRole('button', { name: /Reset your password/ }));
  fireEvent.change(screen.getByLabelText('Title'), { target: { value: 'My edit' } });
  fireEvent.click(screen.getByRole('button', { name: 'Save' }));
  expect(await screen.findByRole('alert')).toHaveTextContent(/^Not saved: .*designers write it/);
  expect(screen.getByLabelText('Title')).toHaveValue('My edit');
  // Choosing another article while the edit is unsaved asks; "Cancel" stays on the edit.
  fireEvent.click(screen.getByRole('button', { name: /Download an invoice/ }));
  expect(confirm).toHaveBeenCalledWith('Discard the changes to this article?');
  expect(screen.getByLabelText('Title')).toHaveValue('My edit');
  confirm.mockReturnValue(true);
  fireEvent.click(screen.getByRole('button', { name: /Download an invoice/ }));
  expect(screen.getByLabelText('Title')).toHaveValue('Download an invoice');
  confirm.mockRestore();
});
