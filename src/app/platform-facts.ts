/**
 * What the platform tells about a project beyond its config, for the settings page's warnings: whether
 * the app's function validator had to let status changes through because Jira named nobody, whether the
 * config fits the property Jira's own status check reads, and whether the project is team-managed
 * (whose workflows take no app validators). Read from the app's own notes and one cached Jira call.
 */
import type { PlatformFacts } from '../core/config';
import type { JiraPort, KeyValueCache } from './ports';
import { publishState } from './published-config';
import { unknownActorKey, type UnknownActorNote } from './validator';

const PROJECT_STYLE_SECONDS = 24 * 3600;

/** Company-managed or team-managed, asked of Jira once a day per project. */
export async function projectStyle(projectKey: string, deps: { jira: JiraPort; cache: KeyValueCache }): Promise<'company-managed' | 'team-managed' | null> {
  const key = `project-style:${projectKey}`;
  const known = await deps.cache.get<string>(key);
  if (known === 'company-managed' || known === 'team-managed') return known;
  const style = await deps.jira.projectStyle(projectKey);
  if (style !== null) await deps.cache.set(key, style, PROJECT_STYLE_SECONDS);
  return style;
}

export async function platformFacts(projectKey: string, deps: { jira: JiraPort; cache: KeyValueCache }): Promise<PlatformFacts> {
  const [note, published, style] = await Promise.all([
    deps.cache.get<Partial<UnknownActorNote>>(unknownActorKey(projectKey)),
    publishState(projectKey, deps.cache),
    projectStyle(projectKey, deps),
  ]);
  return {
    unknownActors: note && typeof note.count === 'number' && typeof note.since === 'string' ? { count: note.count, since: note.since } : null,
    publishedTooLarge: published?.tooLarge === true,
    teamManaged: style === 'team-managed',
  };
}
