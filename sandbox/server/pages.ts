/** The sandbox's Jira-like pages: the backlog, a work item, and the app's own pages in frames. */
import type { JiraSite } from '../jira/site';
import { escapeHtml } from './http';
import { layout, type Person } from './layout';

export interface PageContext {
  readonly site: JiraSite;
  readonly actingAs: Person;
  readonly people: readonly Person[];
  readonly colorMode: 'light' | 'dark';
}

const DEMO_ROLE_LABELS: Record<string, string> = {
  productOwner: 'Product Owner',
  scrumMaster: 'Scrum Master',
  developer: 'Developer',
  stakeholder: 'Stakeholder',
  jiraAdmin: 'Jira admin',
  outsider: 'not in the project',
};

/** The demo people, as the switcher lists them (the app's own account is not someone to act as). */
export function peopleOf(site: JiraSite): Person[] {
  return site.people
    .filter((p) => p.accountType === 'atlassian')
    .map((p) => ({ name: p.handle, accountId: p.accountId, displayName: p.displayName, description: DEMO_ROLE_LABELS[p.demoRole] ?? p.demoRole }));
}

function lozenge(category: string, name: string): string {
  const kind = category === 'done' ? 'done' : category === 'indeterminate' ? 'inprogress' : '';
  return `<span class="lozenge ${kind}">${escapeHtml(name)}</span>`;
}

function action(value: unknown): string {
  return escapeHtml(JSON.stringify(value));
}

function displayName(site: JiraSite, accountId: string | null): string {
  if (accountId === null) return 'Unassigned';
  return site.person(accountId)?.displayName ?? accountId;
}

