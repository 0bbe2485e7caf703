/**
 * Customer-facing Updates (start, message, survey) are sent again with the same update id while
 * Temporal answers "not now" (the real errors seen under worker kills, built with the SDK's own
 * classes: see src/client/transient.ts), and never when the conversation itself answered (ended,
 * bad input, the id is taken). A fake Temporal client records what was sent.
 */
import {
  ApplicationFailure,
  type Client,
  ServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import type { CompiledJourney } from '@baton/schemas';
import {
  ConversationExistsError,
  ConversationRejectedError,
  ConversationUnavailableError,
  Conversations,
  transientTemporalReason,
} from '../src/client';
import { grpcStatus } from '../src/client/transient';

/** A gRPC error as @grpc/grpc-js builds it (callErrorFromStatus): message, code, details, metadata. */
function grpcError(code: number, name: string, details: string): Error {
  return Object.assign(new Error(`${code} ${name}: ${details}`), { code, details, metadata: {} });
}

/** What the API got under worker SIGKILLs in `npm run chaos` (2026-12-06): the SDK's ServiceError around this cause. */
const workflowTaskFailed = () =>
  new ServiceError('Workflow Update failed', {
    cause: grpcError(
      grpcStatus.FAILED_PRECONDITION,
      'FAILED_PRECONDITION',
      'Unable to perform workflow execution update due to Workflow Task in failed state.',
    ),
  });
const aborted = () =>
  new ServiceError('Workflow Update failed', {
    cause: grpcError(grpcStatus.UNAVAILABLE, 'UNAVAILABLE', 'workflow update was aborted'),
  });
const rpcTimeout = () =>
  new WorkflowUpdateRPCTimeoutOrCancelledError('context deadline exceeded', {
    cause: grpcError(grpcStatus.DEADLINE_EXCEEDED, 'DEADLINE_EXCEEDED', 'context deadline exceeded'),
  });

const transient = () =>
  new WorkflowUpdateFailedError(
    'Workflow Update failed',
    ApplicationFailure.create({
      message:
        "Workflow Update is rejected because it wasn't processed by worker. Probably, Workflow Update is not supported by the worker.",
    }),
  );
const refused = (message: string) =>
  new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.create({ message, nonRetryable: true }));

interface Sent {
  updateId: string | undefined;
  startRequest?: unknown;
  conflictPolicy?: unknown;
}

/** A fake client whose Updates throw the given errors in turn, then answer `answer`. */
function fakeClient(failures: Error[], options: { memoOnDescribe?: () => unknown; running?: boolean } = {}) {
  const sent: Sent[] = [];
  const answer = { status: 'waiting' };
  const next = () => {
    const failure = failures.shift();
    if (failure) throw failure;
    return answer;
  };
  const handle = {
    executeUpdate: async (_update: unknown, { updateId }: { updateId?: string }) => {
      sent.push({ updateId });
      return next();
    },
    query: async () => next(),
    describe: async () => ({
      status: { name: options.running === false ? 'COMPLETED' : 'RUNNING' },
      memo: { journeyId: 'j', startRequest: options.memoOnDescribe?.() },
    }),
  };
  const client = {
    workflow: {
      getHandle: () => handle,
      executeUpdateWithStart: async (
        _update: unknown,
        {
          updateId,
          startWorkflowOperation,
        }: { updateId?: string; startWorkflowOperation: { options: Record<string, unknown> } },
      ) => {
        const memo = startWorkflowOperation.options.memo as { startRequest?: unknown };
        sent.push({
          updateId,
          startRequest: memo.startRequest,
          conflictPolicy: startWorkflowOperation.options.workflowIdConflictPolicy,
        });
        return next();
      },
    },
  } as unknown as Client;
  // Short pauses and budget: the retry loop's shape, not its timing, is under test.
  const retry = { budgetMs: 400, firstPauseMs: 5, maxPauseMs: 20 };
  return { conversations: new Conversations(client, 'baton', () => undefined, retry), sent, answer };
}

const journey = { id: 'j', version: 1 } as unknown as CompiledJourney;
const startInput = { conversationId: 'c1', journey, customer: { id: 'x' }, variables: {}, channel: 'web' };

