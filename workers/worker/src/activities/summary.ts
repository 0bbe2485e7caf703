/**
 * The handoff summary of `baton.openTicket` (./builtin.ts): the provider writes it within a time
 * limit, else the ticket opens with the first customer message and says why it fell back.
 *
 *   BATON_AI_SUMMARY_TIMEOUT_MS  how long the summary may take; by default 5000 with the embedded
 *                                provider (it answers in milliseconds) and 20000 with a model server
 *                                (a small local model writes a few tokens a second). Never more than
 *                                the activity's own timeout less `storeMarginMs`, so the ticket is
 *                                always written in time.
 */
import { z } from 'zod';
import { openTicketContract } from '@baton/schemas';
import type { TranscriptLine } from '@baton/ai';

export const summaryTimeoutVariable = 'BATON_AI_SUMMARY_TIMEOUT_MS';
/** The summary's default limit with the embedded provider, and with any other (a model server). */
export const defaultSummaryTimeoutMs = { embedded: 5_000, model: 20_000 } as const;
/** What the activity keeps for reading the packet's journey and writing the ticket. */
export const storeMarginMs = 5_000;
/** The longest the summary may take: `baton.openTicket`'s timeout less the store's margin. */
export const maxSummaryTimeoutMs = openTicketContract.timeoutSeconds * 1000 - storeMarginMs;

const TimeoutSetting = z.coerce
  .number({ error: `${summaryTimeoutVariable} must be a number of milliseconds` })
  .int({ error: `${summaryTimeoutVariable} must be a whole number of milliseconds` })
  .min(100, { error: `${summaryTimeoutVariable} must be at least 100 ms` });

/**
 * The summary's limit for this provider: the variable when set (capped at `maxSummaryTimeoutMs`),
 * else the provider's default. A value that is not a number throws, naming the variable.
 */
export function summaryTimeoutMs(
  providerName: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): number {
  const raw = env[summaryTimeoutVariable]?.trim();
  const chosen =
    raw === undefined || raw === ''
      ? providerName === 'embedded'
        ? defaultSummaryTimeoutMs.embedded
        : defaultSummaryTimeoutMs.model
      : TimeoutSetting.parse(raw);
  return Math.min(chosen, maxSummaryTimeoutMs);
}

export interface HandoffSummary {
  summary: string;
  /** Why the summary is the first customer message instead of the provider's (absent when it is the provider's). */
  fallback?: string;
}

function firstMessage(transcript: readonly TranscriptLine[]): string {
  const first = transcript.find((line) => line.from === 'customer');
  return first ? `Customer wrote: "${first.text.slice(0, 300)}"` : 'No customer message yet.';
}

function fellBack(transcript: readonly TranscriptLine[], reason: string): HandoffSummary {
  return { summary: `${firstMessage(transcript)} (no AI summary: ${reason})`, fallback: reason };
}

/** The provider's summary within `timeoutMs`, else the first customer message with the reason. */
export async function summaryOf(
  transcript: readonly TranscriptLine[],
  summarize: (lines: readonly TranscriptLine[]) => Promise<string>,
  options: { providerName: string; timeoutMs: number; warn: (message: string) => void },
): Promise<HandoffSummary> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(`${options.providerName} wrote none within ${options.timeoutMs} ms (${summaryTimeoutVariable})`),
          ),
        options.timeoutMs,
      );
    });
    const summary = await Promise.race([summarize(transcript), timeout]);
    if (summary.trim() !== '') return { summary };
    return fellBack(transcript, `${options.providerName} returned an empty summary`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    options.warn(`summary failed, using the first customer message: ${reason}`);
    return fellBack(transcript, reason);
  } finally {
    if (timer) clearTimeout(timer);
  }
}
