/**
 * The staff view hides secrets in the activity notes of the path, including a secret the workflow's
 * 117-character cut of a long note left half-written (kinds/activity/step.ts).
 */
import { secretMarker } from '@baton/schemas/secrets';
import { activityStep } from '../src/kinds/activity/step';
import { scrubNote, withoutSecrets } from '../src/interpreter/view';

const token = 'rst_0123456789abcdefghijklmnopqrstuvwxyz';

/** The note the activity step writes for an output (the same call as the workflow's). */
function noteOf(output: Record<string, string>): string {
  const notes: string[] = [];
  const run = { state: { vars: {}, counters: { failures: 0 } }, note: (text: string) => notes.push(text) };
  const node = { id: 'send', data: { activity: 'sendResetLink', output: 'reset', input: {} } };
  activityStep.resume?.(run as never, node as never, { type: 'activity_result', ok: true, output } as never);
  return notes[0] as string;
}

test('a secret cut in half by the note limit is hidden, not partly shown', () => {
  // The padding puts the token across the 117th character, wherever the cut lands in it.
  for (let pad = 60; pad < 117; pad++) {
    const output = { padding: 'p'.repeat(pad), resetId: token };
    const note = noteOf(output);
    expect(note.endsWith('...')).toBe(true);
    const view = withoutSecrets({ vars: { reset: output }, path: [{ nodeId: 'send', note }] } as never, [
      ['reset', 'resetId'],
    ]) as { path: { note: string }[] };
    const shown = view.path[0]?.note ?? '';
    // No start of the token of two characters or more survives.
    for (let length = 2; length <= token.length; length++) expect(shown).not.toContain(token.slice(0, length));
    if (note.includes('"resetId":"r')) expect(shown).toContain(secretMarker);
  }
});

test('a whole secret is hidden, its JSON-escaped form too, and a note without one is unchanged', () => {
  expect(scrubNote(`send → {"resetId":"${token}"}`, [token])).toBe('send → {"resetId":"[secret]"}');
  expect(scrubNote('send → {"code":"a\\"bcd"}', ['a"bcd'])).toBe('send → {"code":"[secret]"}');
  expect(scrubNote('send → {"sent":true,"other":"xyz..."}', [token])).toBe('send → {"sent":true,"other":"xyz..."}');
});
