/**
 * `baton retention run [--dry-run] [--limit N]`: with --dry-run, lists what a retention run would
 * redact now (GET /api/settings/retention/preview: per rule the journey, days, cut-off, count and the
 * first ids); without, triggers the Temporal Schedule baton-retention (POST /api/settings/retention/run).
 * Needs an admin API key (BATON_API_KEY, or the local `baton dev` key).
 */
import { CliError, type Io } from './io';
import { apiBase, apiRequest, isOk, problemText } from './http';

export interface RetentionRunOptions {
  api?: string;
  dryRun?: boolean;
  limit?: string;
}

interface PreviewRule {
  journeyId: string | null;
  days: number;
  cutoff: number;
  count: number;
  conversations: string[];
}

export async function runRetention(options: RetentionRunOptions, io: Io): Promise<number> {
  const base = apiBase(options.api, io);
  if (options.dryRun) {
    const limit = options.limit ?? '20';
    if (!/^[1-9][0-9]{0,3}$/.test(limit) || Number(limit) > 1000)
      throw new CliError(`--limit "${limit}": a whole number from 1 to 1000`, 2);
    const answer = await apiRequest('GET', `${base}/api/settings/retention/preview?limit=${limit}`);
    if (!isOk(answer)) throw new CliError(problemText(answer), 1);
    const body = answer.body as { total: number; rules: PreviewRule[] };
    if (body.rules.length === 0) {
      io.out('no retention is set: every ended conversation is kept (Settings → Data retention)');
      return 0;
    }
    for (const rule of body.rules) {
      const cutoff = new Date(rule.cutoff).toISOString().slice(0, 16).replace('T', ' ');
      io.out(
        `${rule.journeyId ?? 'every other journey'}: ${rule.days} days, ended before ${cutoff} UTC: ${rule.count}`,
      );
      for (const id of rule.conversations) io.out(`  ${id}`);
      if (rule.count > rule.conversations.length) io.out(`  … and ${rule.count - rule.conversations.length} more`);
    }
    io.out(`dry run: a run now would redact ${body.total} ended conversation(s); nothing was changed`);
    return 0;
  }
  const answer = await apiRequest('POST', `${base}/api/settings/retention/run`, {});
  if (!isOk(answer)) throw new CliError(problemText(answer), 1);
  io.out('triggered the schedule baton-retention: a retention run starts now (see it in the Temporal UI)');
  return 0;
}
