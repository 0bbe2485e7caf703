/**
 * Frustration on complaint tweets (workers/ai/data/complaint-tweets): the committed model on the
 * hold-out set it was never tuned on and on the dev set it was trained on, against the team's bars
 * (≥ 60 % of complaints escalated, ≤ 10 % of other messages); a sample of Banking77 and CLINC150
 * train rows (not trained on) when ../shared/data is present; and the cues of social posts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assessFrustration, frustrationFeatures } from '../src/frustration';
import { parseCsv } from '../src/triage/train';

const tweetsDir = join(__dirname, '..', 'data', 'complaint-tweets');
const tweets = (name: string): string[] =>
  readFileSync(join(tweetsDir, name), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
const escalatedShare = (texts: readonly string[]): number =>
  texts.filter((text) => assessFrustration(text).escalate).length / texts.length;

describe('complaint tweets', () => {
  it('escalates most hold-out complaints and few hold-out ordinary requests (never tuned on)', () => {
    const complaints = tweets('holdout-complaints.txt');
    const others = tweets('holdout-others.txt');
    expect(complaints.length).toBeGreaterThanOrEqual(100);
    expect(others.length).toBeGreaterThanOrEqual(100);
    expect(escalatedShare(complaints)).toBeGreaterThanOrEqual(0.6);
    expect(escalatedShare(others)).toBeLessThanOrEqual(0.1);
  });

  it('fits the dev set it was trained on, on a sample of every third line', () => {
    const sample = (texts: string[]): string[] => texts.filter((_, i) => i % 3 === 0);
    expect(escalatedShare(sample(tweets('dev-complaints.txt')))).toBeGreaterThanOrEqual(0.8);
    expect(escalatedShare(sample(tweets('dev-others.txt')))).toBeLessThanOrEqual(0.05);
  });

  const shared = join(__dirname, '..', '..', '..', '..', 'shared', 'data');
  const present = existsSync(join(shared, 'banking77', 'train.csv')) && existsSync(join(shared, 'clinc150', 'val.csv'));
  if (!present) console.warn(`frustration-tweets.test: ${shared} is absent; the Banking77/CLINC150 sample is skipped`);
  (present ? it : it.skip)(
    'leaves ordinary banking and everyday requests alone (train/val rows, none trained on)',
    () => {
      const texts = (file: string): string[] =>
        parseCsv(readFileSync(join(shared, file), 'utf8'))
          .slice(1)
          .map((row) => row[0] ?? '')
          .filter((text, i) => text !== '' && i % 10 === 0);
      expect(escalatedShare(texts('banking77/train.csv'))).toBeLessThanOrEqual(0.1);
      expect(escalatedShare(texts('clinc150/val.csv'))).toBeLessThanOrEqual(0.05);
    },
  );

  it('names the signal of a narrated bad experience and keeps ordinary tweets calm', () => {
    const late = assessFrustration(
      '@AmazonHelp my order was supposed to arrive 3 days ago and still nothing, this is ridiculous',
    );
    expect(late.escalate).toBe(true);
    expect(late.reasons[0]).toMatch(/^narrates a bad experience \([01]\.\d\d\): /);
    expect(late.reasons[0]).toMatch(/"(waited long|expected otherwise|never happened)"/);
    for (const text of [
      '@XHelp how do I change my delivery address?',
      '@AmazonHelp I cannot log in to my account',
      'I cannot log in to my account',
      '@Tesco not bad at all, the new app is much faster',
      // Calm answers to the bot's own questions ("did the link arrive?").
      'no, nothing arrived',
      "It didn't work",
    ])
      expect(assessFrustration(text)).toMatchObject({ escalate: false });
  });

  it('reads sarcasm and the way social posts are typed', () => {
    const sarcasm = assessFrustration('@FedExHelp thanks for nothing, great service as always');
    expect(sarcasm.escalate).toBe(true);
    expect(sarcasm.reasons.join(' ')).toContain('"sarcastic thanks"');
    const features = frustrationFeatures('@AmazonHelp sooo still waiting!!! https://t.co/x1 #fail');
    expect(features).toEqual(expect.arrayContaining(['=stretched word', '=emphatic punctuation', 'fail']));
    expect(features.some((feature) => feature.includes('amazonhelp') || feature.includes('http'))).toBe(false);
  });
});
