import { loadTriageData, parseTriageData, TriageDataError } from '../src/triage/data';

describe('triage training data', () => {
  it('reads CSV with text/intent, instruction/category or text/label columns, quoted fields included', () => {
    const csv = 'id,text,intent\n1,"where is my card, please",card_arrival\n2,"he said ""hi""",greeting\n';
    expect(parseTriageData('a.csv', csv)).toEqual({
      rows: [
        { text: 'where is my card, please', intent: 'card_arrival' },
        { text: 'he said "hi"', intent: 'greeting' },
      ],
      duplicates: 0,
      conflicts: 0,
    });
    expect(parseTriageData('b.csv', 'instruction,category\r\nhello,greet\r\n').rows).toEqual([
      { text: 'hello', intent: 'greet' },
    ]);
    expect(parseTriageData('c.csv', '\uFEFFText,Label\nhello,greet\n').rows).toEqual([
      { text: 'hello', intent: 'greet' },
    ]);
  });

  it('reads JSON lines', () => {
    const jsonl = '{"text":"hello","intent":"greet"}\n\n{"text":"bye","intent":"leave"}\n';
    expect(parseTriageData('d.jsonl', jsonl).rows).toEqual([
      { text: 'hello', intent: 'greet' },
      { text: 'bye', intent: 'leave' },
    ]);
  });

  it.each([
    ['e.csv', '', /^e\.csv: empty file$/],
    [
      'e.csv',
      'words,intent\nhello,greet\n',
      /^e\.csv:1: no text column \(expected one of text, instruction\); the header has "words", "intent"$/,
    ],
    ['e.csv', 'text,kind\nhello,greet\n', /^e\.csv:1: no label column/],
    ['e.csv', 'text,intent\nhello,greet\n"multi\nline",x\n ,greet\n', /^e\.csv:5: empty text$/],
    ['e.csv', 'text,intent\nhello,\n', /^e\.csv:2: empty label$/],
    ['e.csv', 'text,intent\nhello,greet,extra\n', /^e\.csv:2: 3 fields, the header has 2$/],
    ['e.csv', `text,intent\n${'a'.repeat(4001)},greet\n`, /^e\.csv:2: the text has 4001 characters, more than 4000$/],
    ['e.csv', 'text,intent\nbad \uFFFD byte,greet\n', /^e\.csv:2: bad UTF-8/],
    ['e.jsonl', '{"text":"a","intent":"x"}\nnot json\n', /^e\.jsonl:2: not JSON$/],
    ['e.jsonl', '{"text":"a"}\n', /^e\.jsonl:1: missing "intent"$/],
    ['e.jsonl', '{"text":5,"intent":"x"}\n', /^e\.jsonl:1: text must be a string$/],
    ['e.csv', 'text,intent\n', /^e\.csv: no rows$/],
  ])('%s %j: a clear error naming the line', (name, source, message) => {
    expect(() => parseTriageData(name, source)).toThrow(TriageDataError);
    expect(() => parseTriageData(name, source)).toThrow(message);
  });

  it('drops duplicate rows across files, counting them and texts under two labels', () => {
    const files: Record<string, string> = {
      'a.csv': 'text,intent\nhello,greet\nhello,greet\nbye,leave\n',
      'b.jsonl': '{"text":"bye","intent":"leave"}\n{"text":"hello","intent":"leave"}\n',
    };
    const data = loadTriageData(['a.csv', 'b.jsonl'], (path) => Buffer.from(files[path] as string));
    expect(data.rows).toEqual([
      { text: 'hello', intent: 'greet' },
      { text: 'bye', intent: 'leave' },
      { text: 'hello', intent: 'leave' },
    ]);
    expect(data.duplicates).toBe(2);
    expect(data.conflicts).toBe(1);
  });

  it('decodes bytes as UTF-8 and refuses invalid bytes and a single label', () => {
    const bad = Buffer.concat([Buffer.from('text,intent\nok,a\ncaf'), Buffer.from([0xe9]), Buffer.from(',b\n')]);
    expect(() => loadTriageData(['x.csv'], () => bad)).toThrow(/^x\.csv:3: bad UTF-8/);
    expect(() => loadTriageData(['y.csv'], () => Buffer.from('text,intent\na,one\nb,one\n'))).toThrow(
      /only one label \(one\); a classifier needs at least two/,
    );
  });
});
