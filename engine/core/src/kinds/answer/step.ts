import type { JsonValue } from '@baton/schemas';
import { builtinActivityNames } from '@baton/schemas/builtin-activity-names';
import type { NodeStep, Run, Transition } from '../../interpreter/run';

export interface AnswerResult {
  answer: string;
  article: { articleId: string; title: string; link: string };
  score: number;
}

const text = (value: JsonValue | undefined): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value : null;

/** Reads the activity's answer defensively: anything odd counts as no answer (the node takes `unsure`). */
export function readAnswer(output: JsonValue): AnswerResult | null {
  if (output === null || typeof output !== 'object' || Array.isArray(output)) return null;
  if (output.status !== 'answered') return null;
  const answer = text(output.answer);
  const article = output.article;
  if (!answer || article === null || typeof article !== 'object' || Array.isArray(article)) return null;
  const articleId = text(article.articleId);
  const title = text(article.title);
  const link = text(article.link);
  if (!articleId || !title || !link) return null;
  const score =
    typeof output.score === 'number' && Number.isFinite(output.score) ? Math.min(1, Math.max(0, output.score)) : 0;
  return { answer, article: { articleId, title, link }, score };
}

const yes =
  /^\s*(y|yes|yeah|yep|yup|ok|okay|sure|thanks|thank you|it did|that did|that helped|it helped|perfect|great|solved|resolved)\b/i;
const no = /\b(no|nope|nah|not|didn'?t|doesn'?t|did not|does not|wrong|still)\b/i;

/** A reply to "Did that answer your question?": true (yes), false (no, or anything else: the customer still needs help). */
export function confirmedBy(reply: string): boolean {
  return yes.test(reply) && !no.test(reply);
}

function unsure(run: Run, variable: string | undefined, why: string): Transition {
  if (variable) run.state.vars[variable] = null;
  run.state.counters.lowConfidence += 1;
  run.note(why);
  return { go: 'unsure' };
}

function takeConfirmation(run: Run, reply: string): Transition {
  if (confirmedBy(reply)) {
    run.note('the customer confirmed the answer');
    return { go: 'resolved' };
  }
  run.note('the answer did not help');
  return { go: 'not_resolved' };
}

export const answerStep: NodeStep<'answer'> = {
  enter(run, node) {
    const question = run.render(node.data.question).trim();
    if (question === '') return unsure(run, node.data.variable, 'no question to answer');
    const name = run.state.customer.name;
    // Articles in the customer's language (or without one) when the customer has a locale.
    const locale = run.state.customer.locale;
    return run.call(
      node.id,
      builtinActivityNames.answer,
      {
        question,
        minConfidence: node.data.minConfidence,
        journeyId: run.journey.id,
        ...(node.data.tags && node.data.tags.length > 0 && { tags: node.data.tags }),
        ...(typeof name === 'string' && name !== '' && { customerName: name }),
        ...(typeof locale === 'string' && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(locale) && { locale }),
      },
      {
        timeoutSeconds: node.data.timeoutSeconds,
        retry: { maximumAttempts: 2, initialIntervalSeconds: 1, backoffCoefficient: 2, maximumIntervalSeconds: 5 },
        local: true,
      },
      'node',
    );
  },
  resume(run, node, event) {
    const confirm = node.data.confirm;
    if (event.type === 'activity_result') {
      const result = event.ok ? readAnswer(event.output) : null;
      if (!event.ok) {
        // A failing or slow knowledge base never strands a customer: `unsure` leads on (usually to a person).
        run.state.counters.failures += 1;
        return unsure(run, node.data.variable, `the knowledge base failed: ${event.error}`);
      }
      if (!result) return unsure(run, node.data.variable, 'no article answers the question');
      if (result.score < node.data.minConfidence)
        return unsure(
          run,
          node.data.variable,
          `best article ${result.article.articleId} (${result.score.toFixed(2)}) below ${node.data.minConfidence}`,
        );
      run.say(`${result.answer}\n\n${result.article.title}: ${result.article.link}`);
      if (node.data.variable) run.state.vars[node.data.variable] = { ...result.article, score: result.score };
      run.note(`answered from ${result.article.articleId} (${result.score.toFixed(2)})`);
      if (!confirm) return { go: 'answered' };
      // The widget shows them as buttons; typed words are read the same way (confirmedBy).
      run.say(run.render(confirm.prompt), 'bot', { quickReplies: ['Yes', 'No'] });
      // A message typed before the answer showed is no verdict on it: it stays buffered for a later question.
      return { wait: { kind: 'reply', nodeId: node.id, until: run.at + confirm.timeoutSeconds * 1000 } };
    }
    if (event.type === 'customer_message' && run.state.waiting?.kind === 'reply')
      return takeConfirmation(run, event.text);
    if (event.type === 'timeout' && run.state.waiting?.kind === 'reply') {
      run.note('no reply to the confirmation');
      return { go: 'answered' };
    }
    return undefined;
  },
};
