/**
 * Refuses guessable passwords: zxcvbn's estimate with the common-password, names and words lists of
 * @zxcvbn-ts/language-common, not only a length. Used by user creation, password change and the first admin.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

/** zxcvbn's scale is 0-4; 3 is "safely unguessable: moderate protection from offline slow-hash attacks". */
export const minimumPasswordScore = 3;
export const minimumPasswordLength = 12;

let estimator: ZxcvbnFactory | undefined;

/** Why the password is refused, or undefined when it is strong enough. `context` (email, name) counts as guessable. */
export function passwordWeakness(password: string, context: readonly string[] = []): string | undefined {
  if (password.length < minimumPasswordLength) return `must be at least ${minimumPasswordLength} characters`;
  estimator ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
  // zxcvbn's cost grows with the length; past 100 characters the prefix decides.
  const result = estimator.check(password.slice(0, 100), [...context]);
  if (result.score >= minimumPasswordScore) return undefined;
  return `is too easy to guess (a common password, a keyboard pattern or a repeat): use a longer passphrase of unrelated words`;
}
