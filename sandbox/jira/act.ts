/**
 * Acting as a demo person: each action is a real REST request through `site.handle()` as that
 * user, so permissions, validators and the contract apply exactly as they do to the app.
 */
import { z } from 'zod';
import type { IssueState, JiraSite, JiraResponse } from './site';
import type { Person, Sprint } from './model';

const key = z.string({ error: 'expected a work item key such as "DEMO-4"' }).min(1);
const sprintRef = z.union([z.number().int().positive(), z.string().min(1)], { error: 'expected a sprint id or name' });

export const actActionSchema = z.discriminatedUnion(
  'action',
  [
    z.object({ action: z.literal('rank'), issue: key, before: key.optional(), after: key.optional() }).refine((a) => (a.before === undefined) !== (a.after === undefined), {
      error: 'give exactly one of "before" and "after"',
      path: ['before'],
    }),
    z.object({ action: z.literal('transition'), issue: key, to: z.string({ error: 'expected the target status name, e.g. "In Progress"' }).min(1) }),
    z.object({ action: z.literal('edit'), issue: key, fields: z.record(z.string(), z.unknown(), { error: 'expected the fields to change as an object' }) }),
    z.object({
      action: z.literal('create'),
      summary: z.string({ error: 'expected a summary' }).min(1),
      type: z.string({ error: 'expected a work item type such as "Story", "Bug" or "Subtask"' }).min(1),
      parent: key.optional(),
      project: z.string().min(1).optional(),
    }),
    z.object({ action: z.literal('start-sprint'), sprint: sprintRef, goal: z.string().optional(), endDate: z.string().optional() }),
    z.object({ action: z.literal('complete-sprint'), sprint: sprintRef, moveOpenItemsTo: sprintRef.optional() }),
  ],
  { error: 'expected "action" to be one of rank, transition, edit, create, start-sprint, complete-sprint' },
);

export type ActAction = z.input<typeof actActionSchema>;

export interface SprintState {
  id: number;
  name: string;
  state: string;
  goal: string;
  startDate: string | null;
  endDate: string | null;
  completeDate: string | null;
}

export type ActResult = { ok: true; issue?: IssueState; sprint?: SprintState } | { ok: false; status: number; message: string };

function messageOf(response: JiraResponse): string {
  try {
    const body = JSON.parse(response.body) as { errorMessages?: string[]; errors?: Record<string, string> };
    const parts = [...(body.errorMessages ?? []), ...Object.entries(body.errors ?? {}).map(([field, message]) => `${field}: ${message}`)];
    if (parts.length > 0) return parts.join('; ');
  } catch {
    // not JSON: fall through
  }
  return `Jira answered ${response.status}`;
}

function sprintState(sprint: Sprint): SprintState {
  const { id, name, state, goal, startDate, endDate, completeDate } = sprint;
  return { id, name, state, goal, startDate, endDate, completeDate };
}

export class SiteActions {
  constructor(private readonly site: JiraSite) {}

