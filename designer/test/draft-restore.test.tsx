import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { Editor, readLocal, writeLocal } from '../src/Editor';
import { draftOf } from '../src/model';
import { exampleText } from './support/examples';

/**
 * Unsaved work restored from this browser after a reload stays marked dirty until it is saved: not
 * cleared when the activity catalog arrives, nor by an edit undone back to the restored state. The
 * API is a fetch stub answering the catalog, health and the save (PUT) the editor sends.
 */
let saved: unknown[] = [];
const json = (status: number, body: unknown) =>
  ({ ok: status < 400, status, statusText: '', text: async () => JSON.stringify(body) }) as Response;

beforeEach(() => {
  saved = [];
  localStorage.clear();
  globalThis.fetch = jest.fn(async (url: string | URL | Request, init?: RequestInit) => {
    const path = String(url);
    if (path === '/api/activities') return json(200, { activities: [] });
    if (path === '/api/health') return json(200, { status: 'ok' });
    if (path === '/api/journeys/password-reset' && init?.method === 'PUT') {
      const body = JSON.parse(String(init.body)) as unknown;
      saved.push(body);
      return json(200, { journey: body });
    }
    return json(404, { title: 'Not found', detail: `${path} is not part of this test's stand-in API` });
  }) as typeof fetch;
  const journey = JSON.parse(exampleText('password-reset')) as Record<string, unknown>;
  writeLocal('password-reset', {
    meta: { ...draftOf(journey), name: 'Edited before the reload' },
    journey: { ...journey, name: 'Edited before the reload' } as never,
    persisted: true,
    dirty: true,
  });
});

const state = () => screen.getByTestId('save-state');

test('a restored draft stays "unsaved changes" until saved, even after an edit is undone', async () => {
  render(<Editor id="password-reset" />);
  await waitFor(() => expect(document.querySelectorAll('.react-flow__node')).toHaveLength(18));
  await waitFor(() => expect(screen.getByTestId('error-count')).toHaveTextContent('0 errors'));
  expect(state()).toHaveTextContent('unsaved changes');
  expect(screen.getByText('Restored unsaved changes kept in this browser.')).toBeInTheDocument();

  const name = screen.getByRole('textbox', { name: 'journey name' });
  fireEvent.change(name, { target: { value: 'Something else' } });
  await waitFor(() => expect(state()).toHaveTextContent('unsaved changes'));
  fireEvent.change(name, { target: { value: 'Edited before the reload' } });
  await act(async () => new Promise((resolve) => setTimeout(resolve, 0)));
  expect(state()).toHaveTextContent('unsaved changes');

  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Save draft' }));
  });
  await waitFor(() => expect(state()).toHaveTextContent('saved'));
  expect(state()).not.toHaveTextContent('unsaved');
  expect(saved).toHaveLength(1);
  expect(saved[0]).toMatchObject({ name: 'Edited before the reload' });
  await waitFor(() => expect(readLocal('password-reset')).toMatchObject({ dirty: false }));
});
