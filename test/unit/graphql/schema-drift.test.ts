import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { printGatewaySchema } from '../../../src/graphql/schema.js';
import { projectRoot } from '../../../src/project-root.js';

describe('schema/schema.graphql', () => {
  it('matches the schema built from the code (run `npm run schema:print` after changing it)', () => {
    const committed = readFileSync(join(projectRoot(), 'schema', 'schema.graphql'), 'utf8');
    expect(printGatewaySchema()).toBe(committed);
  });
});
