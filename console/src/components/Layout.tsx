import type { ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { useApp } from '../app-context';
import { paths } from '../routes';
import { ConnectionBanner } from './ConnectionBanner';

function NavLink({ href, children }: { href: string; children: ReactNode }) {
  const [location] = useLocation();
  const current = href === '/' ? location === '/' || location.startsWith('/replicas') : location.startsWith(href);
  return (
    <Link href={href} aria-current={current ? 'page' : undefined}>
      {children}
    </Link>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const { viewer, isAdministrator, signOut } = useApp();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="top__brand">Failover console</span>
        <nav aria-label="Main">
          <NavLink href={paths.inventory}>Inventory</NavLink>
          <NavLink href={paths.operations}>Operations</NavLink>
          {isAdministrator ? <NavLink href={paths.administration}>Administration</NavLink> : null}
          {isAdministrator ? <NavLink href={paths.auditLog}>Audit</NavLink> : null}
        </nav>
        <span className="top__who">
          <span data-testid="signed-in-as">{viewer.subject}</span>
          <button type="button" className="button button--quiet" onClick={signOut}>
            Sign out
          </button>
        </span>
      </header>
      <ConnectionBanner />
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
