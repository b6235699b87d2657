import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { settings } from '../../../src/config/settings.js';
import { projectRoot } from '../../../src/project-root.js';

describe('README configuration table', () => {
  const readme = readFileSync(join(projectRoot(), 'README.md'), 'utf8');

  it.each(Object.entries(settings))('documents %s with the text of its setting', (key, spec) => {
    expect(readme).toContain(`| \`${spec.env}\` | \`${key}\` | ${spec.doc.replace(/\|/g, '\\|')} |`);
  });
});
