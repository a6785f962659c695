/**
 * Horizontal bars with their labels in full (they wrap): for categories that are sentences, such as
 * rule titles. The numbers are text beside each bar, so nothing needs a table of its own.
 */
import type { ReactNode } from 'react';
import { ChartFigure } from './chart-figure';

export function BarList({
  title,
  description,
  items,
  valueLabel,
}: {
  title: string;
  description?: ReactNode;
  items: readonly { key: string; label: ReactNode; value: number; detail?: ReactNode }[];
  /** What a value counts, for each bar's accessible text ("times"). */
  valueLabel: string;
}) {
  const max = Math.max(1, ...items.map((item) => item.value));
  return (
    <ChartFigure title={title} description={description}>
      <ul className="srg-bar-list">
        {items.map((item) => (
          <li key={item.key}>
            <span className="srg-bar-list-label">
              {item.label}
              {item.detail && <span className="srg-small srg-subtle"> {item.detail}</span>}
            </span>
            <span className="srg-bar-list-bar" aria-hidden="true">
              <span className="srg-series-1" style={{ width: `${(item.value / max) * 100}%` }} />
            </span>
            <span className="srg-bar-list-value">
              {item.value}
              <span className="srg-visually-hidden"> {valueLabel}</span>
            </span>
          </li>
        ))}
      </ul>
    </ChartFigure>
  );
}
