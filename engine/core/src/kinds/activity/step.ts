import type { JsonValue } from '@baton/schemas';
import { evaluateRule } from '../../interpreter/rules';
import type { NodeStep } from '../../interpreter/run';
import { toJsonValue } from '../set/step';

/**
 * The note quotes the output, cut at 117 characters. The workflow knows no secrets: the staff view
 * hides them in the note afterwards, a secret the cut left half-written too (interpreter/view.ts scrubNote).
 */
function summarise(output: JsonValue): string {
  const text = JSON.stringify(output);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

export const activityStep: NodeStep<'activity'> = {
  enter(run, node) {
    const context = run.context();
    const input: { [key: string]: JsonValue } = {};
    for (const [field, expression] of Object.entries(node.data.input))
      input[field] = toJsonValue(evaluateRule(expression, context));
    return run.call(
      node.id,
      node.data.activity,
      input,
      { timeoutSeconds: node.data.timeoutSeconds, retry: node.data.retry, taskQueue: node.data.taskQueue },
      'node',
    );
  },
  resume(run, node, event) {
    if (event.type !== 'activity_result') return undefined;
    if (!event.ok) {
      run.state.counters.failures += 1;
      run.note(`${node.data.activity} failed: ${event.error}`);
      return { go: 'error' };
    }
    if (node.data.output) run.state.vars[node.data.output] = event.output;
    run.note(`${node.data.activity} → ${summarise(event.output)}`);
    return { go: 'ok' };
  },
};
