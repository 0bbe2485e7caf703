/**
 * The simulator panel as a chat: bubbles by speaker, nodes named by label, quick replies as buttons,
 * the survey answered with the scores the designer clicks, and a warning when a path that went
 * through a handoff ends "resolved_by_bot". Drives the real panel and the engine's interpreter.
 */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { builtinActivityNames } from '@baton/schemas';
import type { CanvasControls } from '../src/overlay/canvasView';
import { draftOf, fromJourney } from '../src/model';
import { SimulatorPanel } from '../src/simulator/SimulatorPanel';

const pos = { x: 0, y: 0 };
function journey(endOutcome: string, data: Record<string, unknown> = {}) {
  return {
    schemaVersion: 1,
    id: 'sim-chat',
    name: 'Sim chat',
    version: 0,
    variables: { request: { type: 'string' } },
    nodes: [
      { id: 'start', type: 'start', position: pos, data: {} },
      {
        id: 'hi',
        type: 'ask',
        position: pos,
        data: { label: 'Ask what is wrong', prompt: 'How can I help?', variable: 'request' },
      },
      {
        id: 'esc',
        type: 'handoff',
        position: pos,
        data: { label: 'Escalate to accounts', queue: 'accounts', reason: 'r' },
      },
      { id: 'survey', type: 'followup', position: pos, data: { message: 'Thanks.', csat: false, ...data } },
      { id: 'done', type: 'end', position: pos, data: { outcome: endOutcome } },
      { id: 'gone', type: 'end', position: pos, data: { outcome: 'abandoned' } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourceHandle: 'next', target: 'hi' },
      { id: 'e2', source: 'hi', sourceHandle: 'reply', target: 'esc' },
      { id: 'e3', source: 'hi', sourceHandle: 'timeout', target: 'gone' },
      { id: 'e4', source: 'esc', sourceHandle: 'resolved', target: 'survey' },
      { id: 'e5', source: 'esc', sourceHandle: 'timeout', target: 'gone' },
      { id: 'e6', source: 'survey', sourceHandle: 'answered', target: 'done' },
      { id: 'e7', source: 'survey', sourceHandle: 'timeout', target: 'done' },
    ],
  };
}

function panel(source: Record<string, unknown>) {
  const flow = fromJourney(source as { nodes: unknown[]; edges: unknown[] });
  const canvas: CanvasControls = { decorate: () => {}, showReadOnly: () => {}, draft: () => flow };
  return render(<SimulatorPanel canvas={canvas} meta={draftOf(source)} activities={[]} active />);
}

test('a path through a handoff that ends resolved_by_bot is warned about; the survey asks only what the node asks', async () => {
  panel(journey('resolved_by_bot'));
  fireEvent.click(screen.getByTestId('sim-start'));
  expect(screen.queryByTestId('sim-errors')).toBeNull();
  const chat = screen.getByTestId('sim-chat');
  expect(within(chat).getByText('How can I help?')).toHaveAttribute('data-from', 'bot');
  expect(screen.getByTestId('sim-where')).toHaveTextContent('Waiting for the customer at Ask what is wrong');

  fireEvent.change(screen.getByLabelText('customer message'), { target: { value: 'I am locked out' } });
  fireEvent.click(screen.getByTestId('sim-send'));
  await waitFor(() => expect(within(chat).getByText('I am locked out')).toHaveAttribute('data-from', 'customer'));
  // The ticket the built-in fake opened is named by the node's label, and its output is not raw JSON.
  const note = within(chat).getByText(new RegExp(`Escalate to accounts · ${builtinActivityNames.openTicket}`));
  expect(note.textContent).not.toContain('{"');
  expect(screen.getByTestId('sim-where')).toHaveTextContent('Waiting for agent at Escalate to accounts');

  fireEvent.click(screen.getByRole('button', { name: 'Agent claims' }));
  fireEvent.click(screen.getByRole('button', { name: 'Agent resolves' }));
  const survey = await screen.findByTestId('sim-survey');
  expect(within(survey).queryByRole('radiogroup', { name: /CSAT/ })).toBeNull();
  const ces = within(survey).getByRole('radiogroup', { name: /CES/ });
  expect(within(ces).getAllByRole('radio')).toHaveLength(7);
  const send = within(survey).getByRole('button', { name: 'Answer the survey' });
  expect(send).toBeDisabled();
  fireEvent.click(within(ces).getByRole('radio', { name: '3' }));
  expect(within(ces).getByRole('radio', { name: '3' })).toHaveAttribute('aria-checked', 'true');
  fireEvent.click(send);

  expect(screen.getByTestId('sim-where')).toHaveTextContent('Ended: resolved_by_bot');
  expect(screen.getByTestId('sim-warning')).toHaveTextContent(
    'This path went through the handoff “Escalate to accounts” but ended “resolved_by_bot”',
  );
});

