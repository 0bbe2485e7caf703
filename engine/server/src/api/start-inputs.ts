/**
 * What a start request may assert: the customer (a claim, unless a host site signed it) and the values
 * of the journey's variables declared `input: true`. Everything else a caller could plant, such as
 * `identityVerified: true` or a "verified by phone" note for the agent, is refused.
 */
import type { CompiledJourney, Customer, JsonValue, StartConversationBody } from '@baton/schemas';
import { isOfVariableType } from '@baton/schemas';
import { verifyIdentityToken, IdentityTokenError, type IdentityOptions } from './identity';
import { HttpProblem, type ProblemField } from './problem';

/** The start's variables, each declared an input of the journey and of its declared type; else a 400 naming each. */
export function startVariables(
  journey: CompiledJourney,
  variables: Record<string, JsonValue>,
): Record<string, JsonValue> {
  const errors: ProblemField[] = [];
  for (const [name, value] of Object.entries(variables)) {
    const declared = Object.hasOwn(journey.variables, name) ? journey.variables[name] : undefined;
    const path = `/variables/${name}`;
    if (!declared?.input)
      errors.push({
        path,
        message: declared
          ? `"${name}" is not an input of journey "${journey.id}" (its declaration has no "input": true)`
          : `journey "${journey.id}" declares no variable "${name}"`,
      });
    else if (!isOfVariableType(value, declared.type))
      errors.push({ path, message: `"${name}" is declared ${declared.type}; got ${describe(value)}` });
  }
  const first = errors[0];
  if (first) throw new HttpProblem(400, 'Invalid start variables', `${first.path}: ${first.message}`, errors);
  return variables;
}

function describe(value: JsonValue): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/**
 * The conversation's customer: from a valid identity token, verified; else the caller's claims,
 * unverified. A bad token answers 400 or 401 naming `/identityToken` (nothing is started).
 */
export function startCustomer(
  body: Pick<StartConversationBody, 'customer' | 'identityToken'>,
  identity: IdentityOptions | undefined,
  now: number,
): Customer {
  if (body.identityToken !== undefined) {
    try {
      return verifyIdentityToken(body.identityToken, identity, now);
    } catch (error) {
      if (!(error instanceof IdentityTokenError)) throw error;
      throw new HttpProblem(
        error.status,
        error.status === 401 ? 'Identity token refused' : 'Invalid identity token',
        error.message,
        [{ path: error.path, message: error.message.slice(error.path.length + 2) }],
      );
    }
  }
  // The body's schema requires one of the two; a claim never says verified.
  if (!body.customer)
    throw new HttpProblem(400, 'Invalid request body', '/customer: give a customer or an identityToken');
  return { ...body.customer, verified: false };
}
