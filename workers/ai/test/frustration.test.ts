/**
 * Frustration (src/frustration): the committed model on hand-written messages it never saw (none
 * from Bitext), the signals no data set teaches (shouting, repeats), negation, and a model trained
 * here from a handful of rows, so that the learner itself is tested and not only its artefact.
 */
import { readFileSync } from 'node:fs';
import {
  assessFrustration,
  escalationThreshold,
  frustrationFeatures,
  parseEscalationCorrections,
  parseFrustrationModel,
  trainFrustration,
  type LabelledText,
} from '../src/frustration';
import { defaultFrustrationModelPath } from '../src/frustration/model';
import { complaintPhrasings, freshOrdinary, ordinaryPhrasings, untouchedOrdinary } from './frustration-phrasings';

describe('assessFrustration with the committed model', () => {
  it('escalates most hand-written complaints and requests for a person, and hardly any ordinary request', () => {
    const complaints = complaintPhrasings.filter((text) => assessFrustration(text).escalate).length;
    const ordinary = ordinaryPhrasings.filter((text) => assessFrustration(text).escalate);
    // The team's target on real complaints is 60 %; ordinary requests escalate at most 10 %.
    expect(complaints / complaintPhrasings.length).toBeGreaterThanOrEqual(0.6);
    expect(ordinary.length / ordinaryPhrasings.length).toBeLessThanOrEqual(0.1);
  });

  it('leaves ordinary requests written later alone as well', () => {
    const ordinary = [...freshOrdinary, ...untouchedOrdinary];
    const escalated = ordinary.filter((text) => assessFrustration(text).escalate);
    expect(escalated.length / ordinary.length).toBeLessThanOrEqual(0.1);
  });

  it('keeps a login problem calm and escalates a repeated request for a human', () => {
    const login = assessFrustration('I cannot log in to my account');
    expect(login.escalate).toBe(false);
    expect(login.reasons).toEqual([]);
    const human = assessFrustration('this is the third time I ask, get me a human');
    expect(human.escalate).toBe(true);
    expect(human.reasons.some((reason) => reason.startsWith('repeats an earlier request'))).toBe(true);
  });

  it('names the learned signal with its probability', () => {
    const result = assessFrustration('put me through to an operator now');
    expect(result.escalate).toBe(true);
    expect(result.reasons[0]).toMatch(/^asks for a person \(0\.\d\d\)/);
    expect(assessFrustration('this damn thing keeps logging me out').reasons[0]).toMatch(
      /^profanity \(0\.\d\d\): "damn"/,
    );
  });

  it('reads negation: "not bad at all" and "not unhappy" are calm, "not happy" is a negative mood', () => {
    for (const text of ["I'm not unhappy", 'not bad at all, thanks', 'the new app is not bad at all']) {
      expect(assessFrustration(text).escalate).toBe(false);
      expect(frustrationFeatures(text)).not.toContain('=negative mood');
    }
    expect(frustrationFeatures('I am really not happy with how I was treated')).toContain('=negative mood');
    const unhappy = assessFrustration('really not happy, you lost my parcel twice and nobody answers');
    expect(unhappy.escalate).toBe(true);
    expect(unhappy.reasons[0]).toMatch(
      /^narrates a bad experience \([01]\.\d\d\): .*"(again and again|never happened)"/,
    );
  });

  it('hears shouting, and a request the customer already made', () => {
    const calm = assessFrustration('where is my refund');
    const loud = assessFrustration('WHERE IS MY REFUND');
    expect(calm.escalate).toBe(false);
    expect(loud.reasons).toContain('shouting');
    expect(loud.score).toBeGreaterThan(calm.score);
    const again = assessFrustration('where is my refund for order 1234', ['where is the refund for my order 1234?']);
    expect(again.escalate).toBe(true);
    expect(again.reasons[0]).toMatch(/^repeats an earlier request \(like "where is the refund/);
    // A different earlier request is no repeat.
    expect(assessFrustration('where is my refund for order 1234', ['how do I change my address']).escalate).toBe(false);
  });

  it('reads annoyance the way chat and social posts write it, and leaves a smiley alone', () => {
    expect(assessFrustration('@AppleSupport the update broke my phone 😡').reasons).toContain('annoyed ("😡")');
    expect(assessFrustration('smh, another outage').escalate).toBe(true);
    expect(assessFrustration('waiting 2 hours for a reply :(').reasons).toContain('annoyed (":(")');
    expect(assessFrustration('ok :) thanks').escalate).toBe(false);
  });

  it('stays between 0 and 1 and is deterministic', () => {
    for (const text of [...complaintPhrasings, ...ordinaryPhrasings, '', '!!!', 'ok']) {
      const first = assessFrustration(text);
      expect(first.score).toBeGreaterThanOrEqual(0);
      expect(first.score).toBeLessThanOrEqual(1);
      expect(assessFrustration(text)).toEqual(first);
      expect(first.escalate).toBe(first.score >= escalationThreshold);
    }
  });
});

describe('the frustration model file and its learner', () => {
  it('parses the committed file and refuses a wrong one, naming the field', () => {
    const source = readFileSync(defaultFrustrationModelPath, 'utf8');
    expect(() => parseFrustrationModel(source)).not.toThrow();
    const newer = JSON.stringify({ ...(JSON.parse(source) as object), version: 3 });
    expect(() => parseFrustrationModel(newer, 'm.json')).toThrow(/m\.json: version: .*version 2/);
    expect(() => parseFrustrationModel('{', 'm.json')).toThrow(/m\.json: not JSON/);
    expect(() => parseFrustrationModel('{"format":"baton-frustration","version":2}', 'm.json')).toThrow(/heads/);
  });

  it('learns a head from labelled rows and generalises to a new sentence of the same kind', () => {
    const person = (text: string): LabelledText => ({ text, positive: new Set(['person']) });
    const complaint = (text: string): LabelledText => ({ text, positive: new Set(['complaint']) });
    const rude = (text: string): LabelledText => ({ text, positive: new Set(['profanity']) });
    const grievance = (text: string): LabelledText => ({
      text,
      positive: new Set(['grievance']),
      only: new Set(['grievance']),
    });
    const other = (text: string): LabelledText => ({ text, positive: new Set() });
    const rows = [
      person('I want to talk to a human'),
      person('let me speak with an agent'),
      person('connect me to a representative'),
      person('can I chat with a real person'),
      complaint('I want to file a complaint'),
      complaint('how do I lodge a complaint about your service'),
      complaint('I need to complain about the delivery'),
      rude('where is my bloody parcel'),
      rude('the bloody app crashed'),
      grievance('my parcel was supposed to arrive last week and still nothing'),
      grievance('waited two hours on hold and the line went dead'),
      grievance('charged twice for one order and no refund'),
      grievance('the driver never showed up and nobody answers'),
      ...[
        'track my order',
        'change my address',
        'what are the delivery options',
        'I need my invoice',
        'how do I reset my password',
        'cancel my order please',
        'check the refund policy',
        'update my account',
        'which payment methods are there',
        'set up a new shipping address',
        'subscribe to the newsletter',
        'how long does delivery take',
      ].map(other),
    ];
    const model = trainFrustration(rows, { minCount: 1 });
    expect(assessFrustration('speak to a person please', [], model).reasons[0]).toMatch(/^asks for a person/);
    expect(assessFrustration('I would like to make a complaint', [], model).reasons[0]).toMatch(/^complains/);
    expect(assessFrustration('my bloody invoice', [], model).reasons[0]).toMatch(/^profanity/);
    expect(assessFrustration('track my invoice', [], model).escalate).toBe(false);
    // A row that trains only the narrated-experience head is no example, positive or negative, for the others.
    const narrated = assessFrustration('still waiting for my parcel, the line went dead', [], model);
    expect(narrated.reasons.some((reason) => reason.startsWith('narrates a bad experience'))).toBe(true);
    expect(() => trainFrustration(rows.filter((row) => !row.positive.has('person')))).toThrow(
      /no positive rows for "person"/,
    );
  });
});

describe("agents' escalation corrections", () => {
  it('reads JSON lines into training rows and names the line of a bad one', () => {
    const rows = parseEscalationCorrections(
      [
        '{"text":"been on hold for an hour","escalate":true}',
        '',
        '{"text":"get me your boss","escalate":true,"signal":"person"}',
        '{"text":"no worries, take your time","escalate":false}',
      ].join('\n'),
      'c.jsonl',
    );
    expect(rows.map((row) => [row.text, [...row.positive]])).toEqual([
      ['been on hold for an hour', ['grievance']],
      ['get me your boss', ['person']],
      ['no worries, take your time', []],
    ]);
    expect(() => parseEscalationCorrections('{"text":"x","escalate":"yes"}', 'c.jsonl')).toThrow(
      /^c\.jsonl:1: escalate:/,
    );
    expect(() => parseEscalationCorrections('ok\n{', 'c.jsonl')).toThrow(/^c\.jsonl:1: not JSON/);
    expect(() => parseEscalationCorrections('{"text":"x","escalate":false,"signal":"person"}', 'c.jsonl')).toThrow(
      /c\.jsonl:1: signal: only a message that should escalate/,
    );
    expect(() => parseEscalationCorrections('{"text":"  ","escalate":true}', 'c.jsonl')).toThrow(
      /c\.jsonl:1: text: text is empty/,
    );
  });
});
