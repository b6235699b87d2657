import type { FailoverState } from '../generated/graphql';
import { formatTime } from '../lib/format';
import { STATE_LABELS } from '../lib/labels';
import { CHART_STATES, operationsPerHour } from '../lib/operations-chart';

const HOURS = 6;
const WIDTH = 600;
const HEIGHT = 140;
const BAR_AREA = 110;

/** Operations per state over the last hours, as stacked bars, with the same numbers in a table for screen readers. */
export function OperationsChart({ operations }: { operations: ReadonlyArray<{ createdAt: string; state: FailoverState }> }) {
  const buckets = operationsPerHour(operations, HOURS, Date.now());
  const most = Math.max(1, ...buckets.map((bucket) => CHART_STATES.reduce((sum, state) => sum + bucket.counts[state], 0)));
  const slot = WIDTH / HOURS;
  const total = buckets.reduce((sum, bucket) => sum + CHART_STATES.reduce((count, state) => count + bucket.counts[state], 0), 0);
  return (
    <figure className="chart">
      <figcaption>Operations (failovers and later actions) asked for per hour, by state (last {HOURS} hours)</figcaption>
      {total === 0 ? <p className="muted">None in the last {HOURS} hours.</p> : null}
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} aria-hidden="true" className="chart__svg">
        {buckets.map((bucket, index) => {
          let y = BAR_AREA;
          return (
            <g key={bucket.at}>
              {CHART_STATES.map((state) => {
                const height = (bucket.counts[state] / most) * (BAR_AREA - 10);
                y -= height;
                return height > 0 ? (
                  <rect key={state} x={index * slot + slot * 0.2} y={y} width={slot * 0.6} height={height} className={`chart__bar chart__bar--${STATE_LABELS[state].tone}`} />
                ) : null;
              })}
              <text x={index * slot + slot / 2} y={HEIGHT - 10} textAnchor="middle" className="chart__label">
                {formatTime(bucket.at)}
              </text>
            </g>
          );
        })}
      </svg>
      <p className="chart__legend muted" aria-hidden="true">
        <span className="legend chart__bar--busy-bg" /> running <span className="legend chart__bar--good-bg" /> succeeded{' '}
        <span className="legend chart__bar--warn-bg" /> warnings or unknown <span className="legend chart__bar--bad-bg" /> failed or not started
      </p>
      <div className="visually-hidden">
      <table>
        <caption>Failovers per hour and state</caption>
        <thead>
          <tr>
            <th scope="col">Hour</th>
            {CHART_STATES.map((state) => (
              <th scope="col" key={state}>
                {STATE_LABELS[state].label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {buckets.map((bucket) => (
            <tr key={bucket.at}>
              <th scope="row">{formatTime(bucket.at)}</th>
              {CHART_STATES.map((state) => (
                <td key={state}>{bucket.counts[state]}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </figure>
  );
}
