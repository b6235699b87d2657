import { useCallback, useEffect, useState } from 'react';
import { useSubscription } from 'urql';
import { useApp } from '../app-context';
import { FailoverProgressDocument, type FailoverEventFieldsFragment } from '../generated/graphql';
import { useConnectionStatus } from './connection-status';
import { appendEvent, lastSequence } from '../lib/event-log';

/**
 * An operation's events from `failoverProgress`, each once and in order. When
 * the socket drops, the subscription is started again after the last sequence
 * received (the gateway replays what was missed, then streams), so the page has
 * no gap and no duplicate across the drop.
 */
export function useFailoverProgress(operationId: string): { events: readonly FailoverEventFieldsFragment[]; reconnecting: boolean } {
  const { status } = useApp();
  const connection = useConnectionStatus(status);
  const [events, setEvents] = useState<readonly FailoverEventFieldsFragment[]>([]);
  const [afterSequence, setAfterSequence] = useState(0);
  const done = events.at(-1)?.final === true;

  // A drop: resume after what we hold. New variables make urql end the old subscription and start this one.
  useEffect(() => {
    if (connection.state === 'reconnecting') setAfterSequence(lastSequence(events));
    // Only the drop itself matters here, not every new event.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [connection.state]);

  const handle = useCallback((_previous: unknown, data: { failoverProgress: FailoverEventFieldsFragment }) => {
    setEvents((log) => appendEvent(log, data.failoverProgress));
    return data;
  }, []);
  useSubscription({ query: FailoverProgressDocument, variables: { operationId, afterSequence }, pause: done }, handle);
  return { events, reconnecting: connection.state === 'reconnecting' && !done };
}
