import { useId, useState, type FormEvent } from 'react';
import { useQuery } from 'urql';
import { useApp } from '../app-context';
import { RequestError } from '../components/ErrorPanel';
import { AuditLogDocument, VerifyAuditLogDocument, type AuditDecision, type AuditLogFilter } from '../generated/graphql';
import { formatDateTime, fromLocalInput } from '../lib/format';
import { DECISION_LABELS } from '../lib/labels';
import { usePageTitle } from '../lib/use-page-title';

const PAGE_SIZE = 50;

/** Failover decisions audit dry runs too; their details say so. */
const isDryRun = (details: unknown): boolean =>
  typeof details === 'object' && details !== null && (details as { dryRun?: unknown }).dryRun === true;

/** The chain's verification as a badge: how many entries were checked, and the signed head. */
function ChainBadge() {
  const [{ data, fetching, error }, verify] = useQuery({ query: VerifyAuditLogDocument, requestPolicy: 'network-only' });
  const result = data?.verifyAuditLog;
  return (
    <div className="chain" role="status" data-testid="chain-badge">
      {error ? <RequestError error={error} /> : null}
      {result ? (
        <span className={`badge ${result.ok ? 'badge--good' : 'badge--bad'}`}>
          {result.ok ? 'Chain intact' : `Chain broken at #${result.firstBroken?.seq ?? '?'} (${result.firstBroken?.problem ?? 'unknown'})`} · {result.checked} entries
          checked
        </span>
      ) : (
        <span className="badge badge--busy">{fetching ? 'Verifying…' : 'Not verified'}</span>
      )}
      {result?.headSeq ? (
        <span className="muted chain__head">
          Head #{result.headSeq} <code title={result.headHash ?? undefined}>{result.headHash?.slice(0, 16)}…</code>
        </span>
      ) : null}
      <button type="button" className="button button--quiet button--small" onClick={() => verify({ requestPolicy: 'network-only' })}>
        Verify again
      </button>
    </div>
  );
}

/** Export links: the export needs the bearer token, so the file is fetched and handed to the browser as a download. */
function ExportLinks({ from, to }: { from: string; to: string }) {
  const { token, settings } = useApp();
  const [error, setError] = useState<string | null>(null);
  const download = async (format: 'ndjson' | 'csv') => {
    setError(null);
    const query = new URLSearchParams({ format });
    if (from) query.set('from', from);
    if (to) query.set('to', to);
    const response = await fetch(`${settings.auditExportPath}?${query}`, { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) {
      setError(((await response.json().catch(() => ({}))) as { error?: string }).error ?? `Export failed (HTTP ${response.status})`);
      return;
    }
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = `audit-log.${format}`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <div className="actions">
      <button type="button" className="button button--quiet" onClick={() => void download('ndjson')}>
        Export NDJSON
      </button>
      <button type="button" className="button button--quiet" onClick={() => void download('csv')}>
        Export CSV
      </button>
      {error ? <span role="alert">{error}</span> : null}
    </div>
  );
}

export default function AuditPage() {
  usePageTitle('Audit log');
  const { isAdministrator } = useApp();
  const ids = { action: useId(), actor: useId(), decision: useId(), from: useId(), to: useId() };
  const [form, setForm] = useState({ action: '', actor: '', decision: '' as AuditDecision | '', from: '', to: '' });
  const [filter, setFilter] = useState<AuditLogFilter>({});
  const [cursors, setCursors] = useState<string[]>([]);
  const after = cursors.at(-1);
  const [{ data, error, fetching }] = useQuery({
    query: AuditLogDocument,
    variables: { filter, first: PAGE_SIZE, after },
    pause: !isAdministrator,
    requestPolicy: 'network-only',
  });
  if (!isAdministrator) {
    return (
      <section>
        <h1>Audit log</h1>
        <p>Only Portal Administrators read the audit log.</p>
      </section>
    );
  }
  const iso = (value: string) => {
    const at = fromLocalInput(value);
    return at === undefined ? undefined : new Date(at).toISOString();
  };
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setCursors([]);
    setFilter({
      ...(form.action ? { action: form.action } : {}),
      ...(form.actor ? { actor: form.actor } : {}),
      ...(form.decision ? { decision: form.decision } : {}),
      ...(iso(form.from) ? { from: iso(form.from) } : {}),
      ...(iso(form.to) ? { to: iso(form.to) } : {}),
    });
  };
  const page = data?.auditLog;
  return (
    <>
      <h1>Audit log</h1>
      <ChainBadge />
      <form className="filters" onSubmit={apply} aria-label="Filter the audit log">
        <div className="field">
          <label htmlFor={ids.action}>Action</label>
          <input id={ids.action} value={form.action} placeholder="failover" onChange={(event) => setForm({ ...form, action: event.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={ids.actor}>Actor</label>
          <input id={ids.actor} value={form.actor} onChange={(event) => setForm({ ...form, actor: event.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={ids.decision}>Decision</label>
          <select id={ids.decision} value={form.decision} onChange={(event) => setForm({ ...form, decision: event.target.value as AuditDecision | '' })}>
            <option value="">Any</option>
            <option value="ALLOW">Allowed</option>
            <option value="DENY">Denied</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.from}>From</label>
          <input id={ids.from} type="datetime-local" value={form.from} onChange={(event) => setForm({ ...form, from: event.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={ids.to}>Before</label>
          <input id={ids.to} type="datetime-local" value={form.to} onChange={(event) => setForm({ ...form, to: event.target.value })} />
        </div>
        <div className="field field--button">
          <button type="submit" className="button">
            Apply filters
          </button>
        </div>
      </form>
      <ExportLinks from={iso(form.from) ?? ''} to={iso(form.to) ?? ''} />
      {error ? <RequestError error={error} /> : null}
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Audit entries">
        <table className="table table--stacked" aria-busy={fetching}>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Decision</th>
              <th scope="col">Rule and reason</th>
              <th scope="col">Their reason</th>
            </tr>
          </thead>
          <tbody>
            {page?.entries.map((entry) => (
              <tr key={entry.seq} data-testid="audit-row">
                <td>{entry.seq}</td>
                <td>{formatDateTime(entry.at)}</td>
                <td>
                  {entry.actorSubject ?? 'gateway'}
                  {entry.actorGroups.length > 0 ? <div className="muted">{entry.actorGroups.join(', ')}</div> : null}
                </td>
                <td>
                  {entry.action}
                  {isDryRun(entry.details) ? <span className="badge badge--busy">dry run</span> : null}
                  {entry.subjectType ? <div className="muted">{entry.subjectType}</div> : null}
                </td>
                <td>
                  <span className={`badge ${entry.decision === 'ALLOW' ? 'badge--good' : 'badge--bad'}`}>{DECISION_LABELS[entry.decision]}</span>
                </td>
                <td>
                  {entry.rule ? <code>{entry.rule}</code> : null} {entry.reason}
                </td>
                <td>{entry.callerReason ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav className="pager" aria-label="Pages">
        <button type="button" className="button button--quiet" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
          Newer
        </button>
        <button type="button" className="button button--quiet" disabled={!page?.nextCursor} onClick={() => page?.nextCursor && setCursors([...cursors, page.nextCursor])}>
          Older
        </button>
      </nav>
    </>
  );
}
