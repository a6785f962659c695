/** A section message (information, warning, error, success) with an optional title and actions. */
import type { ReactNode } from 'react';

export type MessageAppearance = 'info' | 'warning' | 'error' | 'success';
const MESSAGE_ICONS: Record<MessageAppearance, string> = { info: 'i', warning: '!', error: '!', success: '✓' };

export function Message({
  appearance = 'info',
  title,
  children,
  actions,
  live,
}: {
  appearance?: MessageAppearance;
  title?: ReactNode;
  children?: ReactNode;
  actions?: ReactNode;
  /** Announce the message when it appears (errors are announced assertively). */
  live?: boolean;
}) {
  const role = live ? (appearance === 'error' ? 'alert' : 'status') : undefined;
  return (
    <section className={`srg-message srg-message--${appearance}`} role={role}>
      <span className="srg-message-icon" aria-hidden="true">
        {MESSAGE_ICONS[appearance]}
      </span>
      <div className="srg-message-body">
        {title && <h3>{title}</h3>}
        {children}
        {actions && <div className="srg-row-center">{actions}</div>}
      </div>
    </section>
  );
}
