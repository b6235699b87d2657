// Starts the sync worker from its TypeScript source (tests, `npm run dev`):
// a worker thread does not inherit the tsx loader of the thread that started it.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
