/** A spinner with a visible label, announced politely; its icon alone is also used inside busy buttons. */

export function SpinnerIcon({ size }: { size: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <circle cx="10" cy="10" r="7" />
    </svg>
  );
}

export function Spinner({ label = 'Loading', size = 20 }: { label?: string; size?: number }) {
  return (
    <span className="srg-spinner" role="status">
      <SpinnerIcon size={size} />
      <span>{label}</span>
    </span>
  );
}
