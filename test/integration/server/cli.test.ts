import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeartbeatDocument } from '../../generated/graphql.js';
import { projectRoot } from '../../../src/project-root.js';
import { runCli } from '../../support/process.js';
import { sseStream } from '../../support/sse.js';

let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'fg-cli-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('failover-gateway CLI', () => {
  it('lists its commands with --help', async () => {
    const cli = runCli(['--help']);
    expect(await cli.exited).toBe(0);
    for (const command of ['serve', 'migrate', 'migration', 'schema']) expect(cli.stdout()).toContain(command);
  });

  it.each([{ args: ['schema', 'print'] }, { args: ['serve', '--help'] }, { args: ['--help'] }])('$args: a reader that closes stdout early (… | head) ends it quietly with exit 0', async ({ args }) => {
    const cli = runCli(args);
    // The read end closed before the CLI wrote anything: its first write gets EPIPE.
    cli.child.stdout!.destroy();
    expect(await cli.exited).toBe(0);
    expect(cli.stderr()).not.toMatch(/EPIPE|Error|\n\s+at /);
  });

  it('documents every setting in serve --help', async () => {
    const cli = runCli(['serve', '--help']);
    expect(await cli.exited).toBe(0);
    expect(cli.stdout()).toMatch(/PORT\s+Port for HTTP/);
    expect(cli.stdout()).toMatch(/DATABASE_URL/);
  });

  it('stops on a bad setting with one line naming it, and exit code 1', async () => {
    const cli = runCli(['serve'], { PORT: 'eighty', DATA_DIR: dataDir });
    expect(await cli.exited).toBe(1);
    expect(cli.stderr().trim()).toBe(
      'failover-gateway serve: Invalid setting PORT="eighty": expected an integer from 0 to 65535 (0 picks a free port)',
    );
  });

  it('says clearly that the port is in use, with exit code 1', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const cli = runCli(['serve'], { PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'error' });
      expect(await cli.exited).toBe(1);
      expect(cli.stderr()).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      expect(cli.stderr()).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });

  it('applies migrations with `migrate` and reports status', async () => {
    const dir = join(dataDir, 'migrate');
    const first = runCli(['migrate'], { DATA_DIR: dir });
    expect(await first.exited).toBe(0);
    const migrations = readdirSync(join(projectRoot(), 'prisma', 'migrations')).filter((name) => /^\d{14}_/.test(name));
    expect(first.stdout()).toContain(`Applied ${migrations.length}: ${migrations.sort().join(', ')}`);
    const status = runCli(['migrate', '--status'], { DATA_DIR: dir });
    expect(await status.exited).toBe(0);
    expect(status.stdout()).toMatch(/applied\s+\d{14}_init/);
    expect(status.stdout()).toMatch(/0 pending/);
  });

  it('on SIGTERM finishes a request already in flight before exiting 0', async () => {
    const cli = runCli(['serve'], { PORT: '0', DATA_DIR: join(dataDir, 'drain') });
    const ready = await cli.waitForLog((line) => String(line.msg).startsWith('gateway ready'));
    const { hostname, port } = new URL(ready.url as string);
    const body = JSON.stringify({ query: '{ gateway { version } }' });
    const socket = connect(Number(port), hostname);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    let response = '';
    socket.on('data', (chunk: Buffer) => {
      response += chunk.toString();
    });
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    // Half the body now, so the request is in flight when SIGTERM arrives…
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    cli.child.kill('SIGTERM');
    await cli.waitForLog((line) => line.msg === 'shutting down');
    // …and the rest after it: the gateway still answers, then exits.
    await new Promise((resolve) => setTimeout(resolve, 300));
    socket.write(body.slice(10));
    await closed;
    expect(response).toMatch(/^HTTP\/1\.1 200/);
    expect(response).toContain('"version"');
    expect(await cli.exited).toBe(0);
  });

  it('serves, then on SIGTERM ends open streams, closes and exits 0', async () => {
    const cli = runCli(['serve'], { PORT: '0', DATA_DIR: join(dataDir, 'serve') });
    const ready = await cli.waitForLog((line) => String(line.msg).startsWith('gateway ready'));
    const url = ready.url as string;
    const stream = sseStream(url, { query: String(HeartbeatDocument), variables: { intervalMs: 100 } });
    const first = await stream.next();
    expect(first.value?.event).toBe('next');
    cli.child.kill('SIGTERM');
    // The stream ends instead of hanging until the drain timeout.
    const events = [];
    try {
      for await (const event of stream) events.push(event);
    } catch {
      // A cut connection is an acceptable end too.
    }
    expect(await cli.exited).toBe(0);
    expect(cli.stdout()).toMatch(/"msg":"gateway stopped"/);
  });
});
