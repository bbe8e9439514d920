import type { Dashboard } from '../api/types';

const WIDTH = 640;
const HEIGHT = 200;
const PAD = { top: 12, right: 12, bottom: 28, left: 36 };

/** Instances started and completed per minute over the last hour, as two lines in plain SVG. */
export function ThroughputChart({ points }: { points: Dashboard['throughput'] }) {
  const max = Math.max(1, ...points.map((p) => Math.max(p.started, p.completed)));
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (points.length <= 1 ? 0 : (i / (points.length - 1)) * innerW);
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH;
  const line = (field: 'started' | 'completed') =>
    points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p[field]).toFixed(1)}`).join(' ');
  const started = points.reduce((n, p) => n + p.started, 0);
  const completed = points.reduce((n, p) => n + p.completed, 0);
  const ticks = [0, Math.round(max / 2), max].filter((v, i, all) => all.indexOf(v) === i);
  const time = (ms: number) =>
    new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  const summary = `Throughput over the last ${points.length} minutes: ${started} instances started, ${completed} completed.`;

  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={summary}
        preserveAspectRatio="xMidYMid meet"
      >
        <title>{summary}</title>
        {ticks.map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(v)} y2={y(v)} className="chart-grid" />
            <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end" className="chart-axis">
              {v}
            </text>
          </g>
        ))}
        {points.length > 0 ? (
          <>
            <text x={PAD.left} y={HEIGHT - 8} className="chart-axis">
              {time(points[0]!.time)}
            </text>
            <text x={WIDTH - PAD.right} y={HEIGHT - 8} textAnchor="end" className="chart-axis">
              {time(points[points.length - 1]!.time)}
            </text>
          </>
        ) : null}
        <path d={line('started')} className="chart-line chart-started" />
        <path d={line('completed')} className="chart-line chart-completed" />
        {points.map((p, i) =>
          p.started || p.completed ? (
            <circle
              key={p.time}
              cx={x(i)}
              cy={y(Math.max(p.started, p.completed))}
              r={2.5}
              className="chart-dot"
            >
              <title>{`${time(p.time)}: ${p.started} started, ${p.completed} completed`}</title>
            </circle>
          ) : null,
        )}
      </svg>
      <figcaption className="legend">
        <span className="legend-started">Started ({started})</span>
        <span className="legend-completed">Completed ({completed})</span>
        <span className="muted">per minute, last hour</span>
      </figcaption>
    </figure>
  );
}
