import { mintDemoToken } from '../src/auth/index.js';
import { loadConfig } from '../src/config/config.js';

// `npm run token -- <account> [--ttl <seconds>]`: prints a bearer token for a demo account that a
// gateway started with the same settings (DATA_DIR, JWT_*) accepts. Development and test only.
const args = process.argv.slice(2);
const ttlAt = args.indexOf('--ttl');
const ttl = ttlAt >= 0 ? Number(args.splice(ttlAt, 2)[1]) : undefined;
const [account] = args;
if (!account || account === '--help' || (ttl !== undefined && !(Number.isInteger(ttl) && ttl > 0))) {
  console.error('usage: npm run token -- <admin|operator|portal-user|nobody> [--ttl <seconds>]');
  process.exit(2);
}
try {
  console.log(await mintDemoToken(loadConfig(), account, ttl));
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
