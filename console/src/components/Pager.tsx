interface Props {
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious(): void;
  onNext(): void;
  summary: string;
}

/** Previous / next over server-side pages (Relay cursors), with where we are in words. */
export function Pager({ hasPrevious, hasNext, onPrevious, onNext, summary }: Props) {
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" className="button button--quiet" disabled={!hasPrevious} onClick={onPrevious}>
        Previous page
      </button>
      <span aria-live="polite">{summary}</span>
      <button type="button" className="button button--quiet" disabled={!hasNext} onClick={onNext}>
        Next page
      </button>
    </nav>
  );
}
