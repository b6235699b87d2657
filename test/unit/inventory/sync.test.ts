import { describeSyncScenarios } from './sync-scenarios.js';
import { migratedPGlite } from './support.js';

describeSyncScenarios('PGlite', migratedPGlite);
