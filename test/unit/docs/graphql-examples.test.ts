import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  GraphQLInputObjectType,
  GraphQLEnumType,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  print,
  validate,
  type DefinitionNode,
  type GraphQLSchema,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../src/project-root.js';
import { docExamples, examplesIn } from '../../support/doc-examples.js';

/**
 * Every GraphQL example of README.md and docs/ against the committed printed
 * schema: operations must validate; schema excerpts (SDL) must say what the
 * schema says. The runnable ones also run against a gateway (integration).
 */
const schema = buildSchema(readFileSync(join(projectRoot(), 'schema', 'schema.graphql'), 'utf8'));

function problemsOf(source: string, against: GraphQLSchema = schema): string[] {
  let document;
  try {
    document = parse(source);
  } catch (error) {
    return [(error as Error).message];
  }
  const executable = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION || definition.kind === Kind.FRAGMENT_DEFINITION);
  if (executable.length === document.definitions.length) return validate(against, document).map((error) => error.message);
  if (executable.length > 0) return ['an example mixes operations and schema definitions'];
  return document.definitions.flatMap((definition) => sdlProblems(definition, against));
}

/** An SDL excerpt agrees with the schema: each field (arguments and type) or enum value it shows is there, the same. */
function sdlProblems(definition: DefinitionNode, against: GraphQLSchema): string[] {
  switch (definition.kind) {
    case Kind.OBJECT_TYPE_DEFINITION:
    case Kind.OBJECT_TYPE_EXTENSION:
    case Kind.INTERFACE_TYPE_DEFINITION:
    case Kind.INPUT_OBJECT_TYPE_DEFINITION: {
      const type = against.getType(definition.name.value);
      if (!type || !(isObjectType(type) || isInterfaceType(type) || type instanceof GraphQLInputObjectType)) return [`no object, interface or input type ${definition.name.value}`];
      const fields = type.getFields();
      return (definition.fields ?? []).flatMap((field) => {
        const actual = fields[field.name.value];
        if (!actual) return [`${type.name}.${field.name.value} does not exist`];
        const shownArgs = 'arguments' in field ? (field.arguments ?? []).map((arg) => [arg.name.value, print(arg.type)] as const) : [];
        const realArgs = 'args' in actual ? actual.args.map((arg) => [arg.name, String(arg.type)] as const) : [];
        const shown = signature(field.name.value, shownArgs, print(field.type));
        const real = signature(actual.name, realArgs, String(actual.type));
        return shown === real ? [] : [`${type.name}.${field.name.value} is \`${real}\`, the example says \`${shown}\``];
      });
    }
    case Kind.ENUM_TYPE_DEFINITION: {
      const type = against.getType(definition.name.value);
      if (!(type instanceof GraphQLEnumType)) return [`no enum ${definition.name.value}`];
      return (definition.values ?? []).filter((value) => !type.getValue(value.name.value)).map((value) => `${type.name}.${value.name.value} does not exist`);
    }
    default:
      return [`a ${definition.kind} cannot be checked against the schema`];
  }
}

/** `name(a: A, b: B): T`, arguments in name order (the printed schema sorts them; an example need not). */
function signature(name: string, args: ReadonlyArray<readonly [string, string]>, type: string): string {
  const sorted = [...args].sort(([a], [b]) => a.localeCompare(b));
  return `${name}${sorted.length > 0 ? `(${sorted.map(([arg, argType]) => `${arg}: ${argType}`).join(', ')})` : ''}: ${type}`;
}

describe('GraphQL examples in README.md and docs/', () => {
  const examples = docExamples();

  it('finds the examples, runnable ones among them', () => {
    expect(examples.length).toBeGreaterThanOrEqual(10);
    expect([...new Set(examples.map((example) => example.where.split(':')[0]))]).toEqual(expect.arrayContaining(['README.md', 'docs/failover.md', 'docs/graphql.md', 'docs/progress.md']));
    expect(examples.some((example) => example.runnable)).toBe(true);
  });

  it.each(examples.map((example) => [example.where, example] as const))('%s fits the printed schema', (_where, example) => {
    expect(problemsOf(example.source)).toEqual([]);
  });
});

describe('the example checker', () => {
  it('catches fields that conflict across fragments (FailoverOperation! against FailoverOperation)', () => {
    const conflicting = `mutation($input: FailoverInput!) { failover(input: $input) {
      ... on FailoverStarted { operation { id } }
      ... on FailoverInProgressError { operation { id } } } }`;
    expect(problemsOf(conflicting).join('\n')).toMatch(/Fields "operation" conflict/);
  });

  it('catches a schema excerpt that differs from the schema', () => {
    expect(problemsOf('type Mutation { failover(input: FailoverInput): FailoverPayload! }')).toEqual([
      'Mutation.failover is `failover(idempotencyKey: String, input: FailoverInput!): FailoverPayload!`, the example says `failover(input: FailoverInput): FailoverPayload!`',
    ]);
    expect(problemsOf('type Mutation { failover(input: FailoverInput!, idempotencyKey: String): FailoverPayload! }')).toEqual([]);
  });

  it('reads fenced graphql blocks with their marker, and curl bodies', () => {
    const markdown = [
      '```graphql runnable',
      '{ gateway { version } }',
      '```',
      '```graphql',
      'query Q { viewer { subject } }',
      '```',
      '```sh',
      `curl -s http://x/graphql \\`,
      `  -d '{"query":"{ viewer { roles } }"}'`,
      '```',
    ].join('\n');
    expect(examplesIn('x.md', markdown)).toEqual([
      { where: 'x.md:1', source: '{ gateway { version } }', runnable: true },
      { where: 'x.md:4', source: 'query Q { viewer { subject } }', runnable: false },
      { where: 'x.md:7 (curl)', source: '{ viewer { roles } }', runnable: true },
    ]);
  });
});