  private async request(person: Person, method: string, path: string, body?: unknown): Promise<JiraResponse> {
    return this.site.handle({
      actor: person.accountType === 'app' ? { kind: 'app' } : { kind: 'user', accountId: person.accountId },
      method,
      path,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  private findSprint(ref: number | string): Sprint | undefined {
    return typeof ref === 'number' ? this.site.sprint(ref) : this.site.sprints.find((s) => s.name.toLowerCase() === ref.toLowerCase() || String(s.id) === ref);
  }

  /** Friendly field names for scripts: estimate, sprint, assignee by name, priority by name. */
  private restFields(fields: Record<string, unknown>, issueKey: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const projectKey = this.site.findIssue(issueKey)?.projectKey ?? this.site.project.key;
    for (const [name, value] of Object.entries(fields)) {
      if (name === 'estimate' || name === 'storyPoints') out[this.site.estimateFieldOf(projectKey)] = value;
      else if (name === 'sprint') out[this.site.fieldIds.sprint] = typeof value === 'string' ? (this.findSprint(value)?.id ?? value) : value;
      else if (name === 'assignee' && typeof value === 'string') out['assignee'] = { accountId: this.site.findPerson(value)?.accountId ?? value };
      else if (name === 'priority' && typeof value === 'string') out['priority'] = { name: value };
      else out[name] = value;
    }
    return out;
  }

  async act(asNameOrAccountId: string, input: ActAction): Promise<ActResult> {
    const person = this.site.findPerson(asNameOrAccountId);
    if (!person) return { ok: false, status: 404, message: `No demo person is called '${asNameOrAccountId}'.` };
    const parsed = actActionSchema.safeParse(input);
    if (!parsed.success) {
      return { ok: false, status: 400, message: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') };
    }
    const action = parsed.data;
    const fail = (response: JiraResponse): ActResult => ({ ok: false, status: response.status, message: messageOf(response) });
    const issueResult = (keyOrId: string): ActResult => ({ ok: true, issue: this.site.issueState(keyOrId) });

    switch (action.action) {
      case 'rank': {
        const body = { issues: [action.issue], ...(action.before !== undefined ? { rankBeforeIssue: action.before } : { rankAfterIssue: action.after }) };
        const response = await this.request(person, 'PUT', '/rest/agile/1.0/issue/rank', body);
        if (response.status === 207) {
          const entries = (JSON.parse(response.body) as { entries: { status: number; errors?: { errorMessages?: string[] } }[] }).entries;
          const failed = entries.find((e) => e.status >= 400);
          if (failed) return { ok: false, status: failed.status, message: failed.errors?.errorMessages?.join('; ') ?? 'The work item could not be ranked.' };
        }
        return response.status >= 300 ? fail(response) : issueResult(action.issue);
      }
      case 'transition': {
        const path = `/rest/api/3/issue/${encodeURIComponent(action.issue)}/transitions`;
        const listed = await this.request(person, 'GET', path);
        if (listed.status !== 200) return fail(listed);
        const transitions = (JSON.parse(listed.body) as { transitions: { id: string; name: string; to: { name: string } }[] }).transitions;
        const target = action.to.toLowerCase();
        const transition = transitions.find((t) => t.to.name.toLowerCase() === target) ?? transitions.find((t) => t.name.toLowerCase() === target);
        if (!transition) return { ok: false, status: 400, message: `${person.displayName} has no transition to '${action.to}' on ${action.issue}.` };
        const response = await this.request(person, 'POST', path, { transition: { id: transition.id } });
        return response.status >= 300 ? fail(response) : issueResult(action.issue);
      }
      case 'edit': {
        const response = await this.request(person, 'PUT', `/rest/api/3/issue/${encodeURIComponent(action.issue)}`, { fields: this.restFields(action.fields, action.issue) });
        return response.status >= 300 ? fail(response) : issueResult(action.issue);
      }
      case 'create': {
        const wanted = action.type.toLowerCase().replace(/[^a-z]/g, '');
        const type = this.site.issueTypes.find((t) => t.name.toLowerCase().replace(/[^a-z]/g, '') === wanted);
        const fields: Record<string, unknown> = {
          project: { key: action.project ?? this.site.project.key },
          issuetype: type ? { id: type.id } : { name: action.type },
          summary: action.summary,
          ...(action.parent !== undefined ? { parent: { key: action.parent } } : {}),
        };
        const response = await this.request(person, 'POST', '/rest/api/3/issue', { fields });
        if (response.status !== 201) return fail(response);
        return issueResult((JSON.parse(response.body) as { key: string }).key);
      }
      case 'start-sprint':
      case 'complete-sprint': {
        const sprint = this.findSprint(action.sprint);
        if (!sprint) return { ok: false, status: 404, message: `No sprint '${String(action.sprint)}'.` };
        const body =
          action.action === 'start-sprint'
            ? {
                state: 'active',
                ...(action.goal !== undefined ? { goal: action.goal } : {}),
                startDate: this.site.now(),
                endDate: action.endDate ?? sprint.endDate ?? this.site.defaultSprintEnd(),
              }
            : { state: 'closed' };
        const openItems = this.site.issues.filter((i) => !this.site.isSubtask(i) && i.sprintIds.includes(sprint.id) && this.site.status(i.statusId).category !== 'done');
        const response = await this.request(person, 'POST', `/rest/agile/1.0/sprint/${sprint.id}`, body);
        if (response.status !== 200) return fail(response);
        if (action.action === 'complete-sprint' && action.moveOpenItemsTo !== undefined && openItems.length > 0) {
          // Jira's "complete sprint" dialog moves open items on to the chosen sprint as a second step.
          const next = this.findSprint(action.moveOpenItemsTo);
          if (!next) return { ok: false, status: 404, message: `No sprint '${String(action.moveOpenItemsTo)}'.` };
          const moved = await this.request(person, 'POST', `/rest/agile/1.0/sprint/${next.id}/issue`, { issues: openItems.map((i) => i.key) });
          if (moved.status >= 300) return fail(moved);
        }
        return { ok: true, sprint: sprintState(sprint) };
      }
    }
  }
}
