/** What every form field has around its input: a visible label, an optional help text and an error tied to the input. */
import type { ReactNode } from 'react';
import { cx } from './class-names';

export interface FieldShellProps {
  id: string;
  label: ReactNode;
  required?: boolean;
  help?: ReactNode;
  error?: string | null;
  hideLabel?: boolean;
  children: ReactNode;
  className?: string;
}

export function FieldShell({ id, label, required, help, error, hideLabel, children, className }: FieldShellProps) {
  return (
    <div className={cx('srg-field', className)} data-field-id={id}>
      <label htmlFor={id} className={hideLabel ? 'srg-visually-hidden' : undefined}>
        {label}
        {required && (
          <span className="srg-required" aria-hidden="true">
            {' '}
            *
          </span>
        )}
      </label>
      {children}
      {help && (
        <span id={`${id}-help`} className="srg-field-help">
          {help}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="srg-field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

/** The ids of a field's help and error, for its input's `aria-describedby`. */
export function describedBy(id: string, help: unknown, error: unknown): string | undefined {
  const ids = [help ? `${id}-help` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}
