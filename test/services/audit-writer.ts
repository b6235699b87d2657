// A separate gateway-like process for audit-postgres.test.ts: appends
// <count> entries to the chain at <url> through <writers> concurrent callers,
// then prints how many were written.
import { createAuditLog } from '../../src/audit/index.js';
import { openDatabase } from '../../src/db/index.js';

const [url, countText, writersText, name] = process.argv.slice(2);
const count = Number(countText);
const writers = Number(writersText);
const db = await openDatabase({ databaseUrl: url! });
const log = createAuditLog(db);
let next = 0;
let written = 0;
await Promise.all(
  Array.from({ length: writers }, async (_, writer) => {
    while (next < count) {
      const i = next++;
      await log.append({ actor: { subject: `${name}-w${writer}` }, action: 'test.append', decision: 'ALLOW', requestId: `${name}-${i}`, details: { i } });
      written += 1;
    }
  }),
);
await log.close();
await db.close();
console.log(JSON.stringify({ written }));
