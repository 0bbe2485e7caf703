import { ibanValid, luhnValid, redact, redactPersonalData } from '../src/redact';

describe('redaction before an external AI provider', () => {
  it('replaces emails', () => {
    expect(redact('mail me at ann.lee+support@mail.example.co.uk please')).toBe('mail me at [email] please');
  });

  it('replaces card numbers that pass the Luhn check, in any grouping', () => {
    expect(redact('card 4111 1111 1111 1111 expired')).toBe('card [card] expired');
    expect(redact('card 5500-0000-0000-0004')).toBe('card [card]');
    expect(redact('card 4012888888881881')).toBe('card [card]');
  });

  it('keeps digit runs that are not cards (Luhn fails) nor phone-like', () => {
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(redact('order 4111111111111112 is late')).toBe('order 4111111111111112 is late');
    expect(redact('order A99998 and order 123456 from 2024-05-01')).toBe(
      'order A99998 and order 123456 from 2024-05-01',
    );
  });

  it('replaces phone numbers', () => {
    expect(redact('call +44 20 7946 0958 today')).toBe('call [phone] today');
    expect(redact('or (555) 123-4567')).toBe('or [phone]');
    expect(redact('mobile 0612345678')).toBe('mobile [phone]');
    expect(redact('mobile 0049 30 1234567')).toBe('mobile [phone]');
  });

  it('replaces IBANs that pass mod 97', () => {
    expect(ibanValid('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(redact('pay to GB82 WEST 1234 5698 7654 32 now')).toBe('pay to [iban] now');
    expect(redact('DE89370400440532013000')).toBe('[iban]');
    expect(ibanValid('DE89370400440532013001')).toBe(false);
  });

  it('counts what it replaced and leaves ordinary text alone', () => {
    const result = redactPersonalData(
      'I am bob@example.com, card 4111111111111111, phone +1 415 555 2671. My password reset link did not work.',
    );
    expect(result.counts).toEqual({ email: 1, card: 1, iban: 0, phone: 1 });
    expect(result.text).toBe('I am [email], card [card], phone [phone]. My password reset link did not work.');
    expect(redact("I can't log in and I've tried everything")).toBe("I can't log in and I've tried everything");
  });
});
