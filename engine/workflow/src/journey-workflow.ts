import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  makeContinueAsNewFunc,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertMemo,
  workflowInfo,
} from '@temporalio/workflow';
import type { CompiledJourney, JsonValue } from '@baton/schemas';
import { builtinActivityNames } from '@baton/schemas/builtin-activity-names';
import {
  conversationSummary,
  conversationView,
  isSettled,
  migrateState,
  migrationVerdict,
  rejectionOf,
  repliesTo,
  runsVersion,
  startConversation,
  step,
  viewChanges,
  viewLengths,
  type ActivityCall,
  type ConversationEvent,
  type ConversationState,
  type ConversationViewChanges,
  type Effect,
  type ViewLengths,
} from '@baton/core/interpreter';
import {
  agentActionUpdate,
  closeUpdate,
  customerMessageUpdate,
  migrateUpdate,
  openedUpdate,
  stateQuery,
  surveyUpdate,
  type AgentAction,
  type JourneyWorkflowInput,
} from './definitions';
import { closedState, maxCloseMessageLength } from './close';
import { ticketSearchAttributes } from './ticket-search-attributes';

const maxMessageLength = 4000;
/** As @baton/schemas' invisibleCharacters (zero-width spaces and joiners…): a message of only these is empty. */
const invisibleCharacters = /[\u200B-\u200D\u2060\uFEFF\u00AD\u180E]/g;

function reasonOf(error: unknown): string {
  if (error instanceof ActivityFailure && error.cause) return error.cause.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * The heartbeat timeout of the activities Baton's workers run (docs/deploy.md: a worker killed with an
 * activity in flight cost a reply its 30 s startToCloseTimeout before the retry).
 */
const activityHeartbeatTimeoutMs = 5_000;

/** Runs one activity call of the interpreter with the node's own timeout and retry policy. */
async function runActivity(
  call: ActivityCall,
): Promise<{ ok: true; output: JsonValue } | { ok: false; error: string }> {
  const options = {
    startToCloseTimeout: call.timeoutSeconds * 1000,
    retry: {
      maximumAttempts: call.retry.maximumAttempts,
      initialInterval: call.retry.initialIntervalSeconds * 1000,
      backoffCoefficient: call.retry.backoffCoefficient,
      maximumInterval: call.retry.maximumIntervalSeconds * 1000,
    },
  };
  // Short in-process work (the embedded classifier) runs as a local activity: same retries, one
  // marker in history instead of three events, and no extra round trip before the reply.
  type Activities = Record<string, (input: unknown) => Promise<JsonValue>>;
  // The call id is stable across retries, replays and continue-as-new: activities derive idempotency keys from it.
  // An activity on a team's own task queue (taken from the catalog at compile time, so pinned with
  // the version): the node's timeout also bounds the wait for one of its workers, so a customer is
  // never stranded when none runs. Calls without one are scheduled exactly as before (replay).
  const elsewhere =
    call.taskQueue !== undefined && !call.local
      ? { taskQueue: call.taskQueue, scheduleToStartTimeout: call.timeoutSeconds * 1000 }
      : {};
  // On Baton's own task queue the worker heartbeats while an activity runs (workers/worker/src/heartbeat.ts),
  // so a worker killed mid-activity is noticed within the heartbeat timeout instead of the node's whole
  // timeout. Not on a team's queue: its workers may not heartbeat. Options only: replay-safe.
  const heartbeat =
    call.taskQueue === undefined && call.timeoutSeconds * 1000 > activityHeartbeatTimeoutMs
      ? { heartbeatTimeout: activityHeartbeatTimeoutMs }
      : {};
  const activities = call.local
    ? proxyLocalActivities<Activities>(options)
    : proxyActivities<Activities>({ ...options, ...elsewhere, ...heartbeat, activityId: call.callId });
  const activity = activities[call.activity] as (input: unknown) => Promise<JsonValue>;
  try {
    const output = await activity(call.input);
    return { ok: true, output: output ?? null };
  } catch (error) {
    return { ok: false, error: reasonOf(error) };
  }
}

/**
 * Past this size (JSON characters) an Update answers without its changes (the API then asks the
 * workflow): every answer stays in the history.
 */
const maxAnsweredChangesChars = 16 * 1024;

/** What an Update changed in the view, while small: the API projects it without a query. */
function answeredChanges(state: ConversationState, since: ViewLengths): { changes?: ConversationViewChanges } {
  const changes = viewChanges(state, since);
  return JSON.stringify(changes).length <= maxAnsweredChangesChars ? { changes } : {};
}

function agentEvent(action: AgentAction, at: number): ConversationEvent {
  switch (action.type) {
    case 'claim':
      return { type: 'agent_claimed', at, agent: action.agent };
    case 'message':
      return {
        type: 'agent_message',
        at,
        agent: action.agent,
        text: action.text,
        clientMessageId: action.clientMessageId,
      };
    case 'resolve':
      return {
        type: 'ticket_resolved',
        at,
        agent: action.agent,
        ...(action.resolution !== undefined && { resolution: action.resolution }),
      };
  }
}

