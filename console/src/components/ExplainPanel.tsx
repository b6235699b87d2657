import { useDeferredValue, useId, useState, type FormEvent } from 'react';
import { useQuery } from 'urql';
import { ExplainDocument, ReplicaChoicesDocument, type AccountFieldsFragment, type PolicyAction } from '../generated/graphql';
import { ACTION_LABELS, ACTIONS, KIND_LABELS } from '../lib/labels';
import { RequestError } from './ErrorPanel';

/** "Can this account do this to that replica, and why?", answered by the gateway's own policy. */
export function ExplainPanel({ accounts }: { accounts: AccountFieldsFragment[] }) {
  const ids = { account: useId(), action: useId(), search: useId(), replica: useId() };
  const [account, setAccount] = useState('');
  const [action, setAction] = useState<PolicyAction>('FAILOVER');
  const [search, setSearch] = useState('');
  const [replica, setReplica] = useState('');
  const [asked, setAsked] = useState<{ account: string; action: PolicyAction; object: string } | null>(null);
  const [choices] = useQuery({ query: ReplicaChoicesDocument, variables: { search: useDeferredValue(search) || null } });
  const [answer] = useQuery({ query: ExplainDocument, variables: asked ?? { account: '', action: 'READ', object: '' }, pause: asked === null });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (account && replica) setAsked({ account, action, object: replica });
  };
  const explanation = answer.data?.explain;
  return (
    <form onSubmit={submit} className="form-grid">
      <label htmlFor={ids.account}>Account</label>
      <select id={ids.account} value={account} onChange={(event) => setAccount(event.target.value)} required>
        <option value="">Choose an account</option>
        {accounts.map((item) => (
          <option key={item.id} value={item.id}>
            {item.type === 'USER' ? 'user' : 'group'} {item.name}
          </option>
        ))}
      </select>
      <label htmlFor={ids.action}>Action</label>
      <select id={ids.action} value={action} onChange={(event) => setAction(event.target.value as PolicyAction)}>
        {ACTIONS.map((value) => (
          <option key={value} value={value}>
            {ACTION_LABELS[value].title}
          </option>
        ))}
        <option value="READ">See</option>
      </select>
      <label htmlFor={ids.search}>Find a replica</label>
      <input id={ids.search} type="search" value={search} onChange={(event) => setSearch(event.target.value)} />
      <label htmlFor={ids.replica}>Replica</label>
      <select id={ids.replica} value={replica} onChange={(event) => setReplica(event.target.value)} required>
        <option value="">Choose a replica</option>
        {choices.data?.replicas.edges.map(({ node }) => (
          <option key={node.id} value={node.id}>
            {node.name} ({KIND_LABELS[node.kind]})
          </option>
        ))}
      </select>
      <div />
      <button type="submit" className="button">
        Explain
      </button>
      <div className="form-grid__wide" aria-live="polite">
        {answer.error ? <RequestError error={answer.error} /> : null}
        {explanation ? (
          <div className={`panel ${explanation.allowed ? 'panel--good' : 'panel--bad'}`} data-testid="explanation">
            <p>
              <strong>{explanation.allowed ? 'Allowed' : 'Denied'}</strong> by rule <code>{explanation.rule}</code>: {explanation.reason}
            </p>
            {explanation.grantingAccounts.length > 0 ? (
              <p>Granted through: {explanation.grantingAccounts.map((granting) => `${granting.type === 'USER' ? 'user' : 'group'} ${granting.name}`).join(', ')}</p>
            ) : null}
          </div>
        ) : null}
      </div>
    </form>
  );
}
