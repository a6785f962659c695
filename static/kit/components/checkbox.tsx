/** A checkbox inside its label; the label may be there for screen readers only. */

export function Checkbox({ label, checked, onChange, disabled, hideLabel }: { label: string; checked: boolean; onChange: (checked: boolean) => void; disabled?: boolean; hideLabel?: boolean }) {
  return (
    <label className="srg-checkbox">
      <input type="checkbox" checked={checked} disabled={disabled} onChange={(event) => onChange(event.currentTarget.checked)} />
      <span className={hideLabel ? 'srg-visually-hidden' : undefined}>{label}</span>
    </label>
  );
}