/**
 * The one workflow type that runs every journey: a thin Temporal host around the pure interpreter.
 * Messages arrive as Updates and are answered with the bot's replies; waiting for the customer is a
 * `condition` with a timeout; activity calls carry the node's retry policy.
 */
export async function journeyWorkflow(input: JourneyWorkflowInput): Promise<ReturnType<typeof conversationView>> {
  // The version the conversation runs: the input's, until a `migrate` Update moves it to another.
  let journey = input.journey;
  const inbox: { event: ConversationEvent; seq: number }[] = [];
  let enqueued = 0;
  let processed = 0;
  // A count, not a flag: an SLA escalation runs in the background and may overlap another call.
  let activitiesInFlight = 0;
  let state: ConversationState;
  // A `close` Update's message (issue 16), until the loop ends the conversation with it; `finished`
  // once the final projection is written. Neither adds a command to a history without a close.
  let closing: string | null = null;
  let finished = false;

  const enqueue = (event: ConversationEvent): number => {
    enqueued += 1;
    inbox.push({ event, seq: enqueued });
    return enqueued;
  };
  const apply = (event: ConversationEvent): void => {
    const output = step(journey, state, event);
    state = output.state;
    perform(output.effects);
  };
  const perform = (effects: Effect[]): void => {
    for (const effect of effects) {
      if (effect.type !== 'call_activity') continue;
      activitiesInFlight += 1;
      void runActivity(effect).then((result) => {
        activitiesInFlight -= 1;
        enqueue({ type: 'activity_result', at: Date.now(), callId: effect.callId, ...result } as ConversationEvent);
      });
    }
  };
  const settledAfter = (seq: number) => () => processed >= seq && isSettled(state) && activitiesInFlight === 0;

  if (input.carried) {
    state = input.carried;
  } else {
    const started = startConversation(journey, {
      conversationId: input.conversationId,
      channel: input.channel,
      customer: input.customer,
      variables: input.variables,
      at: Date.now(),
    });
    state = started.state;
    perform(started.effects);
  }

  // A clarifying reply that names neither choice is now classified between the two (a new activity
  // call, kinds/classify/clarify.ts): conversations recorded before keep the old way when replayed.
  if (patched('clarify-reclassify')) {
    if (state.compat?.clarifyByTextOnly) state = { ...state, compat: { ...state.compat, clarifyByTextOnly: false } };
  } else {
    state = { ...state, compat: { ...state.compat, clarifyByTextOnly: true } };
  }

  // BatonTicketId and BatonStatus follow the ticket (behind a patched() marker, ticket-search-attributes.ts).
  const listTicket = ticketSearchAttributes();
  listTicket(state);

  setHandler(stateQuery, () => conversationView(state));

  setHandler(openedUpdate, async () => {
    await condition(settledAfter(0));
    return conversationView(state);
  });

  setHandler(
    customerMessageUpdate,
    async (message) => {
      const since = viewLengths(state);
      const duplicate = Object.prototype.hasOwnProperty.call(state.messageIds, message.clientMessageId);
      const seq = duplicate
        ? processed
        : enqueue({
            type: 'customer_message',
            at: Date.now(),
            text: message.text,
            clientMessageId: message.clientMessageId,
          });
      await condition(settledAfter(seq));
      // What changed travels with the answer, so the API projects it without a second round trip (a
      // query). Only the Update's result changes, no command: recorded histories replay as before.
      return {
        replies: repliesTo(state, message.clientMessageId),
        duplicate,
        conversation: conversationSummary(state),
        ...answeredChanges(state, since),
      };
    },
    {
      validator: (message) => {
        if (typeof message?.text !== 'string' || message.text.replace(invisibleCharacters, '').trim() === '')
          throw ApplicationFailure.nonRetryable('a message needs text', 'BadMessage');
        if (message.text.length > maxMessageLength)
          throw ApplicationFailure.nonRetryable(`a message has at most ${maxMessageLength} characters`, 'BadMessage');
        if (typeof message.clientMessageId !== 'string' || message.clientMessageId === '')
          throw ApplicationFailure.nonRetryable('a message needs a clientMessageId', 'BadMessage');
        if (state.status === 'ended')
          throw ApplicationFailure.nonRetryable('the conversation has ended', 'ConversationEnded');
      },
    },
  );

  setHandler(
    agentActionUpdate,
    async (action) => {
      const seq = enqueue(agentEvent(action, Date.now()));
      await condition(settledAfter(seq));
      return conversationSummary(state);
    },
    {
      validator: (action) => {
        const event = agentEvent(action, 0);
        if (
          event.type === 'agent_message' &&
          Object.prototype.hasOwnProperty.call(state.messageIds, `agent:${event.clientMessageId}`)
        )
          return;
        const rejected = rejectionOf(state, event);
        if (rejected) throw ApplicationFailure.nonRetryable(rejected, 'Rejected');
      },
    },
  );

  setHandler(
    surveyUpdate,
    async (answer) => {
      const since = viewLengths(state);
      const seq = enqueue({ type: 'survey_answered', at: Date.now(), ...answer });
      await condition(settledAfter(seq));
      // As a message's answer: the view's changes too, so the API needs no query (no command changes).
      return { ...conversationSummary(state), ...answeredChanges(state, since) };
    },
    {
      validator: (answer) => {
        const rejected = rejectionOf(state, { type: 'survey_answered', at: 0, ...answer });
        if (rejected) throw ApplicationFailure.nonRetryable(rejected, 'Rejected');
      },
    },
  );

  // Migration to another version of the journey, only while the conversation waits on the outside
  // world at a node the target has with compatible handles. The wait (and its deadline) is kept.
  const migrationRefusal = (to: CompiledJourney): string | undefined => {
    if (runsVersion(state, to)) return undefined;
    const verdict = migrationVerdict(state, journey, to);
    return verdict.movable ? undefined : verdict.reason;
  };
  setHandler(
    migrateUpdate,
    (to) => {
      if (runsVersion(state, to)) return conversationSummary(state);
      const refused = migrationRefusal(to);
      if (refused) throw ApplicationFailure.nonRetryable(refused, 'MigrationRefused');
      state = migrateState(state, to);
      journey = to;
      // The Temporal UI's memo names the version the conversation runs (only this path writes it, so old histories replay as before).
      upsertMemo({ journeyVersion: to.version });
      return conversationSummary(state);
    },
    {
      validator: (to) => {
        if (
          !to ||
          typeof to !== 'object' ||
          typeof to.id !== 'string' ||
          typeof to.version !== 'number' ||
          typeof to.hash !== 'string' ||
          !to.nodes
        ) {
          throw ApplicationFailure.nonRetryable('a migration needs a compiled journey', 'BadMigration');
        }
        const refused = migrationRefusal(to);
        if (refused) throw ApplicationFailure.nonRetryable(refused, 'MigrationRefused');
      },
    },
  );

  setHandler(
    closeUpdate,
    async (request) => {
      if (state.status !== 'ended') closing ??= request.message;
      await condition(() => finished);
      return conversationSummary(state);
    },
    {
      validator: (request) => {
        const message: unknown = request?.message;
        if (typeof message !== 'string' || message.trim() === '' || message.length > maxCloseMessageLength)
          throw ApplicationFailure.nonRetryable(
            `a close needs a message of 1 to ${maxCloseMessageLength} characters`,
            'BadClose',
          );
      },
    },
  );

  while (state.status !== 'ended') {
    if (closing !== null) {
      state = closedState(state, closing, Date.now());
      break;
    }
    if (inbox.length === 0) {
      const waiting = state.waiting;
      const until = waiting && 'until' in waiting ? waiting.until : null;
      if (until !== null && activitiesInFlight === 0) {
        const due = until - Date.now();
        const arrived = due > 0 ? await condition(() => inbox.length > 0 || closing !== null, due) : false;
        if (!arrived) enqueue({ type: 'timeout', at: Math.max(Date.now(), until) });
      } else {
        await condition(() => inbox.length > 0 || closing !== null);
      }
    }
    if (closing !== null) continue;
    const next = inbox.shift();
    if (!next) continue;
    apply(next.event);
    listTicket(state);
    processed = next.seq;

    // Long conversations start a fresh history at a quiet moment, carrying their state.
    if (workflowInfo().continueAsNewSuggested && inbox.length === 0 && isSettled(state) && activitiesInFlight === 0) {
      // A close waits for the end, so it must not hold the continue-as-new back (the loop ends instead).
      await condition(() => allHandlersFinished() || closing !== null);
      if (inbox.length === 0 && closing === null) {
        // A migrated conversation carries the version it runs now, and says so in the new run's memo.
        if (journey === input.journey) await continueAsNew<typeof journeyWorkflow>({ ...input, carried: state });
        else
          await makeContinueAsNewFunc<typeof journeyWorkflow>({
            memo: { journeyId: journey.id, journeyVersion: journey.version },
          })({ ...input, journey, carried: state });
      }
    }
  }

  const finish = proxyActivities<{ [builtinActivityNames.finishConversation]: (input: unknown) => Promise<unknown> }>({
    startToCloseTimeout: '30 seconds',
    heartbeatTimeout: activityHeartbeatTimeoutMs,
    retry: { maximumAttempts: 100, maximumInterval: '1 minute' },
  });
  await finish[builtinActivityNames.finishConversation]({ conversation: conversationView(state) });
  finished = true;
  await condition(allHandlersFinished);
  return conversationView(state);
}