describe('retrying customer-facing Updates', () => {
  it('sends a survey answer again with the same update id after a transient rejection', async () => {
    const { conversations, sent, answer } = fakeClient([transient()]);
    await expect(conversations.answerSurvey('c1', { ces: 6, csat: 5 })).resolves.toBe(answer);
    expect(sent).toHaveLength(2);
    expect(sent[0]?.updateId).toMatch(/^survey:/);
    expect(sent[1]?.updateId).toBe(sent[0]?.updateId);
  });

  it('does not retry a real rejection of the survey (the conversation answered)', async () => {
    const { conversations, sent } = fakeClient([refused('no survey is waiting')]);
    await expect(conversations.answerSurvey('c1', { ces: 6, csat: 5 })).rejects.toThrow(
      new ConversationRejectedError('no survey is waiting'),
    );
    expect(sent).toHaveLength(1);
  });

  it('sends a message again with its own update id, and answers a lasting "not now" as unavailable (503)', async () => {
    const once = fakeClient([transient()]);
    await once.conversations.sendMessage('c1', { clientMessageId: 'm1', text: 'hi' });
    expect(once.sent.map((sent) => sent.updateId)).toEqual(['customer:m1', 'customer:m1']);
    const always = fakeClient(Array.from({ length: 1000 }, () => workflowTaskFailed()));
    await expect(always.conversations.sendMessage('c1', { clientMessageId: 'm2', text: 'hi' })).rejects.toBeInstanceOf(
      ConversationUnavailableError,
    );
    expect(always.sent.length).toBeGreaterThan(3);
    expect(new Set(always.sent.map((sent) => sent.updateId))).toEqual(new Set(['customer:m2']));
  });

  it.each([
    ['FAILED_PRECONDITION "Workflow Task in failed state" (the chaos run\'s 500s)', workflowTaskFailed],
    ['UNAVAILABLE "workflow update was aborted"', aborted],
    ['WorkflowUpdateRPCTimeoutOrCancelledError', rpcTimeout],
  ])('sends a message again with the same update id after %s', async (_name, failure) => {
    const { conversations, sent, answer } = fakeClient([failure(), failure(), failure(), failure()]);
    await expect(conversations.sendMessage('c1', { clientMessageId: 'm3', text: 'hi' })).resolves.toBe(answer);
    expect(sent.map((each) => each.updateId)).toEqual(Array.from({ length: 5 }, () => 'customer:m3'));
  });

  it('tells "not now" from other failures', () => {
    expect(transientTemporalReason(workflowTaskFailed())).toContain('Workflow Task in failed state');
    expect(transientTemporalReason(aborted())).toContain('gRPC 14');
    expect(transientTemporalReason(rpcTimeout())).toContain('WorkflowUpdateRPCTimeoutOrCancelledError');
    expect(transientTemporalReason(transient())).toContain("wasn't processed by worker");
    // A refusal by the workflow, another precondition, a bug: not transient.
    expect(transientTemporalReason(refused('no survey is waiting'))).toBeUndefined();
    const otherPrecondition = new ServiceError('Workflow Update failed', {
      cause: grpcError(grpcStatus.FAILED_PRECONDITION, 'FAILED_PRECONDITION', 'namespace is not active'),
    });
    expect(transientTemporalReason(otherPrecondition)).toBeUndefined();
    expect(transientTemporalReason(new TypeError('x is undefined'))).toBeUndefined();
  });

  it('answers a query no worker answered in time as unavailable (503), not as an unknown error', async () => {
    const queryTimeout = new ServiceError('Failed to query Workflow', {
      cause: grpcError(
        grpcStatus.DEADLINE_EXCEEDED,
        'DEADLINE_EXCEEDED',
        'query timed out before a worker could process it',
      ),
    });
    const { conversations } = fakeClient([queryTimeout]);
    await expect(conversations.get('c1')).rejects.toBeInstanceOf(ConversationUnavailableError);
  });

  it('sends an unexpected failure three times in all, then lets it through as it is', async () => {
    const bug = () => new TypeError('x is undefined');
    const { conversations, sent } = fakeClient([bug(), bug(), bug(), bug()]);
    await expect(conversations.sendMessage('c1', { clientMessageId: 'm4', text: 'hi' })).rejects.toBeInstanceOf(
      TypeError,
    );
    expect(sent).toHaveLength(3);
  });

  it('sends the start again with the same update id and start request after a transient rejection', async () => {
    const { conversations, sent, answer } = fakeClient([transient()]);
    await expect(conversations.start(startInput, { onExisting: 'refuse' })).resolves.toBe(answer);
    expect(sent).toHaveLength(2);
    expect(sent[0]?.updateId).toMatch(/^opened:/);
    expect(sent[1]).toEqual(sent[0]);
    expect(sent[0]?.conflictPolicy).toBe('FAIL');
  });

  it('finishes its own start when the first attempt started the workflow but its Update was given up', async () => {
    const { conversations, sent, answer } = fakeClient(
      [transient(), new WorkflowExecutionAlreadyStartedError('already started', 'c1', 'journeyWorkflow')],
      // The run's memo carries the start request its first attempt sent.
      { memoOnDescribe: () => sent[0]?.startRequest },
    );
    const started = conversations.start(startInput, { onExisting: 'refuse' });
    await expect(started).resolves.toBe(answer);
    expect(sent.map((each) => each.updateId)).toEqual([sent[0]?.updateId, sent[0]?.updateId, sent[0]?.updateId]);
  });

  it('does not retry a start whose id another start holds, running or ended', async () => {
    const running = fakeClient([new WorkflowExecutionAlreadyStartedError('already started', 'c1', 'journeyWorkflow')], {
      memoOnDescribe: () => 'someone else',
    });
    await expect(running.conversations.start(startInput, { onExisting: 'refuse' })).rejects.toMatchObject({
      constructor: ConversationExistsError,
      ended: false,
    });
    expect(running.sent).toHaveLength(1);
    const ended = fakeClient([new WorkflowExecutionAlreadyStartedError('already started', 'c1', 'journeyWorkflow')], {
      running: false,
    });
    await expect(ended.conversations.start(startInput)).rejects.toMatchObject({ ended: true, journeyId: 'j' });
    expect(ended.sent).toHaveLength(1);
  });
});
