/** A labelled progress bar with its percentage, and an optional line of detail. */
import { useId, type ReactNode } from 'react';

export function ProgressBar({ value, max, label, detail }: { value: number; max: number; label: string; detail?: ReactNode }) {
  const safeMax = max > 0 ? max : 1;
  const fraction = Math.min(1, Math.max(0, value / safeMax));
  const id = useId();
  return (
    <div className="srg-progress">
      <div className="srg-spread">
        <span id={id} className="srg-label">
          {label}
        </span>
        <span className="srg-small srg-subtle">{Math.round(fraction * 100)}%</span>
      </div>
      <div className="srg-progress-track" role="progressbar" aria-labelledby={id} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(fraction * 100)}>
        <div className="srg-progress-fill" style={{ width: `${fraction * 100}%` }} />
      </div>
      {detail && <span className="srg-small srg-subtle">{detail}</span>}
    </div>
  );
}
