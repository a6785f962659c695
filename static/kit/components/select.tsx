/** A native select with its label, help and error. */
import { useId, type ReactNode } from 'react';
import { describedBy, FieldShell } from './field-shell';

export interface SelectOption<V extends string = string> {
  value: V;
  label: string;
  disabled?: boolean;
}

export interface SelectProps<V extends string> {
  label: ReactNode;
  value: V;
  options: readonly SelectOption<V>[];
  onChange: (value: V) => void;
  id?: string;
  help?: ReactNode;
  error?: string | null;
  disabled?: boolean;
  hideLabel?: boolean;
  className?: string;
}

export function Select<V extends string>(props: SelectProps<V>) {
  const generated = useId();
  const id = props.id ?? generated;
  return (
    <FieldShell id={id} label={props.label} help={props.help} error={props.error} hideLabel={props.hideLabel} className={props.className}>
      <select
        id={id}
        className="srg-select"
        value={props.value}
        disabled={props.disabled}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(id, props.help, props.error)}
        onChange={(event) => props.onChange(event.currentTarget.value as V)}
      >
        {props.options.map((option) => (
          <option key={option.value} value={option.value} disabled={option.disabled}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}
