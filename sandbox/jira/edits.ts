/**
 * Field edits as Jira applies them: `fields` (set) and `update` (set / add / remove operations),
 * validated in full before anything changes, then applied as one changelog with one item per field.
 */
import { fieldErrors, isRecord } from './http';
import type { ChangeItem, Issue, Sprint } from './model';
import type { JiraSite } from './site';

const NOT_SETTABLE = (id: string): string => `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`;

type Setter = (issue: Issue) => ChangeItem | null;

interface PlannedEdit {
  setters: Setter[];
  /** The sprint to move to (or null for none), when the sprint field is edited. */
  sprint?: Sprint | null;
}

function isAdf(value: unknown): boolean {
  return isRecord(value) && value['type'] === 'doc' && value['version'] === 1 && Array.isArray(value['content']);
}

/**
 * Turns `fields` / `update` into setters, or throws Jira's 400 with one message per bad field.
 * `actorAccountId` is needed for assignee checks (Assign Issues permission).
 */
export function planEdit(site: JiraSite, actorAccountId: string, fieldsInput: unknown, updateInput: unknown, projectKey: string = site.project.key): PlannedEdit {
  const errors: Record<string, string> = {};
  const operations = new Map<string, { op: 'set' | 'add' | 'remove'; value: unknown }[]>();
  if (fieldsInput !== undefined) {
    if (!isRecord(fieldsInput)) throw fieldErrors({ fields: 'Expected the fields as an object.' });
    for (const [id, value] of Object.entries(fieldsInput)) operations.set(id, [{ op: 'set', value }]);
  }
  if (updateInput !== undefined) {
    if (!isRecord(updateInput)) throw fieldErrors({ update: 'Expected the update operations as an object.' });
    for (const [id, ops] of Object.entries(updateInput)) {
      if (operations.has(id)) {
        errors[id] = `Field '${id}' cannot appear in both 'fields' and 'update'.`;
        continue;
      }
      if (!Array.isArray(ops)) {
        errors[id] = `Expected a list of operations for field '${id}'.`;
        continue;
      }
      const list: { op: 'set' | 'add' | 'remove'; value: unknown }[] = [];
      for (const op of ops) {
        const name = isRecord(op) ? Object.keys(op)[0] : undefined;
        if (!isRecord(op) || (name !== 'set' && name !== 'add' && name !== 'remove')) {
          errors[id] = `Operation on field '${id}' must be one of set, add, remove.`;
          break;
        }
        list.push({ op: name, value: op[name] });
      }
      operations.set(id, list);
    }
  }

  const plan: PlannedEdit = { setters: [] };
  const ids = site.fieldIds;
  for (const [id, ops] of operations) {
    if (errors[id]) continue;
    const single = (): unknown => {
      if (ops.length !== 1 || ops[0]?.op !== 'set') {
        errors[id] = `Field '${id}' only supports the 'set' operation here.`;
        return undefined;
      }
      return ops[0].value;
    };
    switch (id) {
      case 'summary': {
        const value = single();
        if (value === undefined) break;
        if (typeof value !== 'string' || value.trim() === '') errors[id] = 'You must specify a summary of the issue.';
        else if (value.length > 255) errors[id] = 'Summary must be less than 255 characters.';
        else plan.setters.push((issue) => {
          if (issue.summary === value) return null;
          const item: ChangeItem = { field: 'summary', fieldtype: 'jira', fieldId: 'summary', from: null, fromString: issue.summary, to: null, toString: value };
          issue.summary = value;
          return item;
        });
        break;
      }
      case 'description': {
        const value = single();
        if (value === undefined) break;
        if (value !== null && !isAdf(value)) errors[id] = 'Operation value must be an Atlassian Document (see the Atlassian Document Format).';
        else plan.setters.push((issue) => {
          const before = site.describeForChangelog(issue.description);
          const after = site.describeForChangelog(value);
          issue.description = value;
          if (before === after) return null;
          return { field: 'description', fieldtype: 'jira', fieldId: 'description', from: null, fromString: before, to: null, toString: after };
        });
        break;
      }
      case 'assignee': {
        const value = single();
        if (value === undefined) break;
        let accountId: string | null;
        if (value === null) accountId = null;
        else if (isRecord(value) && (typeof value['accountId'] === 'string' || value['accountId'] === null)) accountId = value['accountId'];
        else {
          errors[id] = "Expected the assignee as { accountId } or null.";
          break;
        }
        if (accountId !== null && (!site.person(accountId) || !site.hasPermission(accountId, 'ASSIGNABLE_USER'))) {
          errors[id] = `User '${accountId}' cannot be assigned issues.`;
          break;
        }
        if (!site.hasPermission(actorAccountId, 'ASSIGN_ISSUES')) {
          errors[id] = 'You do not have permission to assign issues.';
          break;
        }
        plan.setters.push((issue) => {
          if (issue.assignee === accountId) return null;
          const name = (a: string | null): string | null => (a === null ? null : site.person(a)?.displayName ?? a);
          const item: ChangeItem = { field: 'assignee', fieldtype: 'jira', fieldId: 'assignee', from: issue.assignee, fromString: name(issue.assignee), to: accountId, toString: name(accountId) };
          issue.assignee = accountId;
          return item;
        });
        break;
      }
      case 'priority': {
        const value = single();
        if (value === undefined) break;
        const priority = isRecord(value)
          ? site.priorities.find((p) => (typeof value['id'] === 'string' && p.id === value['id']) || (typeof value['name'] === 'string' && p.name === value['name']))
          : undefined;
        if (!priority) {
          errors[id] = 'Specify the Priority (name or id) in the format { "id": "3" } or { "name": "Medium" }, and use a priority that exists.';
          break;
        }
        plan.setters.push((issue) => {
          if (issue.priorityId === priority.id) return null;
          const item: ChangeItem = { field: 'priority', fieldtype: 'jira', fieldId: 'priority', from: issue.priorityId, fromString: site.priority(issue.priorityId).name, to: priority.id, toString: priority.name };
          issue.priorityId = priority.id;
          return item;
        });
        break;
      }
      case 'labels': {
        const labelOk = (l: unknown): l is string => typeof l === 'string' && l !== '' && !/\s/.test(l);
        const bad = ops.find((o) => (o.op === 'set' ? !Array.isArray(o.value) || !o.value.every(labelOk) : !labelOk(o.value)));
        if (bad) {
          errors[id] = 'Labels are words without spaces; set takes a list of them, add and remove one.';
          break;
        }
        plan.setters.push((issue) => {
          let next = [...issue.labels];
          for (const o of ops) {
            if (o.op === 'set') next = [...new Set(o.value as string[])];
            else if (o.op === 'add' && !next.includes(o.value as string)) next.push(o.value as string);
            else if (o.op === 'remove') next = next.filter((l) => l !== o.value);
          }
          if (next.join(' ') === issue.labels.join(' ')) return null;
          const item: ChangeItem = { field: 'labels', fieldtype: 'jira', fieldId: 'labels', from: null, fromString: issue.labels.join(' '), to: null, toString: next.join(' ') };
          issue.labels = next;
          return item;
        });
        break;
      }
      default: {
        // Each project estimates with its own field (a team-managed one with a field of its own).
        if (id === site.estimateFieldOf(projectKey)) {
          const value = single();
          if (value === undefined) break;
          if (value !== null && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
            errors[id] = 'The story point estimate must be a non-negative number or null.';
            break;
          }
          plan.setters.push((issue) => {
            if (issue.estimate === value) return null;
            // Number fields carry their value in the strings only, as Jira's changelogs do.
            const text = (n: number | null): string | null => (n === null ? null : String(n));
            const item: ChangeItem = { field: site.field(id)?.name ?? id, fieldtype: 'custom', fieldId: id, from: null, fromString: text(issue.estimate), to: null, toString: text(value) };
            issue.estimate = value;
            return item;
          });
        } else if (id === ids.sprint) {
          const value = single();
          if (value === undefined) break;
          const sprintId = isRecord(value) ? value['id'] : value;
          if (sprintId === null) {
            plan.sprint = null;
            break;
          }
          const sprint = typeof sprintId === 'number' ? site.sprint(sprintId) : undefined;
          if (!sprint) errors[id] = `Number value expected as the Sprint id, and the sprint must exist.`;
          else if (sprint.state === 'closed') errors[id] = 'Issue can be assigned only active or future sprints.';
          else plan.sprint = sprint;
        } else {
          errors[id] = NOT_SETTABLE(id);
        }
      }
    }
  }
  if (Object.keys(errors).length > 0) throw fieldErrors(errors);
  return plan;
}

/** Applies a planned edit; returns the changelog items (sub-tasks' sprint moves are recorded on them). */
export function applyEdit(site: JiraSite, issue: Issue, plan: PlannedEdit, actorAccountId: string, extraItems: ChangeItem[] = []): void {
  const items: ChangeItem[] = [...extraItems];
  for (const setter of plan.setters) {
    const item = setter(issue);
    if (item) items.push(item);
  }
  if (plan.sprint !== undefined) {
    site.setSprint(issue, plan.sprint, actorAccountId, items);
    return;
  }
  site.commitChange(issue, actorAccountId, items);
}
