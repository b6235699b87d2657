import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config from '../../../codegen.js';
import { projectRoot } from '../../../src/project-root.js';

describe('test/generated/ (GraphQL Code Generator output)', () => {
  it('matches what codegen.ts produces from the committed schema and operations (run `npm run codegen`)', async () => {
    const root = projectRoot();
    const outputs = (await generate({ ...config, cwd: root, silent: true }, false)) as Array<{
      filename: string;
      content: string;
    }>;
    expect(outputs.length).toBeGreaterThan(0);
    for (const output of outputs) {
      const file = join(root, relative(root, join(root, output.filename)));
      expect(readFileSync(file, 'utf8'), output.filename).toBe(output.content);
    }
  });
});
