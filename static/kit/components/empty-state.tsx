/** What an empty list or result says instead: a heading, a sentence, and what to do next. */
import type { ReactNode } from 'react';
import { cx } from './class-names';

export function EmptyState({ title, children, actions, compact, headingLevel = 2 }: { title: string; children?: ReactNode; actions?: ReactNode; compact?: boolean; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <div className={cx('srg-empty', compact && 'srg-empty--compact')}>
      <Heading>{title}</Heading>
      {children}
      {actions && <div className="srg-row-center" style={compact ? undefined : { justifyContent: 'center' }}>{actions}</div>}
    </div>
  );
}
