/** A short, capitalised label in one of the status colours. */
import type { ReactNode } from 'react';
import { cx } from './class-names';

export type BadgeAppearance = 'default' | 'danger' | 'warning' | 'success' | 'information' | 'discovery';

export function Badge({ appearance = 'default', children, title }: { appearance?: BadgeAppearance; children: ReactNode; title?: string }) {
  return (
    <span className={cx('srg-badge', appearance !== 'default' && `srg-badge--${appearance}`)} title={title}>
      {children}
    </span>
  );
}
