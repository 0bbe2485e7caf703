import { useEffect, useState } from 'react';
import { ApiError, call } from '../api';

/** DELETE /api/customers/:id?dryRun=true: what an erasure would remove. */
export interface ErasureDryRun {
  customerId: string;
  counts: Record<string, number>;
  ids: Record<string, string[]>;
  openConversations: string[];
}

/** GET /api/customers/:id/erasure: the erasure workflow's status and progress. */
export interface ErasureStatus {
  workflowId: string;
  status: string;
  progress: {
    stage: string;
    conversations: string[];
    ended: number | null;
    deleted: Record<string, number> | null;
    executionsDeleted: number | null;
  };
}

const path = (customerId: string) => `/customers/${encodeURIComponent(customerId)}`;
export const erasureApi = {
  dryRun: (customerId: string) => call<ErasureDryRun>('DELETE', `${path(customerId)}?dryRun=true`),
  erase: (customerId: string) => call<{ workflowId: string; started: boolean }>('DELETE', path(customerId)),
  status: (customerId: string) => call<ErasureStatus>('GET', `${path(customerId)}/erasure`),
};

const kindNames: Record<string, string> = {
  conversations: 'Conversations',
  tickets: 'Tickets',
  surveys: 'Surveys',
  ticketFeedback: 'Agent verdicts',
  corrections: 'Intent corrections',
  typing: 'Typing records',
};
const stageNames: Record<string, string> = {
  listing: 'Listing what is stored',
  ending: 'Ending open conversations',
  'deleting-records': 'Deleting records',
  'deleting-executions': 'Deleting workflow histories',
  done: 'Done',
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The "Erase a customer" section: id, dry run (counts and ids), confirmation by typing the id, progress. */
export function Erasure({ pollMs = 1000 }: { pollMs?: number }) {
  const [customerId, setCustomerId] = useState('');
  const [dry, setDry] = useState<ErasureDryRun | null>(null);
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [erasing, setErasing] = useState<string | null>(null);
  const [status, setStatus] = useState<ErasureStatus | null>(null);

  useEffect(() => {
    if (!erasing) return undefined;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () => {
      erasureApi.status(erasing).then(
        (body) => {
          if (stopped) return;
          setStatus(body);
          if (body.status === 'RUNNING') timer = setTimeout(poll, pollMs);
        },
        (e: Error) => {
          if (!stopped) setError(e.message);
        },
      );
    };
    poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [erasing, pollMs]);

  const runDry = async () => {
    const id = customerId.trim();
    setError(null);
    setDry(null);
    setStatus(null);
    setErasing(null);
    setConfirm('');
    if (!id) return;
    try {
      setDry(await erasureApi.dryRun(id));
    } catch (e) {
      setError(
        e instanceof ApiError && e.status === 404 ? `No data is stored about customer "${id}".` : (e as Error).message,
      );
    }
  };
  const erase = async () => {
    if (!dry) return;
    setError(null);
    try {
      await erasureApi.erase(dry.customerId);
      setErasing(dry.customerId);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <section className="settings-section" aria-labelledby="erasure-title">
      <h2 id="erasure-title">Erase a customer</h2>
      <p className="muted">
        Removes a customer&apos;s transcripts, tickets, surveys, corrections and workflow histories. Open conversations
        are first ended with a message the customer sees. The audit log records who erased which id, nothing else.
      </p>
      <form
        className="settings-actions"
        onSubmit={(e) => {
          e.preventDefault();
          void runDry();
        }}
      >
        <label>
          Customer id
          <input value={customerId} onChange={(e) => setCustomerId(e.target.value)} autoComplete="off" />
        </label>
        <button type="submit">Dry run</button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {dry && !erasing && (
        <div className="erasure-dry-run" data-testid="erasure-dry-run">
          <table className="api-keys">
            <caption>What erasing {dry.customerId} removes</caption>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Count</th>
                <th scope="col">Ids</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(dry.counts).map(([kind, count]) => (
                <tr key={kind}>
                  <td>{kindNames[kind] ?? kind}</td>
                  <td>{count}</td>
                  <td className="ids">
                    {(dry.ids[kind] ?? []).map((id) => (
                      <code key={id}>{id}</code>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {dry.openConversations.length > 0 && (
            <p>
              {dry.openConversations.length} open conversation{dry.openConversations.length === 1 ? ' is' : 's are'}{' '}
              ended first, with a message to the customer.
            </p>
          )}
          <div className="settings-actions">
            <label>
              Type the customer id to confirm
              <input value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="off" />
            </label>
            <button type="button" className="danger" disabled={confirm !== dry.customerId} onClick={() => void erase()}>
              Erase {dry.customerId}
            </button>
          </div>
        </div>
      )}
      {erasing && (
        <div className="erasure-progress" role="status" data-testid="erasure-progress">
          <p>
            Erasing <strong>{erasing}</strong>:{' '}
            {status ? (stageNames[status.progress.stage] ?? status.progress.stage) : 'starting'}
            {status && status.status !== 'RUNNING' && status.progress.stage !== 'done' && ` (${status.status})`}
          </p>
          {status?.progress.stage === 'done' && (
            <p>
              Erased: {plural(status.progress.conversations.length, 'conversation')}, {status.progress.ended ?? 0} ended
              first, {plural(status.progress.deleted?.tickets ?? 0, 'ticket')},{' '}
              {plural(status.progress.executionsDeleted ?? 0, 'workflow history', 'workflow histories')}.
            </p>
          )}
        </div>
      )}
    </section>
  );
}
