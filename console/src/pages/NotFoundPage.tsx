import { Link } from 'wouter';
import { paths } from '../routes';
import { usePageTitle } from '../lib/use-page-title';

export function NotFoundPage() {
  usePageTitle('Not found');
  return (
    <section>
      <h1>Not found</h1>
      <p>There is no such page, or what it shows is outside your restore scope.</p>
      <Link href={paths.inventory}>Back to the inventory</Link>
    </section>
  );
}
