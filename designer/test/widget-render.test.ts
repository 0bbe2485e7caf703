import { agentLine, bubbleOf, initials, quickReplies } from '../widget/src/render';
import { foldSurveyQuestion, statusText } from '../widget/src/status';

test('a bubble carries its text and time; an agent line their initials and name', () => {
  const bubble = bubbleOf('bot', 'Hello', Date.UTC(2026, 0, 1, 9, 5));
  expect(bubble.querySelector('.text')?.textContent).toBe('Hello');
  expect(bubble.querySelector('time')?.getAttribute('datetime')).toBe('2026-01-01T09:05:00.000Z');
  expect(initials('Sam Lee')).toBe('SL');
  expect(initials('  ana  ')).toBe('A');
  expect(initials('Jean Paul Marie')).toBe('JM');
  const line = agentLine('Sam Lee');
  expect(line.querySelector('.avatar')?.textContent).toBe('SL');
  expect(line.querySelector('.name')?.textContent).toBe('Sam Lee · support agent');
});

test('quick replies are buttons that send their words', () => {
  const chosen: string[] = [];
  const group = quickReplies(['Yes', 'No, still locked'], (text) => chosen.push(text));
  const buttons = [...group.querySelectorAll('button')];
  expect(buttons.map((b) => b.textContent)).toEqual(['Yes', 'No, still locked']);
  buttons[1]!.click();
  expect(chosen).toEqual(['No, still locked']);
});

test('the header says the customer waits for an agent until one joins, then who', () => {
  expect(statusText('agent', true, null, false)).toBe('Waiting for an agent…');
  expect(statusText('agent', false, 'Sam', false)).toBe('with Sam');
  expect(statusText('agent', false, null, false)).toBe('with an agent');
  expect(statusText('reply', false, 'Sam', false)).toBe('');
  expect(statusText('survey', false, 'Sam', true)).toBe('ended');
});

test('only the bot survey question is folded, not another last message', () => {
  const log = document.createElement('div');
  const other = bubbleOf('bot', 'Thanks for your patience.');
  other.dataset.seq = '1';
  log.appendChild(other);
  foldSurveyQuestion(log);
  expect(other.classList.contains('survey-q')).toBe(false);
  const question = bubbleOf(
    'bot',
    'Please tell us how easy it was to handle your issue (1 = very hard, 7 = very easy).',
  );
  question.dataset.seq = '2';
  log.appendChild(question);
  foldSurveyQuestion(log);
  expect(question.classList.contains('survey-q')).toBe(true);
});
