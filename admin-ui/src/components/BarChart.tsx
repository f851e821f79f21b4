import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'react';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

export type BarSeries = { label: string; values: number[]; color: string };

/**
 * Bars drawn by chart.js on a canvas, as the recovery report's: the numbers are always in a
 * table beside it too, for screen readers and exact reading. `horizontal` for long labels.
 */
export function BarChart({
  labels,
  series,
  label,
  horizontal = false,
  unit = '',
  testId,
}: {
  labels: string[];
  series: BarSeries[];
  label: string;
  horizontal?: boolean;
  unit?: string;
  testId?: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const key = JSON.stringify([labels, series]);
  useEffect(() => {
    if (!canvas.current) return;
    const value = horizontal ? 'x' : 'y';
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: { labels, datasets: series.map((s) => ({ label: s.label, data: s.values, backgroundColor: s.color })) },
      options: {
        indexAxis: horizontal ? 'y' : 'x',
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { [value]: { beginAtZero: true, ticks: { callback: (v: string | number) => `${v}${unit}` } } },
      },
    });
    return () => chart.destroy();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the key stands for labels and series
  }, [key, horizontal, unit]);
  return (
    <div className="comeback-chart__canvas" data-testid={testId}>
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
