import type { CombinedError } from '@urql/core';
import type { ErrorCode } from '../generated/graphql';
import type { ReactNode } from 'react';
import { ERROR_WORDS, type ErrorWords } from '../lib/error-words';

/** A typed refusal from the API, in words, with what to do next (`words` overrides the general table). */
export function RefusalPanel({
  code,
  message,
  detail,
  words: overrides,
  children,
}: {
  code: ErrorCode;
  message: string;
  detail?: string;
  words?: Partial<Record<ErrorCode, ErrorWords>>;
  children?: ReactNode;
}) {
  const words = overrides?.[code] ?? ERROR_WORDS[code];
  return (
    <div className="panel panel--bad" role="alert" data-code={code}>
      <h3>{words.title}</h3>
      <p>{message}</p>
      {detail ? <p>{detail}</p> : null}
      <p>
        <strong>What to do next:</strong> {words.next}
      </p>
      {children}
    </div>
  );
}

/** A transport or GraphQL error (network, limits, administration refusals). */
export function RequestError({ error }: { error: CombinedError }) {
  const code = error.graphQLErrors[0]?.extensions?.code;
  const message = error.networkError
    ? 'The gateway could not be reached. Check the connection; the page retries when you act again.'
    : error.graphQLErrors.map((e) => e.message).join(' ');
  return (
    <div className="panel panel--bad" role="alert">
      <p>
        {message}
        {typeof code === 'string' ? ` (${code})` : ''}
      </p>
    </div>
  );
}
