import type { NodeStep, Run } from '../../interpreter/run';

function takeReply(run: Run, variable: string, text: string) {
  run.state.vars[variable] = text;
  return { go: 'reply' } as const;
}

export const askStep: NodeStep<'ask'> = {
  enter(run, node) {
    run.say(run.render(node.data.prompt));
    // A message typed while the bot was busy answers this question at once.
    const early = run.state.buffered.shift();
    if (early !== undefined) return takeReply(run, node.data.variable, early);
    return { wait: { kind: 'reply', nodeId: node.id, until: run.at + node.data.timeoutSeconds * 1000 } };
  },
  resume(run, node, event) {
    if (event.type === 'customer_message') return takeReply(run, node.data.variable, event.text);
    if (event.type === 'timeout') {
      run.note('no reply in time');
      return { go: 'timeout' };
    }
    return undefined;
  },
};
