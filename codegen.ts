import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents for the operations in schema/operations/, generated from the
 * committed SDL. Tests (and portals that copy them) send these documents, so a
 * schema change that breaks a known operation fails type-checking.
 * Run `npm run codegen` after editing an operation or the schema; a test fails
 * when the committed output is stale.
 */
const shared = {
  enumsAsTypes: true,
  useTypeImports: true,
  scalars: { DateTime: 'string', JSON: 'unknown' },
};

const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  ignoreNoDocuments: false,
  // ESM with NodeNext resolution: relative imports need their .js extension.
  emitLegacyCommonJSImports: false,
  generates: {
    'test/generated/': {
      documents: ['schema/operations/*.graphql'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { ...shared, documentMode: 'string', scalars: { DateTime: 'string' } },
    },
    // The operator console: the portal operations above plus its own pages'. Documents are
    // ASTs (urql takes a DocumentNode; strings would be parsed again in the browser).
    'console/src/generated/': {
      documents: ['schema/operations/*.graphql', 'schema/operations/console/*.graphql'],
      preset: 'client',
      presetConfig: { fragmentMasking: false, gqlTagName: 'graphql' },
      config: { ...shared, dedupeFragments: true },
    },
    // Which concrete types an interface or union may be: Graphcache matches fragments on
    // Replica, Error and FailoverPayload exactly instead of guessing.
    'console/src/generated/possible-types.ts': {
      plugins: ['fragment-matcher'],
      config: { apolloClientVersion: 3, useExplicitTyping: true },
    },
  },
};

export default config;