function itemRows(site: JiraSite, keys: readonly string[], listName: string): string {
  if (keys.length === 0) return `<p class="muted">No work items in ${escapeHtml(listName)}.</p>`;
  const rows = keys.map((key, index) => {
    const item = site.issueState(key);
    const up = index > 0 ? `<button type="button" data-action="${action({ action: 'rank', issue: key, before: keys[index - 1] })}" aria-label="Move ${escapeHtml(key)} up">↑</button>` : '';
    const down = index < keys.length - 1 ? `<button type="button" data-action="${action({ action: 'rank', issue: key, after: keys[index + 1] })}" aria-label="Move ${escapeHtml(key)} down">↓</button>` : '';
    return `<tr data-key="${escapeHtml(key)}">
  <td>${index + 1}</td>
  <td><a href="/browse/${escapeHtml(key)}">${escapeHtml(key)}</a></td>
  <td>${escapeHtml(item.type)}</td>
  <td>${escapeHtml(item.summary)}</td>
  <td>${lozenge(item.statusCategory, item.status)}</td>
  <td>${item.estimate === null ? '<span class="muted">–</span>' : escapeHtml(item.estimate)}</td>
  <td>${escapeHtml(displayName(site, item.assignee))}</td>
  <td>${up} ${down}</td>
</tr>`;
  });
  return `<table aria-label="${escapeHtml(listName)}">
<thead><tr><th scope="col">#</th><th scope="col">Key</th><th scope="col">Type</th><th scope="col">Summary</th><th scope="col">Status</th><th scope="col">Points</th><th scope="col">Assignee</th><th scope="col">Reorder</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

export function backlogPage(context: PageContext): string {
  const { site } = context;
  const view = site.boardView();
  const sprints = view.sprints
    .map((sprint) => {
      const controls =
        sprint.state === 'active'
          ? `<button type="button" data-action="${action({ action: 'complete-sprint', sprint: sprint.id })}">Complete sprint</button>`
          : `<form class="inline" onsubmit="return false"><label for="goal-${sprint.id}">Sprint goal</label> <input id="goal-${sprint.id}" value="${escapeHtml(sprint.goal)}" size="40"> <button type="button" onclick="this.setAttribute('data-action', JSON.stringify({ action: 'start-sprint', sprint: ${sprint.id}, goal: document.getElementById('goal-${sprint.id}').value }))" >Start sprint</button></form>`;
      return `<section aria-labelledby="sprint-${sprint.id}">
<h2 id="sprint-${sprint.id}">${escapeHtml(sprint.name)} <span class="lozenge${sprint.state === 'active' ? ' inprogress' : ''}">${escapeHtml(sprint.state)}</span></h2>
<p>${sprint.goal ? `Goal: ${escapeHtml(sprint.goal)}` : '<span class="muted">No sprint goal yet.</span>'}</p>
${controls}
${itemRows(site, sprint.keys, sprint.name)}
</section>`;
    })
    .join('\n');
  const body = `${sprints}
<section aria-labelledby="backlog">
<h2 id="backlog">Backlog</h2>
${itemRows(site, view.backlog, 'the backlog')}
</section>`;
  return layout({ title: 'Backlog', actingAs: context.actingAs, people: context.people, colorMode: context.colorMode, current: 'backlog', body });
}

export function workItemPage(context: PageContext, key: string, panel: string): string {
  const { site } = context;
  const item = site.issueState(key);
  const transitions = site.transitions
    .filter((t) => t.toStatusId !== item.statusId)
    .map((t) => `<button type="button" data-action="${action({ action: 'transition', issue: key, to: site.status(t.toStatusId).name })}">${escapeHtml(t.name)}</button>`)
    .join(' ');
  const assignees = site.people
    .filter((p) => p.accountType === 'atlassian' && site.canBrowse(p.accountId))
    .map((p) => `<option value="${escapeHtml(p.accountId)}"${p.accountId === item.assignee ? ' selected' : ''}>${escapeHtml(p.displayName)}</option>`)
    .join('');
  const priorities = site.priorities.map((p) => `<option value="${escapeHtml(p.id)}"${p.name === item.priority ? ' selected' : ''}>${escapeHtml(p.name)}</option>`).join('');
  const currentPriority = site.priorities.find((p) => p.name === item.priority)?.id ?? '';
  const estimateField = site.fieldIds.estimate;
  const body = `<div class="columns">
<div id="item-details">
<p><strong>${escapeHtml(item.summary)}</strong></p>
<p>${escapeHtml(item.type)} · ${lozenge(item.statusCategory, item.status)} · ${item.sprint ? `in ${escapeHtml(item.sprint.name)}` : 'in the backlog'}${item.parent ? ` · sub-task of <a href="/browse/${escapeHtml(item.parent)}">${escapeHtml(item.parent)}</a>` : ''}</p>
<h2>Status</h2>
<p>${transitions || '<span class="muted">No transitions.</span>'}</p>
<h2>Details</h2>
<form data-edit="${escapeHtml(key)}">
<p><label for="assignee">Assignee</label><br><select id="assignee" name="assignee" data-kind="account" data-initial="${escapeHtml(item.assignee ?? '')}"><option value="">Unassigned</option>${assignees}</select></p>
<p><label for="priority">Priority</label><br><select id="priority" name="priority" data-kind="option" data-initial="${escapeHtml(currentPriority)}">${priorities}</select></p>
<p><label for="estimate">Story point estimate</label><br><input id="estimate" name="${escapeHtml(estimateField)}" type="number" min="0" step="0.5" data-kind="number" value="${item.estimate ?? ''}" data-initial="${item.estimate ?? ''}"></p>
<p><button type="submit" class="primary">Save changes</button></p>
</form>
</div>
<aside aria-label="Scrum Role Guard">
<h2>Scrum Role Guard</h2>
${panel}
</aside>
</div>`;
  return layout({ title: `${key}`, actingAs: context.actingAs, people: context.people, colorMode: context.colorMode, current: 'item', body });
}

export function appPage(context: PageContext, title: string, current: 'settings' | 'violations', content: string): string {
  return layout({ title, actingAs: context.actingAs, people: context.people, colorMode: context.colorMode, current, body: content });
}

export function frameTag(src: string, title: string, data: Record<string, string> = {}): string {
  const attributes = Object.entries(data).map(([name, value]) => ` ${name}="${escapeHtml(value)}"`).join('');
  return `<iframe class="app" src="${escapeHtml(src)}" title="${escapeHtml(title)}"${attributes}></iframe>`;
}

/** Said where the app declares a screen whose bundle has not been built. */
export function notBuiltNotice(what: string): string {
  return `<p class="notice">${escapeHtml(what)} is not built yet. Run <code>npm run build:ui</code> and reload this page.</p>`;
}

/** Said where the app does not have the screen at all yet. */
export function noScreenNotice(what: string): string {
  return `<p class="notice">The app does not have ${escapeHtml(what)} yet: this page will show it once the app declares it in manifest.yml.</p>`;
}
