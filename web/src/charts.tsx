// Two small hand-drawn SVG charts: horizontal bars (one per category) and columns (one per month).

/** One bar: its label, its value and the value as the reader should see it. */
export interface Bar {
  key: string;
  label: string;
  value: number;
  shown: string;
}

const WIDTH = 480;

/** Horizontal bars, labels on the left, values at the bar ends. */
export function BarChart({ bars, label, labelWidth = 120, testId }: { bars: Bar[]; label: string; labelWidth?: number; testId?: string }) {
  const row = 26;
  const top = 4;
  const valueRoom = 72;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const room = WIDTH - labelWidth - valueRoom;
  const height = top * 2 + bars.length * row;
  return (
    <svg className="chart" viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={label} data-testid={testId}>
      {bars.map((bar, i) => {
        const y = top + i * row;
        const w = bar.value > 0 ? Math.max(2, (bar.value / max) * room) : 0;
        return (
          <g key={bar.key} data-key={bar.key}>
            <title>{`${bar.label}: ${bar.shown}`}</title>
            <text className="chart-label" x={labelWidth - 10} y={y + row / 2} textAnchor="end" dominantBaseline="central">
              {bar.label}
            </text>
            <rect className="chart-track" x={labelWidth} y={y + 5} width={room} height={row - 10} rx={3} />
            {w > 0 && <rect className="chart-bar" x={labelWidth} y={y + 5} width={w} height={row - 10} rx={3} />}
            <text className="chart-value" x={labelWidth + w + 6} y={y + row / 2} dominantBaseline="central">
              {bar.shown}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** Vertical columns over a baseline, one per category (months), values on top (none for zero). */
export function ColumnChart({ bars, label, testId }: { bars: Bar[]; label: string; testId?: string }) {
  const height = 200;
  const top = 24;
  const bottom = 28;
  const side = 16;
  const plot = height - top - bottom;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const slot = (WIDTH - side * 2) / Math.max(1, bars.length);
  const barWidth = Math.min(48, slot * 0.62);
  return (
    <svg className="chart" viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={label} data-testid={testId}>
      <line className="chart-axis" x1={side} x2={WIDTH - side} y1={top + plot + 0.5} y2={top + plot + 0.5} />
      {bars.map((bar, i) => {
        const cx = side + slot * i + slot / 2;
        const h = bar.value > 0 ? Math.max(2, (bar.value / max) * plot) : 0;
        return (
          <g key={bar.key} data-key={bar.key}>
            <title>{`${bar.label}: ${bar.shown}`}</title>
            {h > 0 && <rect className="chart-bar" x={cx - barWidth / 2} y={top + plot - h} width={barWidth} height={h} rx={3} />}
            {bar.value > 0 && (
              <text className="chart-value" x={cx} y={top + plot - h - 6} textAnchor="middle">
                {bar.shown}
              </text>
            )}
            <text className="chart-label small" x={cx} y={height - 8} textAnchor="middle">
              {bar.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
