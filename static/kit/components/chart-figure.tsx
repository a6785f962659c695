/** A chart's frame: its title (which names the figure) and a sentence about it. */
import { useId, type ReactNode } from 'react';

export function ChartFigure({ title, description, children }: { title: string; description?: ReactNode; children: ReactNode }) {
  const titleId = useId();
  return (
    <figure className="srg-chart" aria-labelledby={titleId} style={{ margin: 0 }}>
      <figcaption id={titleId}>
        <h3>{title}</h3>
        {description && <p className="srg-small srg-subtle">{description}</p>}
      </figcaption>
      {children}
    </figure>
  );
}
