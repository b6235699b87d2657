import { GraphQLError, type ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';

/** graphql-js words every variable coercion failure this way (wrong type, missing, a broken @oneOf). */
const VARIABLE_ERROR = /^Variable "\$/;

/**
 * Variables that do not fit the operation (a wrong type, a missing required
 * one, two or no members of a @oneOf input) are refused by graphql-js before
 * execution, without an `extensions.code`: the same mistake written inline in
 * the document gets GRAPHQL_VALIDATION_FAILED. Clients branch on the code, so
 * these get BAD_USER_INPUT.
 */
export function useVariableErrorCodes(): Plugin {
  return {
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if (isAsyncIterable(result)) return;
          const { errors } = result as ExecutionResult;
          if (!errors?.some(isUncodedVariableError)) return;
          setResult({ ...(result as ExecutionResult), errors: errors.map((error) => (isUncodedVariableError(error) ? withCode(error) : error)) });
        },
      };
    },
  };
}

function isUncodedVariableError(error: GraphQLError): boolean {
  return error.extensions?.code === undefined && error.path === undefined && VARIABLE_ERROR.test(error.message);
}

function withCode(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    originalError: error.originalError,
    extensions: { ...error.extensions, code: 'BAD_USER_INPUT' },
  });
}
