/** The probe's HTTP client and its record of attempts: plain fetch against a running API, nothing in-process. */

export interface Answer {
  /** 0 when the request failed or timed out (a hang is a hole). */
  status: number;
  contentType: string;
  headers: Headers;
  text: string;
  json: unknown;
}

export interface CallOptions {
  headers?: Record<string, string>;
  /** A value to send as JSON, or raw bytes / text sent as they are (with `contentType`). */
  json?: unknown;
  raw?: string | Uint8Array;
  contentType?: string;
  timeoutMs?: number;
}

export async function call(api: string, method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | Uint8Array | undefined;
  if (options.raw !== undefined) {
    body = options.raw;
    headers['content-type'] = options.contentType ?? 'application/json';
  } else if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] = 'application/json';
  }
  try {
    const res = await fetch(new URL(path, api), {
      method: method.toUpperCase(),
      headers,
      ...(body !== undefined && { body }),
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
    const contentType = res.headers.get('content-type') ?? '';
    // An event stream stays open: its status and headers are the answer.
    if (contentType.startsWith('text/event-stream')) {
      await res.body?.cancel();
      return { status: res.status, contentType, headers: res.headers, text: '', json: undefined };
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, contentType, headers: res.headers, text, json };
  } catch (error) {
    return { status: 0, contentType: '', headers: new Headers(), text: String(error), json: undefined };
  }
}

export interface Hole {
  category: string;
  method: string;
  path: string;
  role: string;
  status: number;
  want: string;
  detail?: string;
}

/** Attempts, holds and holes per category. */
export class Tally {
  readonly categories = new Map<string, { attempts: number; held: number }>();
  readonly holes: Hole[] = [];

  record(hole: Hole, held: boolean): void {
    const entry = this.categories.get(hole.category) ?? { attempts: 0, held: 0 };
    entry.attempts += 1;
    if (held) entry.held += 1;
    else this.holes.push(hole);
    this.categories.set(hole.category, entry);
  }

  get attempts(): number {
    return [...this.categories.values()].reduce((sum, entry) => sum + entry.attempts, 0);
  }

  lines(): string[] {
    const out: string[] = [];
    for (const [category, { attempts, held }] of this.categories)
      out.push(`probe: ${category.padEnd(20)} attempts=${attempts} held=${held} holes=${attempts - held}`);
    const held = [...this.categories.values()].reduce((sum, entry) => sum + entry.held, 0);
    out.push(`probe: ${'total'.padEnd(20)} attempts=${this.attempts} held=${held} holes=${this.holes.length}`);
    for (const hole of this.holes)
      out.push(
        `HOLE ${hole.category}: ${hole.method.toUpperCase()} ${hole.path} as ${hole.role}: got ${hole.status}, want ${hole.want}${hole.detail ? ` (${hole.detail.slice(0, 200)})` : ''}`,
      );
    return out;
  }
}

/** A problem+json answer, as every refusal of the API should be. */
export const isProblem = (answer: Answer) => answer.contentType.startsWith('application/problem+json');
