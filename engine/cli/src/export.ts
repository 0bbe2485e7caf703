/**
 * `baton export conversations --from … --to … [--journey ID] [--out FILE]`: the stored conversations
 * that started in [from, to) as JSON lines (GET /api/conversations/export, admins only), streamed
 * line by line to FILE or stdout, so memory stays bounded whatever the range. A progress line on
 * stderr (count and rate): rewritten in place on a terminal, plain lines every few seconds otherwise.
 * With --out the lines go to FILE.partial, renamed to FILE only when the whole export arrived.
 */
import { createWriteStream, renameSync, type WriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { apiBase, apiKeyFor, problemText } from './http';
import { CliError, displayPath, type Io } from './io';

export interface ExportOptions {
  from: string;
  to: string;
  journey?: string;
  out?: string;
  api?: string;
}

/** Where the progress line goes: a terminal is rewritten in place, anything else gets plain lines. */
export interface ProgressTerminal {
  isTTY: boolean;
  write(text: string): void;
}

const processStderr = (): ProgressTerminal => ({
  isTTY: Boolean(process.stderr.isTTY),
  write: (text) => process.stderr.write(text),
});

/** An ISO 8601 date (midnight UTC) or date-time with its offset, on a day that exists, as the API takes it. */
function instant(option: string, text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/.exec(text);
  const [year, month, day] = [Number(match?.[1]), Number(match?.[2]), Number(match?.[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  const at = match && real ? Date.parse(text) : NaN;
  if (!Number.isFinite(at))
    throw new CliError(
      `--${option}: "${text}" is not an ISO 8601 date or a date-time with its offset (e.g. 2026-01-31 or 2026-01-31T12:00:00Z)`,
      2,
    );
  return at;
}

class Progress {
  private readonly started = Date.now();
  private shownAt = this.started;
  constructor(
    private readonly terminal: ProgressTerminal,
    private readonly io: Io,
  ) {}

  private line(count: number): string {
    const seconds = (Date.now() - this.started) / 1000;
    const rate = seconds > 0 ? Math.round(count / seconds) : count;
    return `${count} conversation${count === 1 ? '' : 's'} exported (${rate}/s)`;
  }

  tick(count: number): void {
    const now = Date.now();
    // A terminal is redrawn up to 10 times a second; a log gets a line every 5 seconds.
    if (now - this.shownAt < (this.terminal.isTTY ? 100 : 5000)) return;
    this.shownAt = now;
    if (this.terminal.isTTY) this.terminal.write(`\r\u001b[K${this.line(count)}`);
    else this.io.err(this.line(count));
  }

  done(count: number, where: string): void {
    if (this.terminal.isTTY) this.terminal.write('\r\u001b[K');
    this.io.err(`${this.line(count)} to ${where}`);
  }
}

function waitDrain(stream: WriteStream): Promise<void> {
  return new Promise((resolveDrain, reject) => {
    const onDrain = () => {
      stream.off('error', onError);
      resolveDrain();
    };
    const onError = (error: Error) => {
      stream.off('drain', onDrain);
      reject(error);
    };
    stream.once('drain', onDrain);
    stream.once('error', onError);
  });
}

export async function runExportConversations(
  options: ExportOptions,
  io: Io,
  terminal: ProgressTerminal = processStderr(),
): Promise<number> {
  const from = instant('from', options.from);
  const to = instant('to', options.to);
  if (!(from < to)) throw new CliError(`--to must be after --from (${options.from} .. ${options.to})`, 2);
  const base = apiBase(options.api, io);
  const query = new URLSearchParams({ from: options.from, to: options.to });
  if (options.journey !== undefined) query.set('journeyId', options.journey);
  const url = `${base}/api/conversations/export?${query.toString()}`;
  const key = apiKeyFor(url);
  let response: Response;
  try {
    response = await fetch(url, {
      headers: {
        accept: 'application/x-ndjson, application/problem+json',
        ...(key && { authorization: `Bearer ${key}` }),
      },
    });
  } catch (error) {
    const cause =
      error instanceof Error ? `: ${error.cause instanceof Error ? error.cause.message : error.message}` : '';
    throw new CliError(`cannot reach the Baton API at ${new URL(url).origin}${cause} (set --api or BATON_API_URL)`, 1);
  }
  if (!response.ok || !response.body) {
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      // Not JSON: the text is the message.
    }
    const problem = problemText({ status: response.status, body });
    const hint = response.status === 403 ? '\n(exporting conversations needs the `admin` role)' : '';
    throw new CliError(`the export failed: ${problem}${hint}`, response.status === 400 ? 2 : 1);
  }

  const file = options.out === undefined ? undefined : resolve(io.cwd, options.out);
  const partial = file && `${file}.partial`;
  const stream = partial ? createWriteStream(partial) : undefined;
  const emit = async (line: string) => {
    if (!stream) return io.out(line);
    if (!stream.write(`${line}\n`)) await waitDrain(stream);
  };
  const progress = new Progress(terminal, io);
  let count = 0;
  let rest = '';
  const decoder = new TextDecoder();
  const take = async (line: string) => {
    if (!line.trim()) return;
    try {
      JSON.parse(line);
    } catch {
      throw new CliError(`the API sent a line that is not JSON after ${count} conversations: ${line.slice(0, 200)}`, 1);
    }
    await emit(line);
    count += 1;
    progress.tick(count);
  };
  try {
    for await (const chunk of response.body) {
      rest += decoder.decode(chunk as Uint8Array, { stream: true });
      let newline = rest.indexOf('\n');
      while (newline >= 0) {
        await take(rest.slice(0, newline));
        rest = rest.slice(newline + 1);
        newline = rest.indexOf('\n');
      }
    }
    await take(rest + decoder.decode());
  } catch (error) {
    // The lines that arrived are kept (flushed) in FILE.partial; FILE is never written.
    if (stream) await new Promise<void>((done) => stream.end(() => done()));
    if (error instanceof CliError) throw error;
    const where = partial ? ` (${count} lines kept in ${displayPath(partial, io.cwd)})` : '';
    throw new CliError(`the export was cut off after ${count} conversations${where}: ${(error as Error).message}`, 1);
  }
  if (stream && file && partial) {
    await new Promise<void>((resolveEnd, reject) =>
      stream.end((error?: Error | null) => (error ? reject(error) : resolveEnd())),
    );
    renameSync(partial, file);
  }
  progress.done(count, file ? displayPath(file, io.cwd) : 'stdout');
  return 0;
}
