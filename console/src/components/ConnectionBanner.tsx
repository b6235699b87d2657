import { useApp } from '../app-context';
import { useConnectionStatus } from '../graphql/connection-status';

/** Says so while live updates are cut off; the streams resume on their own. */
export function ConnectionBanner() {
  const { status } = useApp();
  const { state } = useConnectionStatus(status);
  return (
    <div role="status" aria-live="polite" className={state === 'reconnecting' ? 'banner banner--warn' : 'visually-hidden'}>
      {state === 'reconnecting' ? 'Connection lost: reconnecting. Live progress resumes where it stopped.' : ''}
    </div>
  );
}
