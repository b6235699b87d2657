import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_COLUMNS, createAuditLog, exportAudit, type AuditEntry, type AuditExportOptions } from '../../../src/audit/index.js';
import type { Database } from '../../../src/db/index.js';
import { clearAudit, migratedPGlite, sampleEntry } from './support.js';

let db: Database;
let entries: AuditEntry[];

beforeAll(async () => {
  db = await migratedPGlite();
  await clearAudit(db);
  const log = createAuditLog(db);
  entries = [];
  for (let i = 1; i <= 9; i += 1) entries.push(await log.append(sampleEntry(i)));
  entries.push(
    await log.append(
      sampleEntry(10, {
        userAgent: 'Mozilla/5.0 (X11, "quoted"), more',
        callerReason: 'two\r\nlines',
        reason: '=HYPERLINK("http://evil")',
        rule: '',
        requestId: null,
        details: { text: 'a,b "c"\nd', z: 1, a: 2 },
      }),
    ),
  );
  await log.close();
}, 60_000);
afterAll(() => db?.close());

async function collect(options: AuditExportOptions): Promise<{ chunks: number; text: string }> {
  let text = '';
  let chunks = 0;
  for await (const chunk of exportAudit(db.prisma, options)) {
    chunks += 1;
    text += chunk;
  }
  return { chunks, text };
}

/** An RFC 4180 reader written for the test, independent of the writer. */
function parseCsv(text: string): Array<Array<string | null>> {
  const rows: Array<Array<string | null>> = [];
  let row: Array<string | null> = [];
  let i = 0;
  while (i < text.length) {
    let field: string | null;
    if (text[i] === '"') {
      let value = '';
      i += 1;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote < 0) throw new Error('unterminated quoted field');
        value += text.slice(i, quote);
        if (text[quote + 1] === '"') {
          value += '"';
          i = quote + 2;
        } else {
          i = quote + 1;
          break;
        }
      }
      field = value;
    } else {
      const end = text.slice(i).search(/,|\r\n/);
      const raw = end < 0 ? text.slice(i) : text.slice(i, i + end);
      if (/["\r\n]/.test(raw)) throw new Error(`unquoted field holds a special character: ${JSON.stringify(raw)}`);
      field = raw === '' ? null : raw;
      i += raw.length;
    }
    row.push(field);
    if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else if (text[i] === ',') {
      i += 1;
    } else if (i < text.length) {
      throw new Error(`expected , or CRLF at ${i}`);
    }
  }
  if (row.length > 0) throw new Error('last row lacks its CRLF');
  return rows;
}

describe('audit export', () => {
  it('writes NDJSON: one object a line, every column, in seq order, page by page', async () => {
    const { text, chunks } = await collect({ format: 'ndjson', pageSize: 4 });
    expect(chunks).toBe(3);
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(10);
    expect(Object.keys(lines[0]!)).toEqual([...EXPORT_COLUMNS]);
    expect(lines.map((l) => l.seq)).toEqual(entries.map((e) => e.seq.toString()));
    expect(lines[9]).toMatchObject({
      at: entries[9]!.at.toISOString(),
      userAgent: 'Mozilla/5.0 (X11, "quoted"), more',
      callerReason: 'two\r\nlines',
      requestId: null,
      rule: '',
      details: { text: 'a,b "c"\nd', z: 1, a: 2 },
      hash: entries[9]!.hash,
      actorGroups: ['ops', 'team-0'],
    });
  });

  it('writes CSV that an RFC 4180 reader gives back field for field', async () => {
    const { text } = await collect({ format: 'csv', pageSize: 3, protectFormulas: false });
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([...EXPORT_COLUMNS]);
    expect(rows).toHaveLength(11);
    const last = Object.fromEntries(EXPORT_COLUMNS.map((column, index) => [column, rows[10]![index]]));
    expect(last).toMatchObject({
      seq: '10',
      userAgent: 'Mozilla/5.0 (X11, "quoted"), more',
      callerReason: 'two\r\nlines',
      reason: '=HYPERLINK("http://evil")',
      rule: '',
      requestId: null,
      actorGroups: '["ops","team-0"]',
      details: '{"a":2,"text":"a,b \\"c\\"\\nd","z":1}',
      decision: 'DENY',
      hash: entries[9]!.hash,
    });
  });

  it('defuses spreadsheet formulas in CSV by default', async () => {
    const rows = parseCsv((await collect({ format: 'csv' })).text);
    expect(rows[10]![EXPORT_COLUMNS.indexOf('reason')]).toBe(`'=HYPERLINK("http://evil")`);
  });

  it('exports a time range: from inclusive, to exclusive', async () => {
    const from = entries[2]!.at;
    const to = entries[6]!.at;
    const ndjson = (await collect({ format: 'ndjson', from, to, pageSize: 2 })).text;
    expect(ndjson.trimEnd().split('\n').map((line) => (JSON.parse(line) as { seq: string }).seq)).toEqual(['3', '4', '5', '6']);
    const csv = parseCsv((await collect({ format: 'csv', from: new Date(Date.UTC(2040, 0, 1)) })).text);
    expect(csv).toEqual([[...EXPORT_COLUMNS]]);
  });

  it('refuses an unknown format', async () => {
    await expect(collect({ format: 'xml' as 'csv' })).rejects.toThrow(/ndjson or csv/);
  });
});
