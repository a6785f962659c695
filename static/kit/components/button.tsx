/** A button in one of Atlassian's appearances; a busy one shows a spinner and stays focusable but inert. */
import type { ButtonHTMLAttributes } from 'react';
import { cx } from './class-names';
import { SpinnerIcon } from './spinner';

export type ButtonAppearance = 'default' | 'primary' | 'subtle' | 'link' | 'danger';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  appearance?: ButtonAppearance;
  small?: boolean;
  /** Shows a spinner and keeps the button focusable but inert while an action runs. */
  busy?: boolean;
}

export function Button({ appearance = 'default', small, busy, className, children, disabled, type, onClick, ...rest }: ButtonProps) {
  return (
    <button
      {...rest}
      type={type ?? 'button'}
      className={cx('srg-button', appearance !== 'default' && `srg-button--${appearance}`, small && 'srg-button--small', className)}
      disabled={disabled}
      aria-busy={busy || undefined}
      onClick={busy ? undefined : onClick}
    >
      {busy && <SpinnerIcon size={14} />}
      {children}
    </button>
  );
}
