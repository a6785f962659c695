/** Refusals the screen services raise; the resolvers turn them into the contract's error envelope. */
import type { BoundaryIssue } from '../../core/issues';
import type { ErrorCode, SettingsSnapshot } from '../../shared/resolver-api';

export class ScreenError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues: readonly BoundaryIssue[] = [],
    readonly current?: SettingsSnapshot,
  ) {
    super(message);
    this.name = 'ScreenError';
  }
}

export const forbidden = (message: string): ScreenError => new ScreenError('forbidden', message);
export const notFound = (message: string): ScreenError => new ScreenError('not-found', message);
