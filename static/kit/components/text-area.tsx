/** A multi-line input; with a limit it counts what will be saved and says when the text is too long. */
import { useId, type ReactNode, type Ref } from 'react';
import { cx } from './class-names';
import { describedBy, FieldShell } from './field-shell';

export interface TextAreaProps {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  id?: string;
  help?: ReactNode;
  error?: string | null;
  required?: boolean;
  disabled?: boolean;
  /**
   * The most characters the text may hold, shown as a counter. Longer text is kept as typed or pasted
   * (never cut) and marked as too long, so the person decides what goes.
   */
  limit?: number;
  rows?: number;
  placeholder?: string;
  textareaRef?: Ref<HTMLTextAreaElement>;
}

/** How much of the limit a text uses, as the counter counts it (what will be saved: trimmed). */
export function textLength(value: string): number {
  return value.trim().length;
}

export function TextArea(props: TextAreaProps) {
  const generated = useId();
  const id = props.id ?? generated;
  const length = textLength(props.value);
  const over = props.limit !== undefined && length > props.limit;
  const error = props.error ?? (over ? `${(length - props.limit!).toLocaleString()} characters too long: shorten it to ${props.limit!.toLocaleString()}. Nothing is cut for you.` : null);
  const counterId = `${id}-count`;
  return (
    <FieldShell id={id} label={props.label} required={props.required} help={props.help} error={error}>
      <textarea
        ref={props.textareaRef}
        id={id}
        className="srg-textarea"
        value={props.value}
        rows={props.rows ?? 3}
        placeholder={props.placeholder}
        required={props.required}
        disabled={props.disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={[describedBy(id, props.help, error), props.limit !== undefined ? counterId : null].filter(Boolean).join(' ') || undefined}
        onChange={(event) => props.onChange(event.currentTarget.value)}
      />
      {props.limit !== undefined && (
        <span id={counterId} className={cx('srg-counter', over && 'srg-counter--over')}>
          {length.toLocaleString()} / {props.limit.toLocaleString()} characters
        </span>
      )}
    </FieldShell>
  );
}
