import { Tab, TabList, TabPanel, useTabStore } from '@ariakit/react';
import { useState } from 'react';
import { useQuery } from 'urql';
import { useApp } from '../app-context';
import { AccountEditor } from '../components/AccountEditor';
import { ExplainPanel } from '../components/ExplainPanel';
import { RequestError } from '../components/ErrorPanel';
import { AccountsDocument, type AccountFieldsFragment } from '../generated/graphql';
import { ACTION_LABELS, KIND_LABELS, ROLE_LABELS } from '../lib/labels';
import { usePageTitle } from '../lib/use-page-title';

export default function AdministrationPage() {
  usePageTitle('Administration');
  const { isAdministrator } = useApp();
  const tabs = useTabStore();
  const [{ data, error }] = useQuery({ query: AccountsDocument, pause: !isAdministrator });
  const [editing, setEditing] = useState<AccountFieldsFragment | 'new' | null>(null);
  if (!isAdministrator) {
    return (
      <section>
        <h1>Administration</h1>
        <p>Only Portal Administrators manage accounts.</p>
      </section>
    );
  }
  const accounts = data?.accounts ?? [];
  return (
    <>
      <h1>Administration</h1>
      <TabList store={tabs} aria-label="Administration" className="tabs">
        <Tab className="tab" id="accounts-tab">
          Accounts and restore scopes
        </Tab>
        <Tab className="tab" id="explain-tab">
          Explain a decision
        </Tab>
      </TabList>
      <TabPanel store={tabs} tabId="accounts-tab" className="tab-panel">
        {error ? <RequestError error={error} /> : null}
        <div className="actions">
          <button type="button" className="button" onClick={() => setEditing('new')}>
            Add an account
          </button>
        </div>
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Accounts">
          <table className="table table--stacked">
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Roles</th>
                <th scope="col">Restore scope</th>
                <th scope="col">Kinds</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((account) => (
                <tr key={account.id}>
                  <th scope="row">
                    {account.name} <span className="muted">({account.type === 'USER' ? 'user' : 'group'})</span>
                    {account.displayName ? <div className="muted">{account.displayName}</div> : null}
                  </th>
                  <td>
                    {account.roles.map((role) => ROLE_LABELS[role]).join(', ') || '—'}
                    {account.grantedActions.length > 0 ? (
                      <div className="muted">Also: {account.grantedActions.map((action) => ACTION_LABELS[action].title.toLowerCase()).join(', ')}</div>
                    ) : null}
                  </td>
                  <td>
                    {account.scope.all
                      ? 'All objects'
                      : account.scope.items.length === 0
                        ? 'Nothing'
                        : `${account.scope.items.map((item) => item.name).join(', ')} (${account.visibleReplicaCount} replicas)`}
                  </td>
                  <td>{account.allowedKinds.map((kind) => KIND_LABELS[kind]).join(', ')}</td>
                  <td>
                    <button type="button" className="button button--small button--quiet" onClick={() => setEditing(account)}>
                      Edit<span className="visually-hidden"> {account.name}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {editing !== null ? <AccountEditor account={editing === 'new' ? null : editing} onClose={() => setEditing(null)} /> : null}
      </TabPanel>
      <TabPanel store={tabs} tabId="explain-tab" className="tab-panel">
        <ExplainPanel accounts={accounts} />
      </TabPanel>
    </>
  );
}
