// Small hand-drawn SVG charts: horizontal bars (one per category), columns (one per month), a
// line over dates, and a map of points drawn within their own longitude and latitude (no tiles).

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

/** One point of a line: its label on the axis, its value and the value as the reader should see it. */
export type LinePoint = Bar;

/** A line over an ordered axis (dates), a dot per point; the first, middle and last labels shown. */
export function LineChart({ points, label, testId }: { points: LinePoint[]; label: string; testId?: string }) {
  const height = 200;
  const top = 20;
  const bottom = 28;
  const side = 28;
  const plot = height - top - bottom;
  const values = points.map((p) => p.value);
  const max = Math.max(0, ...values);
  const min = Math.min(0, ...values);
  const span = max - min || 1;
  const step = points.length > 1 ? (WIDTH - side * 2) / (points.length - 1) : 0;
  const x = (i: number) => (points.length > 1 ? side + step * i : WIDTH / 2);
  const y = (v: number) => top + plot - ((v - min) / span) * plot;
  const labelled = new Set([0, Math.floor((points.length - 1) / 2), points.length - 1]);
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const top1 = points.reduce((best, p, i) => (p.value > (points[best]?.value ?? -Infinity) ? i : best), 0);
  return (
    <svg className="chart" viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={label} data-testid={testId}>
      <line className="chart-axis" x1={side} x2={WIDTH - side} y1={y(0) + 0.5} y2={y(0) + 0.5} />
      {points.length > 1 && <path className="chart-line" d={path} />}
      {points.map((p, i) => (
        <g key={p.key} data-key={p.key}>
          <title>{`${p.label}: ${p.shown}`}</title>
          <circle className="chart-dot" cx={x(i)} cy={y(p.value)} r={points.length > 60 ? 2 : 3.5} />
          {i === top1 && (
            <text className="chart-value" x={x(i)} y={y(p.value) - 8} textAnchor="middle">
              {p.shown}
            </text>
          )}
          {labelled.has(i) && (
            <text className="chart-label small" x={x(i)} y={height - 8} textAnchor={points.length > 1 && i === 0 ? 'start' : points.length > 1 && i === points.length - 1 ? 'end' : 'middle'}>
              {p.label}
            </text>
          )}
        </g>
      ))}
    </svg>
  );
}

/** A place on a map: where it is and what it is called. */
export interface MapPoint {
  key: string;
  lat: number;
  lon: number;
  label: string;
}

/**
 * Points within the bounds of their own longitudes and latitudes (east–west distances shrunk by
 * the cosine of the latitude, so shapes are not stretched), over a light grid with the bounds'
 * coordinates at its edges. There are no map tiles: the portal works without the internet.
 */
export function PointMap({ points, label, testId }: { points: MapPoint[]; label: string; testId?: string }) {
  const pad = 22;
  const lats = points.map((p) => p.lat);
  const lons = points.map((p) => p.lon);
  // One place (or a line of them) still gets a little room around it.
  const grow = (lo: number, hi: number): [number, number] => (hi - lo < 0.002 ? [lo - 0.001, hi + 0.001] : [lo, hi]);
  const [south, north] = grow(Math.min(...lats), Math.max(...lats));
  const [west, east] = grow(Math.min(...lons), Math.max(...lons));
  const squeeze = Math.cos((((south + north) / 2) * Math.PI) / 180);
  const ratio = (north - south) / ((east - west) * squeeze);
  const height = Math.round(Math.min(420, Math.max(180, (WIDTH - pad * 2) * ratio + pad * 2)));
  const x = (lon: number) => pad + ((lon - west) / (east - west)) * (WIDTH - pad * 2);
  const y = (lat: number) => height - pad - ((lat - south) / (north - south)) * (height - pad * 2);
  const grid = [0, 0.25, 0.5, 0.75, 1];
  const deg = (n: number) => n.toFixed(3);
  return (
    <svg className="chart map" viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={label} data-testid={testId}>
      <rect className="map-bg" x={pad} y={pad} width={WIDTH - pad * 2} height={height - pad * 2} rx={4} />
      {grid.map((g) => (
        <g key={g}>
          <line className="map-grid" x1={pad + g * (WIDTH - pad * 2)} x2={pad + g * (WIDTH - pad * 2)} y1={pad} y2={height - pad} />
          <line className="map-grid" x1={pad} x2={WIDTH - pad} y1={pad + g * (height - pad * 2)} y2={pad + g * (height - pad * 2)} />
        </g>
      ))}
      <text className="chart-label small" x={pad} y={pad - 8}>{`${deg(north)}°N`}</text>
      <text className="chart-label small" x={pad} y={height - 6}>{`${deg(south)}°N · ${deg(west)}°E`}</text>
      <text className="chart-label small" x={WIDTH - pad} y={height - 6} textAnchor="end">{`${deg(east)}°E`}</text>
      {points.map((p) => (
        <circle key={p.key} className="map-point" cx={x(p.lon)} cy={y(p.lat)} r={4}>
          <title>{`${p.label} (${p.lat}, ${p.lon})`}</title>
        </circle>
      ))}
    </svg>
  );
}
