import { createContext, useContext } from 'react';
import type { ConsoleViewerQuery } from './generated/graphql';
import type { ConnectionStatusStore } from './graphql/connection-status';
import type { PageSettings } from './settings';

export type Viewer = ConsoleViewerQuery['viewer'];

/** What every page of a signed-in console may read. */
export interface AppState {
  settings: PageSettings;
  viewer: Viewer;
  isAdministrator: boolean;
  token: string;
  status: ConnectionStatusStore;
  signOut(): void;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (state === null) throw new Error('useApp outside a signed-in console');
  return state;
}
