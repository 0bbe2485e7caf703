/**
 * Personal data out of text that leaves the process: before a message or a transcript goes to an
 * external AI provider, emails, card numbers (Luhn-checked), IBANs (mod-97-checked) and phone
 * numbers become typed placeholders. The embedded provider runs in process and sees the raw text.
 */

export type RedactionKind = 'email' | 'card' | 'iban' | 'phone';

export interface Redacted {
  text: string;
  /** How many of each kind were replaced. */
  counts: Record<RedactionKind, number>;
}

const emailPattern = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/** 2 letters, 2 check digits, then 11–30 letters/digits, optionally grouped by spaces. */
const ibanPattern = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b/gi;
/** 13–19 digits, optionally grouped by spaces or dashes. */
const cardPattern = /\b\d(?:[ -]?\d){12,18}\b/g;
/** An optional +country code, then 7–15 digits with spaces, dots, dashes or parentheses between. */
const phonePattern = /(?:\+|\b00)?\(?\d[\d ().-]{5,}\d\b/g;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i -= 1) {
    let digit = digits.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return false;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

export function ibanValid(candidate: string): boolean {
  const iban = candidate.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const value = char >= 'A' ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

export function redactPersonalData(input: string): Redacted {
  const counts: Record<RedactionKind, number> = { email: 0, card: 0, iban: 0, phone: 0 };
  let text = input.replace(emailPattern, () => {
    counts.email += 1;
    return '[email]';
  });
  text = text.replace(ibanPattern, (match) => {
    // The pattern is greedy ("… 7654 32 OK"): the longest valid prefix is the IBAN.
    for (let end = match.length; end >= 15; end -= 1) {
      const candidate = match.slice(0, end);
      if (candidate.endsWith(' ') || !ibanValid(candidate)) continue;
      counts.iban += 1;
      return `[iban]${match.slice(end)}`;
    }
    return match;
  });
  text = text.replace(cardPattern, (match) => {
    if (!luhnValid(match.replace(/[ -]/g, ''))) return match;
    counts.card += 1;
    return '[card]';
  });
  text = text.replace(phonePattern, (match) => {
    const digits = match.replace(/\D/g, '');
    // Order numbers and years are short; dates have their own shape. Only phone-length digit runs go.
    if (digits.length < 7 || digits.length > 15) return match;
    if (/^\d{4}-\d{2}-\d{2}$/.test(match.trim())) return match;
    // A plain run of digits is more likely an order or account number, unless it reads like a
    // national number (a leading 0 and 10–11 digits) or an international one (00…).
    if (/^\d+$/.test(match) && !/^0\d{9,10}$/.test(match) && !match.startsWith('00')) return match;
    counts.phone += 1;
    return '[phone]';
  });
  return { text, counts };
}

/** Just the text. */
export function redact(text: string): string {
  return redactPersonalData(text).text;
}
