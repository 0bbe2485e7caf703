import { defaultSummaryTimeoutMs, maxSummaryTimeoutMs, summaryOf, summaryTimeoutMs } from '../src/activities/summary';

const transcript = [
  { from: 'customer', text: 'I forgot my password' },
  { from: 'bot', text: 'I can help with that.' },
];

describe('the handoff summary time limit (BATON_AI_SUMMARY_TIMEOUT_MS)', () => {
  it('defaults by provider: short for the embedded one, longer for a model server', () => {
    expect(summaryTimeoutMs('embedded', {})).toBe(defaultSummaryTimeoutMs.embedded);
    expect(summaryTimeoutMs('openai:smollm2', {})).toBe(defaultSummaryTimeoutMs.model);
    expect(defaultSummaryTimeoutMs.model).toBeGreaterThan(defaultSummaryTimeoutMs.embedded);
  });

  it('takes the variable, never beyond the activity timeout less the store margin', () => {
    expect(summaryTimeoutMs('openai:x', { BATON_AI_SUMMARY_TIMEOUT_MS: '12000' })).toBe(12_000);
    expect(summaryTimeoutMs('embedded', { BATON_AI_SUMMARY_TIMEOUT_MS: ' 900 ' })).toBe(900);
    expect(summaryTimeoutMs('openai:x', { BATON_AI_SUMMARY_TIMEOUT_MS: '600000' })).toBe(maxSummaryTimeoutMs);
    expect(maxSummaryTimeoutMs).toBe(25_000);
    expect(summaryTimeoutMs('openai:x', { BATON_AI_SUMMARY_TIMEOUT_MS: '' })).toBe(defaultSummaryTimeoutMs.model);
  });

  it('refuses a value that is not a number of milliseconds, naming the variable', () => {
    expect(() => summaryTimeoutMs('embedded', { BATON_AI_SUMMARY_TIMEOUT_MS: 'soon' })).toThrow(
      /BATON_AI_SUMMARY_TIMEOUT_MS must be a number/,
    );
    expect(() => summaryTimeoutMs('embedded', { BATON_AI_SUMMARY_TIMEOUT_MS: '5' })).toThrow(/at least 100 ms/);
  });
});

describe('summaryOf', () => {
  const warnings: string[] = [];
  const options = (timeoutMs: number) => ({
    providerName: 'openai:slow',
    timeoutMs,
    warn: (m: string) => warnings.push(m),
  });

  it("keeps the provider's summary when it comes in time", async () => {
    await expect(summaryOf(transcript, async () => 'Locked out; wants a reset link.', options(1_000))).resolves.toEqual(
      {
        summary: 'Locked out; wants a reset link.',
      },
    );
  });

  it('falls back to the first customer message and says why when the model is too slow', async () => {
    const never = () => new Promise<string>(() => undefined);
    const result = await summaryOf(transcript, never, options(150));
    expect(result.fallback).toBe('openai:slow wrote none within 150 ms (BATON_AI_SUMMARY_TIMEOUT_MS)');
    expect(result.summary).toBe(
      'Customer wrote: "I forgot my password" (no AI summary: openai:slow wrote none within 150 ms (BATON_AI_SUMMARY_TIMEOUT_MS))',
    );
    expect(warnings.at(-1)).toMatch(/summary failed/);
  });

  it('says so when the model fails or writes nothing', async () => {
    const failed = await summaryOf(
      transcript,
      async () => {
        throw new Error('HTTP 500 model overloaded');
      },
      options(1_000),
    );
    expect(failed.fallback).toBe('HTTP 500 model overloaded');
    const empty = await summaryOf(transcript, async () => '  ', options(1_000));
    expect(empty.fallback).toBe('openai:slow returned an empty summary');
    expect(empty.summary).toMatch(/^Customer wrote: "I forgot my password" \(no AI summary: /);
  });
});
