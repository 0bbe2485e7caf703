/**
 * `baton triage [--model MODEL] [FILE]`: JSON lines `{"text": …}` from FILE or stdin → one JSON line
 * per input with intent (null when out of scope), confidence, outOfScope, sentiment, escalate and
 * reasons (the built-in triage model, or MODEL from `baton triage train`). A bad line prints
 * `{"line": n, "error": …}` and makes the exit code 1 once every line is done.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { CliError, type Io } from './io';
import { embeddingsFor, loadModelFile } from './triage-train';

export const TriageInput = z.object({
  text: z.string().min(1, 'must not be empty').max(4000, 'must be at most 4000 characters'),
});

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

export async function runTriage(
  file: string | undefined,
  io: Io,
  stdin: () => Promise<string> = readStdin,
  options: { model?: string } = {},
): Promise<number> {
  // A bad model file stops before any input is read.
  const model = options.model ? loadModelFile(options.model, io) : undefined;
  let source: string;
  if (file && file !== '-') {
    try {
      source = readFileSync(resolve(io.cwd, file), 'utf8');
    } catch (error) {
      throw new CliError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, 2);
    }
  } else {
    source = await stdin();
  }
  // Loaded on first use: the model is only needed by this command.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { triage } = require('@baton/ai/triage') as typeof import('@baton/ai/triage');
  let code = 0;
  const lines = source.split(/\r?\n/);
  const answers: ({ text: string } | { error: string })[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const number = index + 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      answers.push({ error: JSON.stringify({ line: number, error: `line ${number}: not JSON` }) });
      code = 1;
      return;
    }
    const parsed = TriageInput.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue ? `/${issue.path.join('/')}` : '/';
      answers.push({
        error: JSON.stringify({ line: number, error: `line ${number}: ${where}: ${issue?.message ?? 'invalid'}` }),
      });
      code = 1;
      return;
    }
    answers.push({ text: parsed.data.text });
  });
  // A model with embeddings embeds every text first (in batches); others need none.
  const texts = answers.flatMap((answer) => ('text' in answer ? [answer.text] : []));
  const embeddings = model && options.model ? await embeddingsFor(model, texts, options.model) : [];
  let next = 0;
  for (const answer of answers) {
    if ('error' in answer) io.out(answer.error);
    else {
      io.out(JSON.stringify(triage(answer.text, model, embeddings[next])));
      next += 1;
    }
  }
  return code;
}
