/** Types of scripts/prelude.js (plain JavaScript, as it runs before anything is installed). */

export interface Platform {
  os: string;
  cpu: string;
  libc: string | undefined;
}

export interface LockEntry {
  version?: string;
  optional?: boolean;
  link?: boolean;
  os?: string | string[];
  cpu?: string | string[];
  libc?: string | string[];
}

export interface Lock {
  packages?: Record<string, LockEntry>;
}

export interface State {
  stale: boolean;
  reason: string;
}

export function currentPlatform(): Platform;
export function installsOn(entry: LockEntry, platform: Platform): boolean;
export function lockedButNotInstalled(lock: Lock, installed: Lock | undefined, platform: Platform): string[];
export function dependencyState(root?: string, platform?: Platform): State;
export function uiState(root?: string): State;
