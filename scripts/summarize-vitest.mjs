// Sums vitest JSON reports into the one line CI reads: "N passed, N failed".
// Every report counts (one per lane: the machine's Node, the Node.js LTS,
// services, browser); each lane's own count is printed first, named after its file.
// The last argument is 1 when the type check failed, which counts as a failure.
// Exits 1 when anything failed or when no test ran at all.
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';

const args = process.argv.slice(2);
const typecheckFailed = args.at(-1) === '1' ? 1 : 0;
let passed = 0;
let failed = typecheckFailed;
let skipped = 0;
for (const file of args.slice(0, -1)) {
  if (!existsSync(file)) {
    console.error(`missing test report ${file}`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const lanePassed = report.numPassedTests ?? 0;
  const failedTests = report.numFailedTests ?? 0;
  // A file that fails to load fails its suite without failing a test: count it.
  const laneFailed = failedTests > 0 ? failedTests : (report.numFailedTestSuites ?? 0);
  console.log(`${basename(file, '.json')}: ${lanePassed} passed, ${laneFailed} failed`);
  passed += lanePassed;
  failed += laneFailed;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
