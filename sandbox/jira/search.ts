/** Evaluating the supported JQL subset (see jql.ts) over the site's work items. */
import { jqlDateToTime, JqlError, type Clause, type JqlQuery } from './jql';
import { parseJiraDate } from './dates';
import type { Issue } from './model';
import type { JiraSite } from './site';

function sprintMatches(site: JiraSite, issue: Issue, clause: Clause): boolean {
  const sprints = issue.sprintIds.map((id) => site.sprint(id)).filter((s) => s !== undefined);
  switch (clause.kind) {
    case 'function': {
      const state = { opensprints: ['active', 'future'], closedsprints: ['closed'], futuresprints: ['future'] }[clause.fn];
      if (!state) throw new JqlError(`Error in the JQL Query: the function '${clause.fn}()' is not supported for sprint by the local Jira.`);
      return sprints.some((s) => state.includes(s.state)) !== clause.negated;
    }
    case 'in': {
      const wanted = clause.values.map((v) => v.toLowerCase());
      return sprints.some((s) => wanted.includes(String(s.id)) || wanted.includes(s.name.toLowerCase())) !== clause.negated;
    }
    case 'empty':
      return (sprints.length === 0) !== clause.negated;
    default:
      throw new JqlError("Error in the JQL Query: only 'in', '=', '!=' and 'is EMPTY' work with sprint here.");
  }
}

function valueMatches(clause: Clause, actual: string | null, equals: (value: string) => boolean): boolean {
  if (clause.kind === 'empty') return (actual === null) !== clause.negated;
  if (clause.kind === 'in') return clause.values.some(equals) !== clause.negated;
  throw new JqlError(`Error in the JQL Query: the field '${clause.field}' does not support this operator here.`);
}

function dateMatches(clause: Clause, actual: string, now: Date): boolean {
  if (clause.kind !== 'compare') throw new JqlError(`Error in the JQL Query: compare '${clause.field}' with >=, >, <= or <.`);
  const limit = jqlDateToTime(clause.value, now);
  const value = parseJiraDate(actual)?.getTime() ?? 0;
  switch (clause.op) {
    case '>=':
      return value >= limit;
    case '>':
      return value > limit;
    case '<=':
      return value <= limit;
    case '<':
      return value < limit;
    default:
      return false;
  }
}

function matches(site: JiraSite, issue: Issue, clause: Clause, actorAccountId: string): boolean {
  const field = site.fieldIdFor(clause.field);
  const lower = (v: string): string => v.toLowerCase();
  switch (clause.field === 'issue' || clause.field === 'issuekey' ? 'key' : field) {
    case 'project':
      return valueMatches(clause, issue.projectKey, (v) => lower(v) === lower(issue.projectKey) || v === site.projectOf(issue.projectKey)?.project.id);
    case 'key':
      return valueMatches(clause, issue.key, (v) => lower(v) === lower(issue.key) || v === issue.id);
    case 'status': {
      const status = site.status(issue.statusId);
      return valueMatches(clause, status.name, (v) => lower(v) === lower(status.name) || v === status.id);
    }
    case 'statusCategory': {
      const category = site.status(issue.statusId).category;
      const names = { new: ['to do', 'new', '2'], indeterminate: ['in progress', 'indeterminate', '4'], done: ['done', '3'] }[category];
      return valueMatches(clause, category, (v) => names.includes(lower(v)));
    }
    case 'assignee':
      if (clause.kind === 'function') {
        if (clause.fn !== 'currentuser') throw new JqlError(`Error in the JQL Query: the function '${clause.fn}()' is not supported for assignee.`);
        return (issue.assignee === actorAccountId) !== clause.negated;
      }
      return valueMatches(clause, issue.assignee, (v) => v === issue.assignee);
    case 'issuetype': {
      const type = site.issueType(issue.typeId);
      return valueMatches(clause, type.name, (v) => lower(v) === lower(type.name) || v === type.id);
    }
    case 'parent':
      return valueMatches(clause, issue.parentKey, (v) => issue.parentKey !== null && lower(v) === lower(issue.parentKey));
    case 'updated':
      return dateMatches(clause, issue.updated, site.clock());
    case 'created':
      return dateMatches(clause, issue.created, site.clock());
    default:
      if (field === site.fieldIds.sprint || lower(clause.field) === 'sprint') return sprintMatches(site, issue, clause);
      throw new JqlError(`Error in the JQL Query: the field '${clause.field}' is not supported by the local Jira (see sandbox/jira/jql.ts).`);
  }
}

/** The work items the actor may see that match the query, in the query's order (rank by default). */
export function searchIssues(site: JiraSite, query: JqlQuery, actorAccountId: string): Issue[] {
  if (!site.canBrowse(actorAccountId)) {
    // Jira answers a project the user cannot see with an error, not an empty list.
    const named = query.clauses.find((c) => c.field === 'project');
    if (named) throw new JqlError(`The value '${named.kind === 'in' ? named.values.join(', ') : site.project.key}' does not exist for the field 'project'.`);
    return [];
  }
  const found = site.rankOrder().filter((issue) => query.clauses.every((c) => matches(site, issue, c, actorAccountId)));
  const order = query.orderBy;
  if (order) {
    const field = site.fieldIdFor(order.field);
    const key = (issue: Issue): string | number => {
      if (field === site.fieldIds.rank || order.field === 'rank') return issue.rank;
      if (field === 'key') return Number(issue.key.split('-')[1]);
      if (field === 'created') return issue.created;
      if (field === 'updated') return issue.updated;
      throw new JqlError(`Error in the JQL Query: ordering by '${order.field}' is not supported by the local Jira.`);
    };
    found.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      const cmp = ka < kb ? -1 : ka > kb ? 1 : 0;
      return order.direction === 'ASC' ? cmp : -cmp;
    });
  }
  return found;
}
