import { parseArgs } from 'node:util';
import { DEMO_ACCOUNTS, isDemoAccount, mintDevToken, refuseProduction, type TokenIdentity } from '../src/auth/index.js';
import { loadConfig } from '../src/config/config.js';

// `npm run token`: prints a bearer token that a gateway started with the same settings (DATA_DIR, JWT_*)
// accepts, for a demo account or any subject and groups, so USER and GROUP accounts can be tried without
// signing a JWT by hand. Development and test only.
const USAGE = [
  `usage: npm run token -- <${Object.keys(DEMO_ACCOUNTS).join('|')}> [--groups <a,b>] [--ttl <seconds>]`,
  '       npm run token -- --subject <name> [--groups <a,b>] [--ttl <seconds>]',
  '',
  '  <account>   a demo account: its name is the subject',
  '  --subject   any subject (matched against USER accounts)',
  '  --groups    comma-separated group names (matched against GROUP accounts)',
  '  --ttl       lifetime in seconds (default: 8 hours)',
].join('\n');

/** The identity and lifetime asked for, or why the arguments say nothing clear. */
function request(argv: string[]): { identity: TokenIdentity; ttlSeconds?: number } | { problem: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { subject: { type: 'string' }, groups: { type: 'string' }, ttl: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    return { problem: (error as Error).message };
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) return { problem: `one account at most, got ${positionals.join(' ')}` };
  const [account] = positionals;
  if ((account === undefined) === (values.subject === undefined)) return { problem: 'name a demo account or give --subject, not both' };
  if (account !== undefined && !isDemoAccount(account)) return { problem: `Unknown demo account "${account}"; one of: ${Object.keys(DEMO_ACCOUNTS).join(', ')}` };
  const subject = account !== undefined ? DEMO_ACCOUNTS[account as keyof typeof DEMO_ACCOUNTS].subject : values.subject!.trim();
  if (subject === '') return { problem: '--subject must not be empty' };
  const groups = (values.groups ?? '').split(',').map((group) => group.trim()).filter((group) => group !== '');
  const ttlSeconds = values.ttl === undefined ? undefined : Number(values.ttl);
  if (ttlSeconds !== undefined && !(Number.isInteger(ttlSeconds) && ttlSeconds > 0)) return { problem: `--ttl must be a whole number of seconds, got "${values.ttl}"` };
  return { identity: { subject, groups }, ttlSeconds };
}

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
const asked = request(argv);
if ('problem' in asked) {
  console.error(`${asked.problem}\n${USAGE}`);
  process.exit(2);
}
try {
  // Before the settings load: a production setup fails there for reasons that are not the point.
  refuseProduction();
  console.log(await mintDevToken(loadConfig(), asked.identity, asked.ttlSeconds));
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
