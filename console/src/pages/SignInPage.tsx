import { useId, useState, type FormEvent } from 'react';
import { devSignIn } from '../auth/dev-sign-in';
import { startOidcSignIn } from '../auth/oidc';
import type { Session } from '../auth/session';
import { usePageTitle } from '../lib/use-page-title';
import type { PageSettings } from '../settings';

interface Props {
  settings: PageSettings;
  returnTo: string;
  onSignedIn(session: Session, returnTo: string): void;
}

export function SignInPage({ settings, returnTo, onSignedIn }: Props) {
  usePageTitle('Sign in');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [subject, setSubject] = useState('');
  const [groups, setGroups] = useState('');
  const subjectId = useId();
  const groupsId = useId();

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };
  const dev = settings.devSignIn;
  const signInAs = (name: string, groupList: string[]) =>
    run(async () => onSignedIn(await devSignIn(dev!.path, name, groupList), returnTo));
  const submitCustom = (event: FormEvent) => {
    event.preventDefault();
    const groupList = groups
      .split(',')
      .map((group) => group.trim())
      .filter((group) => group !== '');
    void signInAs(subject.trim(), groupList);
  };

  return (
    <main id="main" className="sign-in">
      <h1>Failover console</h1>
      <p className="muted">Fail replicas over, watch them run, and read the audit log.</p>
      {error ? (
        <p className="panel panel--bad" role="alert">
          {error}
        </p>
      ) : null}
      {settings.oidc ? (
        <section aria-labelledby="oidc-heading" className="card">
          <h2 id="oidc-heading">Your organisation’s account</h2>
          <button type="button" className="button" disabled={busy} onClick={() => void run(() => startOidcSignIn(settings.oidc!, returnTo))}>
            Sign in with {new URL(settings.oidc.issuer).host}
          </button>
        </section>
      ) : null}
      {dev ? (
        <>
          <section aria-labelledby="demo-heading" className="card">
            <h2 id="demo-heading">Demo accounts (development)</h2>
            <ul className="demo-accounts">
              {dev.demoAccounts.map((account) => (
                <li key={account.name}>
                  <button type="button" className="button" disabled={busy} onClick={() => void signInAs(account.name, [])}>
                    Sign in as {account.name}
                  </button>
                  <span className="muted">{account.role}</span>
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="custom-heading" className="card">
            <h2 id="custom-heading">Any subject and groups (development)</h2>
            <form onSubmit={submitCustom} className="form-grid">
              <label htmlFor={subjectId}>Subject</label>
              <input id={subjectId} value={subject} onChange={(event) => setSubject(event.target.value)} required maxLength={200} autoComplete="username" />
              <label htmlFor={groupsId}>Groups (comma-separated)</label>
              <input id={groupsId} value={groups} onChange={(event) => setGroups(event.target.value)} placeholder="dr-operators, site-b" />
              <div />
              <button type="submit" className="button" disabled={busy}>
                Sign in
              </button>
            </form>
          </section>
        </>
      ) : null}
      {!dev && !settings.oidc ? (
        <p className="panel panel--warn" role="alert">
          No sign-in is configured: set CONSOLE_OIDC_ISSUER on the gateway.
        </p>
      ) : null}
    </main>
  );
}
