import type { JsonValue } from '@baton/schemas';
import { builtinActivityNames } from '@baton/schemas/builtin-activity-names';
import type { CompiledNodeOfKind, NodeStep, Run, Transition } from '../../interpreter/run';

type FollowupNode = CompiledNodeOfKind<'followup'>;

const quickRetry = {
  maximumAttempts: 10,
  initialIntervalSeconds: 1,
  backoffCoefficient: 2,
  maximumIntervalSeconds: 30,
};

function surveyQuestion(ces: boolean, csat: boolean): string {
  const parts: string[] = [];
  if (ces) parts.push('how easy it was to handle your issue (1 = very hard, 7 = very easy)');
  if (csat) parts.push('how satisfied are you (1 to 5)');
  return parts.length ? `Please tell us ${parts.join(', and ')}.` : '';
}

export const followupStep: NodeStep<'followup'> = {
  enter(run, node) {
    run.say(run.render(node.data.message));
    if (node.data.sendTranscript) {
      const transcript = run.state.transcript.map((entry) => ({ from: entry.from, text: entry.text, at: entry.at }));
      // A follow-up reached again (after a reopened ticket) sends a new transcript, not a duplicate of the first.
      const visit = run.state.counters.visits[node.id] ?? 1;
      const input = {
        conversationId: run.state.conversationId,
        customer: run.state.customer,
        transcript,
        ...(visit > 1 && { sequence: visit }),
      };
      return run.call(
        node.id,
        builtinActivityNames.sendTranscript,
        input,
        { timeoutSeconds: 30, retry: quickRetry },
        'send_transcript',
      );
    }
    return afterTranscript(run, node);
  },
  resume(run, node, event) {
    const waiting = run.state.waiting;
    if (event.type === 'activity_result' && waiting?.kind === 'activity') {
      if (waiting.purpose === 'send_transcript') {
        run.note(event.ok ? 'transcript sent' : `transcript not sent: ${event.error}`);
        return afterTranscript(run, node);
      }
      if (waiting.purpose === 'followup_check')
        return afterCheck(run, node, event.ok ? event.output : null, event.ok ? undefined : event.error);
      if (waiting.purpose === 'record_survey') {
        if (!event.ok) run.note(`survey not stored: ${event.error}`);
        return { go: 'answered' };
      }
    }
    if (event.type === 'survey_answered') {
      const answer = {
        at: event.at,
        ...(event.ces !== undefined && { ces: event.ces }),
        ...(event.csat !== undefined && { csat: event.csat }),
        ...(event.comment !== undefined && { comment: event.comment }),
      };
      run.state.survey = answer;
      run.note(
        `survey answered${event.ces !== undefined ? ` CES ${event.ces}` : ''}${event.csat !== undefined ? ` CSAT ${event.csat}` : ''}`,
      );
      return run.call(
        node.id,
        builtinActivityNames.recordSurvey,
        {
          conversationId: run.state.conversationId,
          journey: run.state.journey,
          customerId: run.state.customer.id,
          ...answer,
        },
        { timeoutSeconds: 30, retry: quickRetry },
        'record_survey',
      );
    }
    if (event.type === 'timeout' && waiting?.kind === 'timer') return checkBeforeSurvey(run, node);
    if (event.type === 'timeout') {
      run.note('no survey answer');
      return { go: 'timeout' };
    }
    return undefined;
  },
};

/** Follow-ups that use any of the newer fields check before asking; the others ask at once, as they always did. */
function checksFirst(node: FollowupNode): boolean {
  return (
    node.data.surveyDelaySeconds !== undefined ||
    node.data.surveyLimitDays !== undefined ||
    node.data.relatedArticles !== undefined
  );
}

function afterTranscript(run: Run, node: FollowupNode): Transition {
  if (!checksFirst(node)) return askSurvey(run, node);
  const delay = node.data.surveyDelaySeconds ?? 0;
  // The delay is a Temporal timer (the workflow's wait); a customer reply meanwhile reopens a resolved ticket.
  if (delay > 0) return { wait: { kind: 'timer', nodeId: node.id, until: run.at + delay * 1000 } };
  return checkBeforeSurvey(run, node);
}

function checkBeforeSurvey(run: Run, node: FollowupNode): Transition {
  const state = run.state;
  const topic = state.intent?.name ?? state.transcript.find((entry) => entry.from === 'customer')?.text ?? '';
  return run.call(
    node.id,
    builtinActivityNames.followupCheck,
    {
      conversationId: state.conversationId,
      customerId: state.customer.id,
      ...(node.data.surveyLimitDays !== undefined && { surveyLimitDays: node.data.surveyLimitDays }),
      relatedArticles: node.data.relatedArticles === true,
      topic: topic.slice(0, 500),
      at: run.at,
    },
    { timeoutSeconds: 30, retry: quickRetry },
    'followup_check',
  );
}

function afterCheck(run: Run, node: FollowupNode, output: JsonValue, error: string | undefined): Transition {
  // A failed check never costs the customer the survey: ask anyway.
  if (output === null || typeof output !== 'object' || Array.isArray(output)) {
    run.note(`follow-up check failed: ${error ?? 'no answer'}`);
    return askSurvey(run, node);
  }
  const articles = Array.isArray(output.articles)
    ? output.articles.filter((title): title is string => typeof title === 'string').slice(0, 3)
    : [];
  if (articles.length) {
    run.state.articles = articles;
    run.say(`You may find these articles helpful: ${articles.join('; ')}.`);
  }
  if (output.surveyAllowed === false) {
    run.note(
      `survey skipped: ${typeof output.reason === 'string' ? output.reason : 'the customer was surveyed recently'}`,
    );
    return { go: 'timeout' };
  }
  return askSurvey(run, node);
}

function askSurvey(run: Run, node: FollowupNode) {
  run.say(surveyQuestion(node.data.ces, node.data.csat));
  return {
    wait: { kind: 'survey' as const, nodeId: node.id, until: run.at + node.data.responseTimeoutSeconds * 1000 },
  };
}
