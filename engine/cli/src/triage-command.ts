/** Wiring of `baton triage train` and `baton triage eval` under the `triage` command. */
import type { Command } from 'commander';
import type { Io } from './io';
import { runTriageEval, runTriageTrain, type EvalCommandOptions, type TrainCommandOptions } from './triage-train';

type Run = (action: () => number | Promise<number>) => () => Promise<void>;

export function registerTriageTraining(triage: Command, run: Run, io: Io): void {
  triage
    .command('train')
    .description(
      'train a triage model on labelled messages (CSV with text/instruction and intent/category/label columns, or JSON lines {"text","intent"}); rows labelled out_of_scope teach what is out of scope; prints held-out figures and the out-of-scope threshold',
    )
    .argument('<data...>', 'CSV or JSON-lines files')
    .requiredOption('--out <file>', 'where to write the model file')
    .option('--validation <file>', 'held-out rows to choose the out-of-scope threshold on (default: cross-validation)')
    .option('--folds <n>', 'folds of the cross-validation', '5')
    .option(
      '--with-corrections',
      "also learn the agents' intent corrections stored by a running API (those labelled with an intent of the data)",
    )
    .option('--journey <id>', 'with --with-corrections: only the corrections made in this journey')
    .option('--api <url>', 'API base URL (default $BATON_API_URL or http://127.0.0.1:4000)')
    .option(
      '--embeddings <kind>',
      'also weigh a sentence embedding of each text: minilm (all-MiniLM-L6-v2 from scripts/minilm-model.sh; slower, more accurate)',
    )
    .option(
      '--oos-threshold <auto|0..1>',
      'the confidence under which a message is out of scope: auto (chosen on the held-out predictions) or a number; 0 never turns a message away unless out_of_scope wins',
      'auto',
    )
    .action((data: string[], options: TrainCommandOptions) => run(() => runTriageTrain(data, options, io))());

  triage
    .command('eval')
    .description('measure a model on labelled messages; exit 1 below --min-accuracy or --min-oos-recall')
    .argument('<data>', 'CSV or JSON-lines file')
    .requiredOption('--model <file>', 'a model file from `baton triage train`')
    .option('--min-accuracy <percent>', 'exit 1 when accuracy is below this')
    .option('--min-oos-recall <percent>', 'exit 1 when out-of-scope recall is below this')
    .action((data: string, options: EvalCommandOptions) => run(() => runTriageEval(data, options, io))());
}
