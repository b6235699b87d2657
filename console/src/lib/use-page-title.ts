import { useEffect } from 'react';

/** The tab's title names the page, so screen reader users and tab lists tell pages apart. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Failover console`;
  }, [title]);
}
