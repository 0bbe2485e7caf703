import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ActivityManifest } from '@baton/schemas';
import { Editor, readLocal, writeLocal } from '../src/Editor';
import { draftOf } from '../src/model';
import { exampleText } from './support/examples';

/**
 * The editor as a whole in jsdom: keyboard shortcuts and toolbar over a real journey. The API is
 * stood in for by a fetch stub that answers the activity catalog and health (and can "lose" the
 * connection); the real API and browser are exercised by e2e/designer.e2e.test.ts.
 */
const catalog: ActivityManifest[] = [
  {
    name: 'accounts.sendResetLink',
    description: 'Sends a password reset link',
    builtin: false,
    input: {
      type: 'object',
      properties: { email: { type: 'string' }, customerId: { type: 'string' } },
      required: ['email', 'customerId'],
    },
    output: { type: 'object', properties: { sent: { type: 'boolean' }, resetId: { type: 'string' } } },
  },
  ...[
    'baton.classify',
    'baton.openTicket',
    'baton.recordSurvey',
    'baton.finishConversation',
    'baton.followupCheck',
    'kb.search',
  ].map((name) => ({ name, description: '', builtin: true, input: {}, output: {} })),
];

let online = true;
const json = (status: number, body: unknown) =>
  ({ ok: status < 400, status, statusText: '', text: async () => JSON.stringify(body) }) as Response;
beforeEach(() => {
  online = true;
  localStorage.clear();
  globalThis.fetch = jest.fn(async (url: string | URL | Request) => {
    if (!online) throw new TypeError('Failed to fetch');
    const path = String(url);
    if (path === '/api/activities') return json(200, { activities: catalog });
    if (path === '/api/health') return json(200, { status: 'ok' });
    return json(404, { title: 'Not found', detail: `${path} is not part of this test's stand-in API` });
  }) as typeof fetch;
  const text = exampleText('password-reset');
  const journey = JSON.parse(text);
  writeLocal('password-reset', { meta: draftOf(journey), journey, persisted: true, dirty: true });
});

const nodeIds = () => Array.from(document.querySelectorAll('.react-flow__node'), (n) => n.getAttribute('data-id')!);
const key = (k: string, mods: { ctrlKey?: boolean; shiftKey?: boolean } = {}) =>
  act(() => void fireEvent.keyDown(window, { key: k, ...mods }));
const codeJson = () =>
  JSON.parse((screen.getByLabelText('journey JSON') as HTMLTextAreaElement).value) as {
    nodes: { id: string }[];
    edges: { source: string; target: string }[];
  };

async function openEditor() {
  render(<Editor id="password-reset" />);
  await waitFor(() => expect(nodeIds()).toHaveLength(18));
  await waitFor(() => expect(screen.getByTestId('error-count')).toHaveTextContent('0 errors'));
}

test('select all, copy, paste (new ids, internal edges kept), undo and redo with the keyboard and the toolbar', async () => {
  await openEditor();
  const original = new Set(nodeIds());
  fireEvent.click(screen.getByRole('button', { name: 'Code' }));
  const edgesBefore = codeJson().edges.length;

  key('a', { ctrlKey: true });
  await waitFor(() => expect(document.querySelectorAll('.react-flow__node.selected')).toHaveLength(18));
  key('c', { ctrlKey: true });
  expect(screen.getByTestId('status')).toHaveTextContent('Copied 17 nodes');
  key('v', { ctrlKey: true });
  await waitFor(() => expect(nodeIds()).toHaveLength(35));
  const pasted = nodeIds().filter((id) => !original.has(id));
  expect(pasted).toHaveLength(17);
  // Every edge between the copied nodes (all but those leaving start) came along, rewired to the copies.
  const afterPaste = codeJson();
  const copiedEdges = afterPaste.edges.filter((e) => pasted.includes(e.source));
  expect(copiedEdges).toHaveLength(edgesBefore - 1);
  expect(copiedEdges.every((e) => pasted.includes(e.target))).toBe(true);

  fireEvent.click(screen.getByRole('button', { name: 'undo' }));
  await waitFor(() => expect(nodeIds()).toHaveLength(18));
  expect(new Set(nodeIds())).toEqual(original);
  key('z', { ctrlKey: true, shiftKey: true });
  await waitFor(() => expect(nodeIds()).toHaveLength(35));
  key('z', { ctrlKey: true });
  await waitFor(() => expect(nodeIds()).toHaveLength(18));
  key('y', { ctrlKey: true });
  await waitFor(() => expect(nodeIds()).toHaveLength(35));
});

test('duplicate (Ctrl+D) copies the selection next to it; a shortcut typed in a field is left to the field', async () => {
  await openEditor();
  fireEvent.click(document.querySelector('.react-flow__node[data-id="greet"]')!);
  await waitFor(() => expect(screen.getByTestId('inspector')).toBeInTheDocument());
  key('d', { ctrlKey: true });
  await waitFor(() => expect(nodeIds()).toHaveLength(19));
  expect(nodeIds().find((id) => id.startsWith('message-'))).toBeDefined();
  // Ctrl+Z inside a text field is the field's own undo, not the journey's.
  fireEvent.keyDown(screen.getByRole('textbox', { name: 'journey name' }), { key: 'z', ctrlKey: true });
  expect(nodeIds()).toHaveLength(19);
});

test('the shortcuts help opens with ?', async () => {
  await openEditor();
  key('?');
  expect(screen.getByRole('dialog', { name: 'keyboard shortcuts' })).toHaveTextContent('Ctrl/⌘ + Shift + Z');
  key('Escape');
  expect(screen.queryByRole('dialog')).toBeNull();
});

