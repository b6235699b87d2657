import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { Provider, useQuery } from 'urql';
import { Redirect, Route, Switch, useLocation } from 'wouter';
import { AppContext, type AppState } from './app-context';
import { clearSession, readSession, writeSession, type Session } from './auth/session';
import { Layout } from './components/Layout';
import { ConsoleViewerDocument } from './generated/graphql';
import { createConnectionStatus } from './graphql/connection-status';
import { createGraphQLConnection } from './graphql/client';
import { AuthCallbackPage } from './pages/AuthCallbackPage';
import { InventoryPage } from './pages/InventoryPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { SignInPage } from './pages/SignInPage';
import { paths } from './routes';
import type { PageSettings } from './settings';

// Pages an operator rarely opens are loaded when opened: the first page stays small.
const ReplicaPage = lazy(() => import('./pages/ReplicaPage'));
const OperationsPage = lazy(() => import('./pages/OperationsPage'));
const OperationPage = lazy(() => import('./pages/OperationPage'));
const AdministrationPage = lazy(() => import('./pages/AdministrationPage'));
const AuditPage = lazy(() => import('./pages/AuditPage'));

export function App({ settings }: { settings: PageSettings }) {
  const [session, setSession] = useState<Session | null>(() => readSession());
  const [location, navigate] = useLocation();
  const signIn = useCallback(
    (next: Session, returnTo: string) => {
      writeSession(next);
      setSession(next);
      navigate(returnTo, { replace: true });
    },
    [navigate],
  );
  const signOut = useCallback(() => {
    clearSession();
    setSession(null);
  }, []);

  // A token that expires while the page is open ends the session then.
  useEffect(() => {
    if (session === null) return;
    const timer = setTimeout(signOut, Math.max(0, session.expiresAt - Date.now()));
    return () => clearTimeout(timer);
  }, [session, signOut]);

  if (location === paths.authCallback) return <AuthCallbackPage settings={settings} onSignedIn={signIn} />;
  if (session === null) {
    const returnTo = location === paths.signIn ? paths.inventory : location;
    return <SignInPage settings={settings} returnTo={returnTo} onSignedIn={signIn} />;
  }
  return <SignedIn key={session.token} settings={settings} session={session} signOut={signOut} />;
}

function SignedIn({ settings, session, signOut }: { settings: PageSettings; session: Session; signOut: () => void }) {
  const status = useMemo(() => createConnectionStatus(), []);
  const connection = useMemo(
    () => createGraphQLConnection({ graphqlPath: settings.graphqlPath, token: () => session.token, status, onUnauthenticated: signOut }),
    [settings.graphqlPath, session.token, status, signOut],
  );
  useEffect(() => () => connection.dispose(), [connection]);
  return (
    <Provider value={connection.client}>
      <WithViewer settings={settings} token={session.token} status={status} signOut={signOut} />
    </Provider>
  );
}

function WithViewer(props: Omit<AppState, 'viewer' | 'isAdministrator'>) {
  const [{ data, error }] = useQuery({ query: ConsoleViewerDocument });
  const state = useMemo<AppState | null>(
    () => (data ? { ...props, viewer: data.viewer, isAdministrator: data.viewer.roles.includes('PORTAL_ADMINISTRATOR') } : null),
    [data, props],
  );
  if (error && !data) {
    return (
      <main className="centered">
        <p role="alert">The gateway did not answer: {error.message}</p>
      </main>
    );
  }
  if (state === null) return <p className="centered" aria-busy="true">Loading…</p>;
  return (
    <AppContext.Provider value={state}>
      <Layout>
        <Suspense fallback={<p aria-busy="true">Loading…</p>}>
          <Switch>
            <Route path={paths.inventory} component={InventoryPage} />
            <Route path={paths.signIn}>
              <Redirect to={paths.inventory} />
            </Route>
            <Route path="/replicas/:id" component={ReplicaPage} />
            <Route path={paths.operations} component={OperationsPage} />
            <Route path="/operations/:id" component={OperationPage} />
            <Route path={paths.administration} component={AdministrationPage} />
            <Route path={paths.auditLog} component={AuditPage} />
            <Route component={NotFoundPage} />
          </Switch>
        </Suspense>
      </Layout>
    </AppContext.Provider>
  );
}
