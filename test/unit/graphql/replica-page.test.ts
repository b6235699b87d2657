import { migratedPGlite } from '../inventory/support.js';
import { replicaPageSuite } from './replica-page-suite.js';

replicaPageSuite({ open: migratedPGlite, close: (db) => db.close() });
