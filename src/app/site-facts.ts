/**
 * What the app remembers about the site it runs on: its own account id (its changes are never judged)
 * and the project of each board (sprint events name the board only). Kept in memory for the warm
 * container and in the cache for the next one; Jira is asked only when neither knows.
 */
import { MemoryCache } from './memory-cache';
import type { Clock, JiraPort, KeyValueCache } from './ports';

const APP_ACCOUNT_SECONDS = 24 * 3600;
const BOARD_PROJECT_SECONDS = 7 * 24 * 3600;
const BOARD_PROJECT_WARM_SECONDS = 3600;

export class SiteFacts {
  private readonly appAccount: MemoryCache<string>;
  private readonly boardProjects: MemoryCache<string>;

  constructor(
    private readonly deps: { readonly jira: JiraPort; readonly cache: KeyValueCache; readonly clock: Clock },
  ) {
    this.appAccount = new MemoryCache(deps.clock);
    this.boardProjects = new MemoryCache(deps.clock);
  }

  async appAccountId(): Promise<string> {
    const warm = this.appAccount.get('app');
    if (warm) return warm;
    let id = await this.deps.cache.get<string>('app-account-id');
    if (typeof id !== 'string') {
      id = await this.deps.jira.appAccountId();
      await this.deps.cache.set('app-account-id', id, null);
    }
    this.appAccount.set('app', id, APP_ACCOUNT_SECONDS);
    return id;
  }

  /** The project key of a board; null when Jira knows no such board. */
  async projectOfBoard(boardId: string): Promise<string | null> {
    const warm = this.boardProjects.get(boardId);
    if (warm) return warm;
    const key = `board-project:${boardId}`;
    let project = await this.deps.cache.get<string>(key);
    if (typeof project !== 'string') {
      const found = await this.deps.jira.boardProjectKey(boardId);
      if (found === null) return null;
      project = found;
      await this.deps.cache.set(key, project, BOARD_PROJECT_SECONDS);
    }
    this.boardProjects.set(boardId, project, BOARD_PROJECT_WARM_SECONDS);
    return project;
  }
}
