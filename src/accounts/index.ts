export { bootstrapAdmins } from './bootstrap.js';
export { demoAccountsExist, seedDemoAccounts } from './demo.js';
export { AccountChangeError, type AccountProblem } from './errors.js';
export { createAccountService, type AccountService } from './service.js';
export type { AccountInput, AccountPatch, AccountView, RestoreScopeInput, ScopeItem, ScopeItemInput } from './types.js';
