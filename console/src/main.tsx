import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { loadPageSettings } from './settings';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
loadPageSettings().then(
  (settings) =>
    root.render(
      <StrictMode>
        <App settings={settings} />
      </StrictMode>,
    ),
  (error: unknown) =>
    root.render(
      <main className="centered">
        <h1>Failover console</h1>
        <p role="alert">{error instanceof Error ? error.message : String(error)}</p>
      </main>,
    ),
);
