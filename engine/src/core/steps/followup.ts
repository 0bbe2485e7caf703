import type { NodeStep } from '../run';

const quickRetry = { maximumAttempts: 10, initialIntervalSeconds: 1, backoffCoefficient: 2, maximumIntervalSeconds: 30 };

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
      return run.call(node.id, 'baton.sendTranscript', { conversationId: run.state.conversationId, customer: run.state.customer, transcript }, { timeoutSeconds: 30, retry: quickRetry }, 'send_transcript');
    }
    return askSurvey(run, node);
  },
  resume(run, node, event) {
    const waiting = run.state.waiting;
    if (event.type === 'activity_result' && waiting?.kind === 'activity') {
      if (waiting.purpose === 'send_transcript') {
        run.note(event.ok ? 'transcript sent' : `transcript not sent: ${event.error}`);
        return askSurvey(run, node);
      }
      if (waiting.purpose === 'record_survey') {
        if (!event.ok) run.note(`survey not stored: ${event.error}`);
        return { go: 'answered' };
      }
    }
    if (event.type === 'survey_answered') {
      const answer = { at: event.at, ...(event.ces !== undefined && { ces: event.ces }), ...(event.csat !== undefined && { csat: event.csat }), ...(event.comment !== undefined && { comment: event.comment }) };
      run.state.survey = answer;
      run.note(`survey answered${event.ces !== undefined ? ` CES ${event.ces}` : ''}${event.csat !== undefined ? ` CSAT ${event.csat}` : ''}`);
      return run.call(node.id, 'baton.recordSurvey', { conversationId: run.state.conversationId, journey: run.state.journey, customerId: run.state.customer.id, ...answer }, { timeoutSeconds: 30, retry: quickRetry }, 'record_survey');
    }
    if (event.type === 'timeout') {
      run.note('no survey answer');
      return { go: 'timeout' };
    }
    return undefined;
  },
};

function askSurvey(run: Parameters<NonNullable<NodeStep<'followup'>['resume']>>[0], node: Parameters<NodeStep<'followup'>['enter']>[1]) {
  run.say(surveyQuestion(node.data.ces, node.data.csat));
  return { wait: { kind: 'survey' as const, nodeId: node.id, until: run.at + node.data.responseTimeoutSeconds * 1000 } };
}
