/** The trained triage model (workers/ai/models/triage-model.json): loads, classifies, escalates. No ../shared needed. */
import { statSync } from 'node:fs';
import { defaultModelPath } from '../src/triage/model';
import { loadTriageModel, triage } from '../src/triage';

describe('triage model artefact', () => {
  it('loads, is under 1 MB, and carries its cross-validated figures', () => {
    const model = loadTriageModel();
    expect(statSync(defaultModelPath).size).toBeLessThan(1024 * 1024);
    expect(model.format).toBe('baton-triage');
    expect(model.version).toBe(2);
    expect(model.labels).toHaveLength(27);
    expect(model.outOfScope.threshold).toBeGreaterThan(0);
    expect(model.outOfScope.threshold).toBeLessThan(1);
    expect(model.metadata.crossValidation).toEqual(expect.objectContaining({ folds: 5 }));
  });

  it.each([
    ['I want to track my order 12345', 'track_order'],
    ['I forgot my password and cannot log in', 'recover_password'],
    ['I need to cancel order 12345', 'cancel_order'],
    ['how do I get a refund?', 'get_refund'],
    ['I want to subscribe to your newsletter', 'newsletter_subscription'],
  ])('classifies %j as %s', (text, intent) => {
    expect(triage(text).intent).toBe(intent);
  });
});

describe('triage escalation', () => {
  it('escalates an explicit request for a person, with a reason', () => {
    const out = triage('I want to speak to a human');
    expect(out.escalate).toBe(true);
    expect(out.reasons.join(' ')).toMatch(/contact_human_agent|asks for a person/);
  });

  it('does not escalate a polite order-tracking question', () => {
    const out = triage('Hi, could you please tell me the status of order 12345? Thanks!');
    expect(out).toEqual(expect.objectContaining({ intent: 'track_order', escalate: false, reasons: [] }));
    expect(out.sentiment).toBeGreaterThanOrEqual(0);
  });

  it('escalates offensive language and frustration, naming why', () => {
    expect(triage('where is my goddamn order').reasons).toEqual(
      expect.arrayContaining([expect.stringMatching(/^profanity .*goddamn/)]),
    );
    const frustrated = triage('This is ridiculous, I have tried everything and it still does not work');
    expect(frustrated.escalate).toBe(true);
    expect(frustrated.sentiment).toBeLessThan(0);
  });

  it('returns confidence in 0…1 and sentiment in −1…1', () => {
    const out = triage('can I pay with paypal?');
    expect(out.confidence).toBeGreaterThan(0);
    expect(out.confidence).toBeLessThanOrEqual(1);
    expect(out.sentiment).toBeGreaterThanOrEqual(-1);
    expect(out.sentiment).toBeLessThanOrEqual(1);
  });
});
