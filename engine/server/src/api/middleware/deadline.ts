/**
 * A customer's message waits for the workflow to settle; when an activity retries for long (a ticket
 * store that keeps failing at a handoff), the request would wait with it. Past its deadline it answers
 * 503 problem+json with Retry-After while the workflow goes on: sending the same clientMessageId again
 * answers the same message (the update is deduplicated), never a second one.
 */
import type { RequestHandler } from 'express';
import { HttpProblem, sendProblem } from '../problem';

/** Starting a conversation and sending a customer's or an agent's message: the requests that wait on a workflow. */
const waitsOnWorkflow = /^\/api\/(conversations(\/[^/]+\/messages)?|tickets\/[^/]+\/messages)\/?$/;

export const defaultMessageDeadlineSeconds = 30;
const retryAfterSeconds = 5;

export function messageDeadlineSecondsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.BATON_MESSAGE_DEADLINE_SECONDS;
  if (raw === undefined || raw === '') return defaultMessageDeadlineSeconds;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new Error(`BATON_MESSAGE_DEADLINE_SECONDS must be a positive number of seconds, not "${raw}"`);
  return seconds;
}

/**
 * How long the client keeps sending a customer's Update again while Temporal answers "not now" (a
 * worker died with the conversation's workflow task): a few seconds under the deadline, so the
 * route answers (its reply, or 503 with Retry-After) before the deadline's own 503.
 */
export function updateRetryBudgetMs(seconds = messageDeadlineSecondsFromEnv()): number {
  return Math.max(1_000, seconds * 1000 - 5_000);
}

export function messageDeadline(seconds = messageDeadlineSecondsFromEnv()): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'POST' || !waitsOnWorkflow.test(req.path)) return next();
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      res.setHeader('retry-after', String(retryAfterSeconds));
      sendProblem(
        res,
        new HttpProblem(
          503,
          'Still working on it',
          `no answer within ${seconds} s; the conversation goes on: send the same request again (same clientMessageId) in ${retryAfterSeconds} s for its answer`,
        ),
      );
      // The route answers later, to nobody: its answer is dropped instead of failing on headers sent.
      res.status = () => res;
      res.json = () => res;
      res.send = () => res;
    }, seconds * 1000);
    res.on('close', () => clearTimeout(timer));
    next();
  };
}