async function importFile(name: string, content: string) {
  const input = screen.getByTestId('import-file');
  await act(async () => {
    fireEvent.change(input, { target: { files: [new File([content], name, { type: 'application/json' })] } });
  });
  await waitFor(() => expect(screen.getByTestId('status')).toHaveTextContent(name));
  return screen.getByTestId('status').textContent!;
}

test('importing bad files says what is wrong and changes nothing', async () => {
  await openEditor();
  const before = localStorage.getItem('baton.designer.draft.password-reset');

  expect(await importFile('broken.json', '{\n  "id": "x",\n  "nodes": [,]\n}')).toMatch(
    /Cannot import "broken.json": This file is not valid JSON: .*\(line 3, column 13\)\. Nothing was changed\./s,
  );
  expect(await importFile('package.json', '{ "name": "@baton/designer", "version": "0.1.0" }')).toContain(
    'This JSON file is not a Baton journey',
  );
  const newer = { ...JSON.parse(exampleText('complaint')), schemaVersion: 99 };
  expect(await importFile('future.json', JSON.stringify(newer))).toContain(
    'written by a newer Baton (schemaVersion 99)',
  );

  expect(nodeIds()).toHaveLength(18);
  expect(localStorage.getItem('baton.designer.draft.password-reset')).toBe(before);
});

test('an imported journey whose activity left the catalog is kept, with a message and an error on the node', async () => {
  await openEditor();
  const doc = JSON.parse(exampleText('password-reset'));
  doc.nodes.find((n: { id: string }) => n.id === 'send_link').data.activity = 'accounts.retired';
  const status = await importFile('retired.json', JSON.stringify(doc));
  expect(status).toContain(
    'Node "send_link" calls the activity "accounts.retired", which no longer exists in the catalog',
  );
  await waitFor(() => expect(screen.getByTestId('error-count')).toHaveTextContent('1 error'));
  // Undo brings back what was there before the import.
  fireEvent.click(screen.getByRole('button', { name: 'undo' }));
  await waitFor(() => expect(screen.getByTestId('error-count')).toHaveTextContent('0 errors'));
});

test('export downloads exactly the bytes baton fmt writes', async () => {
  await openEditor();
  let blob: Blob | undefined;
  URL.createObjectURL = jest.fn((b: Blob) => {
    blob = b;
    return 'blob:journey';
  });
  URL.revokeObjectURL = jest.fn();
  const clicked = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
    this: HTMLAnchorElement,
  ) {
    expect(this.download).toBe('password-reset.journey.json');
  });
  fireEvent.click(screen.getByRole('button', { name: 'Export' }));
  expect(clicked).toHaveBeenCalledTimes(1);
  const text = await new Promise<string>((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.readAsText(blob!);
  });
  expect(text).toBe(exampleText('password-reset'));
  clicked.mockRestore();
});

test('the code view applies valid edits and locates invalid ones, keeping the canvas', async () => {
  await openEditor();
  fireEvent.click(screen.getByRole('button', { name: 'Code' }));
  const area = screen.getByLabelText('journey JSON') as HTMLTextAreaElement;
  expect(area.value).toBe(exampleText('password-reset'));
  fireEvent.change(area, {
    target: { value: area.value.replace('"name": "Password reset"', '"name": "Password help"') },
  });
  await waitFor(() => expect(screen.getByRole('textbox', { name: 'journey name' })).toHaveValue('Password help'));
  fireEvent.change(area, { target: { value: area.value.replace('"nodes": [', '"nodes": [[') } });
  expect(screen.getByTestId('code-error')).toHaveTextContent(/line \d+, column \d+/);
  expect(screen.getByTestId('code-error')).toHaveTextContent('The canvas keeps the last valid version.');
  expect(nodeIds()).toHaveLength(18);
  expect(screen.getByRole('textbox', { name: 'journey name' })).toHaveValue('Password help');
});

test('a lost connection shows a banner and keeps the work in this browser', async () => {
  await openEditor();
  fireEvent.change(screen.getByRole('textbox', { name: 'journey name' }), { target: { value: 'Offline edit' } });
  online = false;
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Save draft' }));
  });
  const banner = await screen.findByTestId('connection-banner');
  expect(banner).toHaveTextContent('No connection to the Baton API');
  expect(banner).toHaveTextContent('kept in this browser');
  expect(readLocal('password-reset')).toMatchObject({ dirty: true, meta: { name: 'Offline edit' } });
  online = true;
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Retry now' }));
  });
  await waitFor(() => expect(screen.getByTestId('connection-banner')).toHaveTextContent('restored'));
});

test('a journey opened from the server is fetched once, and a node selected right after it shows stays selected', async () => {
  localStorage.clear();
  const journey = JSON.parse(exampleText('password-reset'));
  const stub = globalThis.fetch as jest.Mock;
  const base = stub.getMockImplementation()!;
  stub.mockImplementation(async (url: string | URL | Request, init?: RequestInit) =>
    String(url) === '/api/journeys/password-reset' ? json(200, { journey }) : base(url, init),
  );
  render(<Editor id="password-reset" />);
  await waitFor(() => expect(nodeIds()).toHaveLength(18));
  const node = document.querySelector('.react-flow__node')!;
  act(() => void fireEvent.click(node));
  await waitFor(() => expect(screen.getByTestId('inspector')).toBeInTheDocument());
  // Let React Flow finish initialising its viewport (the editor once re-loaded the journey then, dropping the selection).
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(stub.mock.calls.filter(([url]) => String(url) === '/api/journeys/password-reset')).toHaveLength(1);
  expect(document.querySelectorAll('.react-flow__node.selected')).toHaveLength(1);
  expect(screen.getByTestId('inspector')).toBeInTheDocument();
});
