/** A one-line input (text, search, number or date) with its label, help and error. */
import { useId, type KeyboardEvent, type ReactNode } from 'react';
import { describedBy, FieldShell } from './field-shell';

export interface TextFieldProps {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'search' | 'number' | 'date';
  id?: string;
  name?: string;
  placeholder?: string;
  help?: ReactNode;
  error?: string | null;
  required?: boolean;
  disabled?: boolean;
  readOnly?: boolean;
  hideLabel?: boolean;
  maxLength?: number;
  min?: number | string;
  max?: number | string;
  className?: string;
  autoComplete?: string;
  onKeyDown?: (event: KeyboardEvent<HTMLInputElement>) => void;
}

export function TextField(props: TextFieldProps) {
  const generated = useId();
  const id = props.id ?? generated;
  return (
    <FieldShell id={id} label={props.label} required={props.required} help={props.help} error={props.error} hideLabel={props.hideLabel} className={props.className}>
      <input
        id={id}
        name={props.name}
        className="srg-input"
        type={props.type ?? 'text'}
        value={props.value}
        placeholder={props.placeholder}
        required={props.required}
        disabled={props.disabled}
        readOnly={props.readOnly}
        maxLength={props.maxLength}
        min={props.min}
        max={props.max}
        autoComplete={props.autoComplete ?? 'off'}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(id, props.help, props.error)}
        onChange={(event) => props.onChange(event.currentTarget.value)}
        onKeyDown={props.onKeyDown}
      />
    </FieldShell>
  );
}
