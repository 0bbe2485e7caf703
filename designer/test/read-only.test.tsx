import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { Editor, readLocal, writeLocal } from '../src/Editor';
import { draftOf } from '../src/model';
import { exampleText } from './support/examples';

/**
 * While a published version is shown read-only on the canvas, nothing may change the draft behind
 * it: palette drops, editing shortcuts, the inspector, and a save (which must store the draft, not
 * the version on the screen). The API is stood in for by a fetch stub (journey versions, save); the
 * real API and browser are exercised by e2e/designer-flow.e2e.test.ts.
 */
type JourneyDoc = { nodes: { id: string }[]; edges: { source: string; target: string }[] } & Record<string, unknown>;

const draft = JSON.parse(exampleText('password-reset')) as JourneyDoc;
// Version 1: the draft without its last node (and the edges into it), so the canvas shows which one is on it.
const removed = draft.nodes[draft.nodes.length - 1]!.id;
const version1: JourneyDoc = {
  ...draft,
  version: 1,
  nodes: draft.nodes.filter((n) => n.id !== removed),
  edges: draft.edges.filter((e) => e.target !== removed && e.source !== removed),
};

let saved: JourneyDoc[] = [];
const json = (status: number, body: unknown) =>
  ({ ok: status < 400, status, statusText: '', text: async () => JSON.stringify(body) }) as Response;
beforeEach(() => {
  saved = [];
  localStorage.clear();
  globalThis.fetch = jest.fn(async (url: string | URL | Request, init?: RequestInit) => {
    const path = String(url);
    const method = init?.method ?? 'GET';
    if (path === '/api/activities') return json(200, { activities: [] });
    if (path === '/api/health') return json(200, { status: 'ok' });
    if (path === '/api/journeys/password-reset/versions')
      return json(200, {
        versions: [{ version: 1, hash: 'a'.repeat(64), name: 'Password reset', publishedAt: '2026-11-01T10:00:00Z' }],
      });
    if (path === '/api/journeys/password-reset/versions/1') return json(200, { source: version1, version: 1 });
    if (path === '/api/journeys/password-reset/versions/1/overlay')
      return json(200, { conversations: 0, active: 0, truncated: false, nodes: {} });
    if (path === '/api/journeys/password-reset' && method === 'PUT') {
      const body = JSON.parse(String(init?.body)) as JourneyDoc;
      saved.push(body);
      return json(200, { journey: body });
    }
    return json(404, { title: 'Not found', detail: `${method} ${path} is not part of this test's stand-in API` });
  }) as typeof fetch;
  writeLocal('password-reset', { meta: draftOf(draft), journey: draft as never, persisted: true, dirty: true });
});

const nodeIds = () =>
  Array.from(document.querySelectorAll('.react-flow__node'), (n) => n.getAttribute('data-id')!).sort();
const key = (k: string, mods: { ctrlKey?: boolean; shiftKey?: boolean } = {}) =>
  act(() => void fireEvent.keyDown(window, { key: k, ...mods }));
const readOnlyText = 'A read-only version is on the canvas: go back to the draft to edit it.';

test('with a version shown read-only, drops, shortcuts and the inspector leave the draft alone, and a save stores the draft', async () => {
  render(<Editor id="password-reset" />);
  const draftIds = draft.nodes.map((n) => n.id).sort();
  await waitFor(() => expect(nodeIds()).toEqual(draftIds));
  // A draft node selected: its inspector is open before the version is shown.
  fireEvent.click(document.querySelector(`.react-flow__node[data-id="${draft.nodes[1]!.id}"]`)!);
  await screen.findByTestId('inspector');

  fireEvent.click(screen.getByTestId('tab-versions'));
  fireEvent.click(await screen.findByRole('button', { name: 'Open' }));
  await waitFor(() => expect(screen.getByTestId('canvas-label')).toHaveTextContent('password-reset@1 · read-only'));
  await waitFor(() => expect(nodeIds()).toEqual(version1.nodes.map((n) => n.id).sort()));

  // The inspector and the journey's settings cannot edit the hidden draft.
  expect(screen.queryByTestId('inspector')).toBeNull();
  expect(screen.queryByTestId('journey-settings')).toBeNull();
  // Nor do the palette, the layout, save or publish: they are not offered on a version.
  expect(document.querySelector('.palette')).toBeNull();
  expect(screen.queryByRole('button', { name: 'Layout' })).toBeNull();
  expect(screen.queryByRole('button', { name: 'Save draft' })).toBeNull();
  expect(screen.queryByRole('button', { name: /Publish/ })).toBeNull();
  expect(screen.getByRole('textbox', { name: 'journey name' })).toHaveAttribute('readonly');

  // A palette item dropped on the canvas adds nothing.
  const payload = JSON.stringify({ kind: 'message' });
  fireEvent.drop(document.querySelector('main.canvas')!, {
    dataTransfer: {
      getData: (type: string) => (type === 'application/x-baton-node' ? payload : ''),
      types: ['application/x-baton-node'],
    },
  });
  expect(screen.getByTestId('status')).toHaveTextContent(readOnlyText);

  // Editing shortcuts are refused (select all, paste, duplicate, undo, redo, auto-layout).
  for (const [k, mods] of [
    ['a', { ctrlKey: true }],
    ['v', { ctrlKey: true }],
    ['d', { ctrlKey: true }],
    ['z', { ctrlKey: true }],
    ['z', { ctrlKey: true, shiftKey: true }],
    ['l', { ctrlKey: true, shiftKey: true }],
  ] as const) {
    await key(k, mods);
    expect(screen.getByTestId('status')).toHaveTextContent(readOnlyText);
  }
  expect(nodeIds()).toEqual(version1.nodes.map((n) => n.id).sort());

  // Ctrl+S saves the draft, not the version on the screen.
  await act(async () => {
    fireEvent.keyDown(window, { key: 's', ctrlKey: true });
  });
  await waitFor(() => expect(saved).toHaveLength(1));
  expect(saved[0]!.nodes.map((n) => n.id).sort()).toEqual(draftIds);
  expect(saved[0]!.edges).toHaveLength(draft.edges.length);

  // Back to the draft: every node is there, none added, none selected by the refused Ctrl+A, and the browser's copy is the draft.
  fireEvent.click(screen.getByTestId('back-to-draft'));
  await waitFor(() => expect(nodeIds()).toEqual(draftIds));
  expect(document.querySelectorAll('.react-flow__node.selected')).toHaveLength(1);
  await waitFor(() =>
    expect(
      readLocal('password-reset')
        ?.journey.nodes.map((n) => n.id)
        .sort(),
    ).toEqual(draftIds),
  );
});
