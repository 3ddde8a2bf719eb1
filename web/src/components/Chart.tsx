import { useEffect, useRef, useState } from 'preact/hooks';
import type uPlotType from 'uplot';
import { TableScroll } from './ui';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: string;
  kind: 'bars' | 'line';
  dash?: number[];
}

interface ChartData {
  xLabels: string[];
  series: ChartSeries[];
  yMax?: number;
  yLabel?: string;
}

/** A uPlot chart loaded on demand, with its data as a table for screen readers and print. */
export function Chart(props: ChartData & { title: string; testId?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [error, setError] = useState(false);
  // The chart is drawn again only when what it shows changes: callers pass
  // new arrays on every render, so the effect depends on their content.
  const data = JSON.stringify({ xLabels: props.xLabels, series: props.series, yMax: props.yMax, yLabel: props.yLabel });
  useEffect(() => {
    const { xLabels, series, yMax, yLabel } = JSON.parse(data) as ChartData;
    let plot: uPlotType | null = null;
    let observer: ResizeObserver | null = null;
    let cancelled = false;
    Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')])
      .then(([mod]) => {
        if (cancelled || !box.current) return;
        const uPlot = mod.default;
        const xs = xLabels.map((_, i) => i);
        const width = Math.max(280, box.current.clientWidth);
        const bars = uPlot.paths.bars ? uPlot.paths.bars({ size: [0.6, 40], gap: 2 }) : undefined;
        const nBars = series.filter((s) => s.kind === 'bars').length;
        const opts: uPlotType.Options = {
          width,
          height: 240,
          legend: { show: true, live: false },
          cursor: { drag: { x: false, y: false } },
          scales: { x: { time: false, range: [-0.6, xs.length - 0.4] }, y: { range: [0, yMax ?? null] as unknown as uPlotType.Range.MinMax } },
          axes: [
            { values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? xLabels[v] ?? '' : '')), space: 30, stroke: '#3d4a57' },
            { label: yLabel, stroke: '#3d4a57', grid: { stroke: '#e3e8ee' } },
          ],
          series: [
            { label: 'Week' },
            ...series.map((s, i) => ({
              label: s.label,
              stroke: s.color,
              width: s.kind === 'line' ? 2 : 1,
              fill: s.kind === 'bars' ? s.color + (i === 0 ? '55' : 'cc') : undefined,
              dash: s.dash,
              paths: s.kind === 'bars' && bars ? (nBars > 1 ? uPlot.paths.bars!({ size: [0.35, 24], gap: 1, align: i === 0 ? -1 : 1 }) : bars) : undefined,
              points: { show: s.kind === 'line', size: 6 },
              spanGaps: true,
            })),
          ],
        };
        plot = new uPlot(opts, [xs, ...series.map((s) => s.values)] as uPlotType.AlignedData, box.current);
        let lastWidth = width;
        let frame = 0;
        observer = new ResizeObserver(() => {
          cancelAnimationFrame(frame);
          frame = requestAnimationFrame(() => {
            if (!plot || !box.current) return;
            const w = Math.max(280, box.current.clientWidth);
            if (w !== lastWidth) {
              lastWidth = w;
              plot.setSize({ width: w, height: 240 });
            }
          });
        });
        observer.observe(box.current);
      })
      .catch(() => setError(true));
    return () => {
      cancelled = true;
      observer?.disconnect();
      plot?.destroy();
    };
  }, [data]);
  return (
    <figure class="chart" data-testid={props.testId}>
      <figcaption>{props.title}</figcaption>
      <div ref={box} class="chart-box" aria-hidden="true" />
      {error && <p class="muted small">The chart could not be drawn; the numbers are in the table below.</p>}
      <details class="chart-table">
        <summary>Show the numbers</summary>
        <TableScroll label={`${props.title}: the numbers`}>
          <table>
            <thead>
              <tr>
                <th scope="col" />
                {props.series.map((s) => (
                  <th scope="col" key={s.label}>
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.xLabels.map((x, i) => (
                <tr key={i}>
                  <th scope="row">{x}</th>
                  {props.series.map((s) => (
                    <td key={s.label}>{s.values[i] ?? '—'}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </details>
    </figure>
  );
}
