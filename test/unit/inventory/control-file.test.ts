import { statSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { controlFilePath, readControlFile, removeControlFile, writeControlFile } from '../../../src/server/control-file.js';
import { tempDirs } from '../db/support.js';

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

describe('control file', () => {
  it('round-trips, is private to its owner, and is removed', async () => {
    const dir = await dirs.make('fg-control-');
    const file = { url: 'http://127.0.0.1:4000', token: 'secret', pid: process.pid };
    writeControlFile(dir, file);
    expect(readControlFile(dir)).toEqual(file);
    expect(statSync(controlFilePath(dir)).mode & 0o777).toBe(0o600);
    removeControlFile(dir);
    expect(readControlFile(dir)).toBeUndefined();
    removeControlFile(dir);
  });

  it('ignores a file left by a dead process, or one that does not parse', async () => {
    const dir = await dirs.make('fg-control-');
    writeControlFile(dir, { url: 'http://127.0.0.1:4000', token: 't', pid: 2 ** 22 + 12345 });
    expect(readControlFile(dir)).toBeUndefined();
    writeFileSync(controlFilePath(dir), '{not json');
    expect(readControlFile(dir)).toBeUndefined();
    writeFileSync(controlFilePath(dir), JSON.stringify({ url: 'x', token: 1, pid: process.pid }));
    expect(readControlFile(dir)).toBeUndefined();
  });
});
