import { useEffect, useRef, useState } from 'react';
import { finishOidcSignIn } from '../auth/oidc';
import type { Session } from '../auth/session';
import { usePageTitle } from '../lib/use-page-title';
import { paths } from '../routes';
import type { PageSettings } from '../settings';

/** Where the OpenID provider sends the browser back with its authorization code. */
export function AuthCallbackPage({ settings, onSignedIn }: { settings: PageSettings; onSignedIn(session: Session, returnTo: string): void }) {
  usePageTitle('Signing in');
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);
  useEffect(() => {
    // The code can be redeemed once: React's development double effects must not try twice.
    if (started.current) return;
    started.current = true;
    if (!settings.oidc) {
      setError('This gateway has no OpenID Connect sign-in.');
      return;
    }
    finishOidcSignIn(settings.oidc).then(
      ({ session, returnTo }) => onSignedIn(session, returnTo),
      (caught: unknown) => setError(caught instanceof Error ? caught.message : String(caught)),
    );
  }, [settings, onSignedIn]);
  return (
    <main id="main" className="centered">
      {error ? (
        <>
          <p role="alert">Sign-in failed: {error}</p>
          <a href={paths.signIn}>Try again</a>
        </>
      ) : (
        <p aria-busy="true">Signing in…</p>
      )}
    </main>
  );
}
