import { useId, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import {
  momentAt,
  nearestRestorable,
  position,
  ticks,
  visibleIntervals,
  windowFor,
  ZOOMS,
  type Interval,
  type LongTermPoint,
  type Zoom,
} from '../lib/cdp-timeline';
import { formatDateTime, formatTime } from '../lib/format';

interface Props {
  intervals: Interval[];
  points: LongTermPoint[];
  /** The moment picked, if any. */
  value: number | undefined;
  onPick(at: number): void;
}

const WIDTH = 1000;
const HEIGHT = 70;
/** Arrow keys move the pick by this much; Page Up/Down ten times as much. */
const KEY_STEP_MS: Record<Zoom, number> = { hour: 60_000, day: 15 * 60_000 };

/**
 * A CDP replica's history: short-term ranges (any moment inside restorable) as
 * bars, long-term points as marks (filled: application-consistent). Click or
 * use the arrow keys to pick a moment; a pick beside a range snaps to the
 * nearest restorable moment.
 */
export function CdpTimeline({ intervals, points, value, onPick }: Props) {
  const [zoom, setZoom] = useState<Zoom>('hour');
  const zoomName = useId();
  const svg = useRef<SVGSVGElement>(null);
  const view = windowFor(zoom, intervals, points, Date.now());
  const pick = (at: number) => {
    const snapped = nearestRestorable(at, intervals, points);
    if (snapped !== undefined) onPick(snapped);
  };
  const onClick = (event: MouseEvent<SVGSVGElement>) => {
    const box = svg.current?.getBoundingClientRect();
    if (!box || box.width === 0) return;
    pick(momentAt(view, (event.clientX - box.left) / box.width));
  };
  const onKeyDown = (event: KeyboardEvent<SVGSVGElement>) => {
    const step = KEY_STEP_MS[zoom];
    const from = value ?? view.to;
    const moves: Record<string, number> = {
      ArrowLeft: -step,
      ArrowDown: -step,
      ArrowRight: step,
      ArrowUp: step,
      PageDown: -10 * step,
      PageUp: 10 * step,
    };
    if (event.key === 'Home') pick(view.from);
    else if (event.key === 'End') pick(view.to);
    else if (moves[event.key] !== undefined) pick(Math.min(view.to, Math.max(view.from, from + moves[event.key]!)));
    else return;
    event.preventDefault();
  };
  const ranges = visibleIntervals(view, intervals);
  const shownPoints = points.filter((point) => point.at >= view.from && point.at <= view.to);
  return (
    <div className="timeline">
      <fieldset className="zoom">
        <legend>Zoom</legend>
        {(Object.keys(ZOOMS) as Zoom[]).map((key) => (
          <label key={key}>
            <input type="radio" name={zoomName} value={key} checked={zoom === key} onChange={() => setZoom(key)} /> {ZOOMS[key].label}
          </label>
        ))}
      </fieldset>
      <svg
        ref={svg}
        className="timeline__chart"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        preserveAspectRatio="none"
        role="slider"
        tabIndex={0}
        aria-label="Point in time on the CDP timeline"
        aria-valuemin={view.from}
        aria-valuemax={view.to}
        aria-valuenow={value ?? view.to}
        aria-valuetext={value === undefined ? 'Nothing picked' : formatDateTime(value)}
        onClick={onClick}
        onKeyDown={onKeyDown}
        data-testid="cdp-timeline"
      >
        <rect x={0} y={0} width={WIDTH} height={HEIGHT} className="timeline__bg" />
        {ranges.map(({ left, right, interval }) => (
          <rect
            key={interval.start}
            x={left * WIDTH}
            y={14}
            width={Math.max(2, (right - left) * WIDTH)}
            height={22}
            className="timeline__range"
            data-testid="cdp-range"
          />
        ))}
        {shownPoints.map((point) => (
          <circle
            key={point.at}
            cx={position(view, point.at) * WIDTH}
            cy={50}
            r={5}
            className={point.applicationConsistent ? 'timeline__point timeline__point--app' : 'timeline__point'}
          />
        ))}
        {ticks(view, zoom).map((at) => (
          <line key={at} x1={position(view, at) * WIDTH} x2={position(view, at) * WIDTH} y1={60} y2={HEIGHT} className="timeline__tick" />
        ))}
        {value !== undefined ? (
          <line x1={position(view, value) * WIDTH} x2={position(view, value) * WIDTH} y1={0} y2={HEIGHT} className="timeline__pick" />
        ) : null}
      </svg>
      <div className="timeline__labels" aria-hidden="true">
        <span>{formatTime(view.from)}</span>
        <span>{formatTime(view.to)}</span>
      </div>
      <p className="muted timeline__legend">
        <span className="legend legend--range" /> restorable range <span className="legend legend--point" /> crash-consistent point{' '}
        <span className="legend legend--app" /> application-consistent point
      </p>
    </div>
  );
}
