/**
 * Which Temporal failures of an Update (or a query) mean "not now" rather than "no": the server gave
 * the request up before any worker ran it, so the same request later (same update id) is safe and
 * will be answered. Seen under worker SIGKILLs (`npm run chaos`, docs/performance.md):
 *
 * - `ServiceError: Workflow Update failed`, cause `9 FAILED_PRECONDITION: Unable to perform workflow
 *   execution update due to Workflow Task in failed state.` — the conversation's workflow task timed
 *   out on the killed worker; the server refuses Updates until a worker completes its next attempt.
 * - `WorkflowUpdateFailedError`, cause "Workflow Update is rejected because it wasn't processed by
 *   worker…" — the server dropped an admitted Update when the workflow task that carried it failed.
 * - `WorkflowUpdateRPCTimeoutOrCancelledError` — the call's own deadline passed (DEADLINE_EXCEEDED).
 * - `ServiceError` with UNAVAILABLE ("workflow update was aborted"), RESOURCE_EXHAUSTED, ABORTED or
 *   DEADLINE_EXCEEDED after the SDK's own gRPC retries.
 */
import { ServiceError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';

/** gRPC status codes (@grpc/grpc-js `status`), named here so the server package need not depend on grpc-js. */
export const grpcStatus = {
  CANCELLED: 1,
  DEADLINE_EXCEEDED: 4,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  UNAVAILABLE: 14,
} as const;

const unprocessedUpdate = /wasn't processed by worker/i;
/** FAILED_PRECONDITION is transient only when it is about the workflow task (Temporal's WorkflowNotReady). */
const workflowNotReady = /workflow task|not ready/i;
const transientCodes = new Set<number>([
  grpcStatus.CANCELLED,
  grpcStatus.DEADLINE_EXCEEDED,
  grpcStatus.RESOURCE_EXHAUSTED,
  grpcStatus.ABORTED,
  grpcStatus.UNAVAILABLE,
]);

interface GrpcLike {
  code: number;
  details: string;
}

function grpcCause(error: ServiceError): GrpcLike | undefined {
  const cause = error.cause as Partial<GrpcLike> | undefined;
  return cause && typeof cause.code === 'number' && typeof cause.details === 'string'
    ? { code: cause.code, details: cause.details }
    : undefined;
}

/** The reason to log and answer when `error` is Temporal saying "not now"; undefined for anything else. */
export function transientTemporalReason(error: unknown): string | undefined {
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return `${error.name}: ${error.message}`;
  if (error instanceof WorkflowUpdateFailedError) {
    const reason = error.cause?.message ?? error.message;
    return unprocessedUpdate.test(reason) ? reason : undefined;
  }
  if (error instanceof ServiceError) {
    const grpc = grpcCause(error);
    if (!grpc) return undefined;
    const transient =
      transientCodes.has(grpc.code) ||
      (grpc.code === grpcStatus.FAILED_PRECONDITION && workflowNotReady.test(grpc.details));
    return transient ? `${error.message}: ${grpc.details} (gRPC ${grpc.code})` : undefined;
  }
  return undefined;
}

/**
 * The conversation cannot take the request right now (its workflow task is being retried after a
 * worker died, or Temporal is overloaded) and retries within the request's budget did not get
 * through; nothing was applied, and the same request (same clientMessageId) later will be. The API
 * answers 503 with Retry-After.
 */
export class ConversationUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(`the conversation cannot take the request right now; send it again shortly (${reason})`);
    this.name = 'ConversationUnavailableError';
  }
}