test('the same path ending resolved_by_agent gives no warning; both survey questions when the node asks both', async () => {
  panel(journey('resolved_by_agent', { csat: true }));
  fireEvent.click(screen.getByTestId('sim-start'));
  fireEvent.change(screen.getByLabelText('customer message'), { target: { value: 'help' } });
  fireEvent.click(screen.getByTestId('sim-send'));
  await screen.findByRole('button', { name: 'Agent claims' });
  fireEvent.click(screen.getByRole('button', { name: 'Agent claims' }));
  fireEvent.click(screen.getByRole('button', { name: 'Agent resolves' }));
  const survey = await screen.findByTestId('sim-survey');
  fireEvent.click(within(within(survey).getByRole('radiogroup', { name: /CES/ })).getByRole('radio', { name: '7' }));
  expect(within(survey).getByRole('button', { name: 'Answer the survey' })).toBeDisabled();
  fireEvent.click(within(within(survey).getByRole('radiogroup', { name: /CSAT/ })).getByRole('radio', { name: '2' }));
  fireEvent.click(within(survey).getByRole('button', { name: 'Answer the survey' }));
  expect(screen.getByTestId('sim-where')).toHaveTextContent('Ended: resolved_by_agent');
  expect(screen.queryByTestId('sim-warning')).toBeNull();
});

test('the bot’s quick replies are buttons: clicking "Yes" sends it as the customer and the answer node takes resolved', async () => {
  const source = {
    schemaVersion: 1,
    id: 'sim-quick',
    name: 'Sim quick replies',
    version: 0,
    variables: { question: { type: 'string' } },
    nodes: [
      { id: 'start', type: 'start', position: pos, data: {} },
      {
        id: 'ask',
        type: 'ask',
        position: pos,
        data: { label: 'Ask the question', prompt: 'Ask away.', variable: 'question' },
      },
      {
        id: 'kb',
        type: 'answer',
        position: pos,
        data: {
          label: 'Answer from the KB',
          question: '{{question}}',
          confirm: { prompt: 'Did that answer your question?' },
        },
      },
      { id: 'glad', type: 'end', position: pos, data: { outcome: 'resolved_by_bot' } },
      { id: 'human', type: 'end', position: pos, data: { outcome: 'abandoned' } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourceHandle: 'next', target: 'ask' },
      { id: 'e2', source: 'ask', sourceHandle: 'reply', target: 'kb' },
      { id: 'e3', source: 'ask', sourceHandle: 'timeout', target: 'human' },
      { id: 'e4', source: 'kb', sourceHandle: 'resolved', target: 'glad' },
      { id: 'e5', source: 'kb', sourceHandle: 'not_resolved', target: 'human' },
      { id: 'e6', source: 'kb', sourceHandle: 'answered', target: 'human' },
      { id: 'e7', source: 'kb', sourceHandle: 'unsure', target: 'human' },
    ],
  };
  panel(source);
  fireEvent.click(screen.getByTestId('sim-start'));
  expect(screen.queryByTestId('sim-errors')).toBeNull();
  fireEvent.change(screen.getByLabelText('customer message'), { target: { value: 'How do I reset it?' } });
  fireEvent.click(screen.getByTestId('sim-send'));
  // The knowledge base's answer, as the designer types it for the pending call.
  const result = await screen.findByLabelText('activity result');
  fireEvent.change(result, {
    target: {
      value: JSON.stringify({
        status: 'answered',
        answer: 'Use the reset link on the sign-in page.',
        article: { articleId: 'kb-1', title: 'Resetting a password', link: 'https://help.example/reset' },
        score: 0.9,
      }),
    },
  });
  fireEvent.click(screen.getByTestId('sim-answer'));
  const quick = await screen.findByTestId('sim-quick-replies');
  expect(
    within(quick)
      .getAllByRole('button')
      .map((b) => b.textContent),
  ).toEqual(['Yes', 'No']);
  fireEvent.click(within(quick).getByRole('button', { name: 'Yes' }));
  const chat = screen.getByTestId('sim-chat');
  await waitFor(() => expect(within(chat).getByText('Yes')).toHaveAttribute('data-from', 'customer'));
  expect(screen.getByTestId('sim-where')).toHaveTextContent('Ended: resolved_by_bot');
  expect(screen.queryByTestId('sim-quick-replies')).toBeNull();
});
