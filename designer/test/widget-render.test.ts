import { agentLine, bubbleOf, initials, quickReplies, safeHref } from '../widget/src/render';
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

describe('links in what the bot and agents say', () => {
  const links = (bubble: HTMLElement) =>
    [...bubble.querySelectorAll('a')].map((a) => [a.textContent, a.getAttribute('href'), a.target, a.rel]);

  test("an answer's article link, /kb/<id> or https, is a real link opening in a new tab", () => {
    const bubble = bubbleOf(
      'bot',
      'Print the return label from My orders.\n\nReturn an item: /kb/kb-returns\nMore at https://help.example.com/returns?x=1.',
    );
    expect(links(bubble)).toEqual([
      ['/kb/kb-returns', '/kb/kb-returns', '_blank', 'noopener noreferrer'],
      ['https://help.example.com/returns?x=1', 'https://help.example.com/returns?x=1', '_blank', 'noopener noreferrer'],
    ]);
    // The words around the links stay as they were, the sentence's full stop outside the link.
    expect(bubble.querySelector('.text')?.textContent).toBe(
      'Print the return label from My orders.\n\nReturn an item: /kb/kb-returns\nMore at https://help.example.com/returns?x=1.',
    );
    expect(links(bubbleOf('agent', 'See http://status.example.com (updated hourly)'))).toEqual([
      ['http://status.example.com', 'http://status.example.com/', '_blank', 'noopener noreferrer'],
    ]);
  });

  test('anything else stays text: other schemes, other paths, markup, and what the customer typed', () => {
    for (const text of [
      'Click javascript:alert(1) now',
      'data:text/html,<script>alert(1)</script>',
      'Go to /admin/users or //evil.example.com/kb/x',
      '<a href="javascript:alert(1)">/kb/x</a>',
      'Read it at ftp://files.example.com/kb',
      'Not a path: a/kb/x',
      'https://',
    ]) {
      const bubble = bubbleOf('bot', text);
      expect(bubble.querySelector('.text')?.textContent).toBe(text);
      expect(bubble.querySelectorAll('script, img').length).toBe(0);
      for (const [, href] of links(bubble)) expect(href).toMatch(/^(\/kb\/|https?:\/\/)/);
    }
    expect(bubbleOf('bot', '<a href="javascript:alert(1)">/kb/x</a>').querySelectorAll('a')).toHaveLength(0);
    expect(bubbleOf('bot', 'Go to /admin/users or //evil.example.com/kb/x').querySelectorAll('a')).toHaveLength(0);
    expect(bubbleOf('customer', 'my order https://shop.example.com/o/1').querySelectorAll('a')).toHaveLength(0);
  });

  test('safeHref takes only /kb/<id> and http(s) URLs', () => {
    expect(safeHref('/kb/kb-recover-password')).toBe('/kb/kb-recover-password');
    expect(safeHref('https://help.example.com/a')).toBe('https://help.example.com/a');
    for (const bad of ['javascript:alert(1)', '/kb/', '/kb/a/b', '/admin', 'HTTPS://', 'mailto:a@b.c', 'data:x'])
      expect(safeHref(bad)).toBeNull();
  });
});
