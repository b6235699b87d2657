export { createInventorySync, type InventorySync, type InventorySyncOptions } from './service.js';
export { inventorySummary } from './summary.js';
export { DEFAULT_SYNC_HEAP_MB, type SyncWorkerOptions } from './worker-runner.js';
export { formatSummary, formatSyncReport } from './format.js';
export { summaryFromJson, syncReportFromJson } from './json.js';
export {
  REPLICA_KINDS,
  type ChangeCounts,
  type InventorySummary,
  type LicenseEdition,
  type ReplicaKind,
  type ServerSummary,
  type ServerSyncReport,
  type SyncReport,
} from './types.js';
