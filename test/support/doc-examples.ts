import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { projectRoot } from '../../src/project-root.js';

/**
 * The GraphQL examples of README.md and docs/*.md: every fenced block whose
 * info string starts with `graphql` (`graphql runnable` marks the ones a test
 * also runs against a gateway), and the `"query"` of each JSON body a `curl`
 * example sends with `-d '…'` (those are runnable too: they are meant to be pasted).
 */
export interface DocExample {
  /** Where it is, e.g. `docs/failover.md:35` (the line of the opening fence or of the curl). */
  where: string;
  source: string;
  runnable: boolean;
}

export function docFiles(): string[] {
  const docs = join(projectRoot(), 'docs');
  return [join(projectRoot(), 'README.md'), ...readdirSync(docs).filter((name) => name.endsWith('.md')).sort().map((name) => join(docs, name))];
}

export function docExamples(files: readonly string[] = docFiles()): DocExample[] {
  return files.flatMap((file) => examplesIn(relative(projectRoot(), file), readFileSync(file, 'utf8')));
}

const FENCE = /^(`{3,}|~{3,})\s*(\S*)\s*(.*)$/;
const CURL_BODY = /-d\s+'(\{.*?\})'/g;

export function examplesIn(name: string, markdown: string): DocExample[] {
  const lines = markdown.split('\n');
  const found: DocExample[] = [];
  let open: { fence: string; lang: string; words: string[]; line: number; body: string[] } | null = null;
  lines.forEach((line, index) => {
    if (open) {
      if (line.trim() === open.fence) {
        collect(open);
        open = null;
      } else open.body.push(line);
      return;
    }
    const fence = FENCE.exec(line.trim());
    if (fence) open = { fence: fence[1]!, lang: fence[2]!.toLowerCase(), words: fence[3]!.split(/\s+/).filter(Boolean), line: index + 1, body: [] };
  });
  if (open) throw new Error(`${name}: a fenced block opened and never closed`);
  return found;

  function collect(block: { lang: string; words: string[]; line: number; body: string[] }): void {
    const where = `${name}:${block.line}`;
    if (block.lang === 'graphql') {
      found.push({ where, source: block.body.join('\n'), runnable: block.words.includes('runnable') });
      return;
    }
    if (block.lang !== 'sh' && block.lang !== 'bash' && block.lang !== 'shell') return;
    // A curl continued over several lines is one command.
    const text = block.body.join('\n').replace(/\\\n\s*/g, ' ');
    for (const match of text.matchAll(CURL_BODY)) {
      const body = JSON.parse(match[1]!) as { query?: unknown };
      if (typeof body.query === 'string') found.push({ where: `${where} (curl)`, source: body.query, runnable: true });
    }
  }
}
