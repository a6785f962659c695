/**
 * Settings for one project (jira:projectSettingsPage) or the site-wide defaults (jira:adminPage):
 * who holds each Scrum role, each rule's mode, the configuration warnings, a dry run over recent
 * history, and save. The server decides who may save; this page only shows it.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useEnvironment } from '../../kit/app';
import { flag, ResolverError } from '../../kit/bridge';
import {
  BarList,
  Badge,
  Button,
  Checkbox,
  DataTable,
  EmptyState,
  ErrorBanner,
  isNoAccess,
  LiveRegion,
  Message,
  NoAccess,
  PersonChip,
  ProgressBar,
  Select,
  Spinner,
  Tabs,
  TextField,
  errorText,
} from '../../kit/components';
import { formatDateTime, plural } from '../../kit/format';
import { useAsync, useDebounced } from '../../kit/hooks';
import { MODE_HELP, MODE_LABELS, ROLE_KEYS, ROLE_LABELS, RULE_CATALOGUE, RULE_IDS, rolesText, ruleTitle, type Mode, type RoleKey, type RuleId } from '../../kit/labels';
import { SearchPicker, type PickableItem } from '../../kit/search-picker';
import { canBlock } from '../../../src/core/catalogue';
import { warningWords } from '../../../src/core/warnings';
import { call, LIMITS, type AuditView, type NamedGroup, type NamedProjectRole, type Person, type PreviewView, type ResolverFailure, type SettingsView } from '../../kit/contract';
import { auditDaysError, modeOf, placeIssues, sameConfig, toDraft, withMembers, withMode, type ConfigDraft } from './draft';

type SettingsScope = SettingsView['scope'];

type TabId = 'roles' | 'rules' | 'try';

export function Settings() {
  const { context } = useEnvironment();
  const scope: SettingsScope = context.moduleType === 'jira:adminPage' ? 'site' : 'project';
  const loaded = useAsync(async () => {
    if (scope === 'site') return { view: await call('getSiteDefaults', {}), projectRoles: [] as readonly NamedProjectRole[] };
    const [view, roles] = await Promise.all([call('getProjectSettings', {}), call('listProjectRoles', {})]);
    return { view, projectRoles: roles.projectRoles };
  }, `${scope}:${context.projectKey}`);
  if (loaded.status === 'loading' && !loaded.data) return <Spinner label="Loading the settings" />;
  if (loaded.status === 'error' && !loaded.data) {
    if (isNoAccess(loaded.error)) return <NoAccess what={scope === 'site' ? 'site-wide defaults' : 'settings'} />;
    return <ErrorBanner title="The settings could not be loaded" error={loaded.error} onRetry={loaded.reload} />;
  }
  return <SettingsEditor initial={loaded.data!.view} projectRoles={loaded.data!.projectRoles} scope={scope} />;
}

function SettingsEditor({ initial, projectRoles, scope }: { initial: SettingsView; projectRoles: readonly NamedProjectRole[]; scope: SettingsScope }) {
  const { locale, context } = useEnvironment();
  const [saved, setSaved] = useState(() => ({ config: toDraft(initial.document), revision: initial.revision, updatedAt: initial.updatedAt, updatedBy: initial.updatedBy }));
  const [draft, setDraft] = useState(() => toDraft(initial.document));
  const [groups, setGroups] = useState(() => new Map(initial.groups.map((g) => [g.groupId, g])));
  const [theirs, setTheirs] = useState<NonNullable<ResolverFailure['error']['current']> | null>(null);
  const [tab, setTab] = useState<TabId>('roles');
  const [people, setPeople] = useState(() => new Map(initial.people.map((p) => [p.accountId, p])));
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [issues, setIssues] = useState<Map<string, string[]>>(new Map());
  const [announcement, setAnnouncement] = useState('');
  const readOnly = !initial.canEdit;
  const dirty = !sameConfig(draft, saved.config);
  const conflict = theirs !== null;
  const savedLine = useRef<HTMLParagraphElement | null>(null);

  // Stable, so the pickers' searches depend on nothing that changes with every render.
  const learnPeople = useCallback((found: readonly Person[]) => {
    setPeople((known) => {
      if (found.every((p) => known.get(p.accountId) === p)) return known;
      const next = new Map(known);
      for (const p of found) next.set(p.accountId, p);
      return next;
    });
  }, []);
  const learnGroups = useCallback((found: readonly NamedGroup[]) => {
    setGroups((known) => {
      if (found.every((g) => known.get(g.groupId)?.name === g.name)) return known;
      const next = new Map(known);
      for (const g of found) next.set(g.groupId, g);
      return next;
    });
  }, []);

  // Leaving the page (closing the tab, reloading, going elsewhere in Jira) with unsaved changes asks first.
  useEffect(() => {
    if (!dirty || readOnly) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty, readOnly]);

  // Everyone each role resolves to, and the warnings, for the draft as typed (not only as saved).
  const draftKey = useDebounced(JSON.stringify(draft.roles), 400);
  const firstKey = useRef(draftKey);
  const preview = useAsync<Pick<PreviewView, 'resolved' | 'warnings' | 'people'>>(
    // The first answer came with the settings; only edits need a new one.
    () => (draftKey === firstKey.current ? Promise.resolve(initial) : call('previewRoles', { document: { ...draft } })),
    draftKey,
  );
  const previewPeople = preview.status === 'ready' ? preview.data.people : null;
  useEffect(() => {
    if (previewPeople) learnPeople(previewPeople);
  }, [previewPeople, learnPeople]);

  /** After a save or a discard the buttons that were pressed go inert; the focus goes to what happened. */
  const focusSavedLine = () => setTimeout(() => savedLine.current?.focus(), 0);

  const edit = (next: ConfigDraft) => {
    setDraft(next);
    setIssues(new Map());
  };

  const save = async (overRevision?: number | null) => {
    setSaving(true);
    setSaveError(null);
    try {
      const payload = { document: { ...draft }, expectedRevision: overRevision !== undefined ? overRevision : saved.revision };
      const answer = await (scope === 'site' ? call('saveSiteDefaults', payload) : call('saveProjectSettings', payload));
      setSaved({ config: draft, revision: answer.revision, updatedAt: answer.updatedAt, updatedBy: context.accountId });
      setTheirs(null);
      setIssues(new Map());
      setAnnouncement('Settings saved.');
      flag('success', 'Settings saved', 'The new roles and rules apply from the next change in Jira.');
      focusSavedLine();
    } catch (failure) {
      if (failure instanceof ResolverError && failure.code === 'conflict') {
        // Keep what was typed; remember the version that won so "save mine anyway" is a deliberate choice.
        const current = (failure.details as ResolverFailure | undefined)?.error?.current;
        setTheirs(current ?? { document: saved.config, revision: null, updatedAt: null, updatedBy: null });
        setAnnouncement('Not saved: someone else saved these settings in the meantime. Your changes are still here.');
      } else if (failure instanceof ResolverError && failure.issues.length > 0) {
        const placed = placeIssues(failure.issues);
        setIssues(placed);
        if ([...placed.keys()].some((k) => k.startsWith('rules.'))) setTab('rules');
        else if ([...placed.keys()].some((k) => k.startsWith('roles.'))) setTab('roles');
        setAnnouncement(`Not saved: ${plural(failure.issues.length, 'problem')} to fix, shown next to the fields.`);
      } else {
        setSaveError(failure);
        setAnnouncement(`Not saved: ${errorText(failure)}`);
      }
    } finally {
      setSaving(false);
    }
  };

  const warnings = preview.status === 'ready' ? preview.data.warnings : preview.data?.warnings ?? [];
  const bannerIssues = issues.get('') ?? [];

  return (
    <main className="srg-stack">
      <LiveRegion message={announcement} />
      <div className="srg-spread">
        <div>
          <h1>{scope === 'site' ? 'Scrum Role Guard: defaults for every project' : 'Scrum Role Guard'}</h1>
          <p className="srg-subtle">
            {scope === 'site'
              ? 'Projects without settings of their own start from these roles and rules.'
              : 'Say who holds each Scrum accountability here, and how the app should react when something goes against it.'}
          </p>
        </div>
        {!readOnly && (
          <div className="srg-row-center">
            {dirty && <span className="srg-small srg-subtle">Unsaved changes</span>}
            <Button
              appearance="subtle"
              disabled={!dirty || saving}
              onClick={() => {
                edit(saved.config);
                setAnnouncement('Your changes were discarded.');
                focusSavedLine();
              }}
            >
              Discard changes
            </Button>
            <Button appearance="primary" busy={saving} disabled={!dirty && !conflict} onClick={() => void save()}>
              Save
            </Button>
          </div>
        )}
      </div>
      {readOnly && (
        <Message appearance="info" title="Read only">
          <p>
            You can see these settings, but only {scope === 'site' ? 'Jira admins' : 'the project admins'} can change them. If something looks wrong, let
            them know.
          </p>
        </Message>
      )}
      <p ref={savedLine} tabIndex={-1} className="srg-small srg-subtle srg-saved-line">
        {saved.updatedAt ? (
          <>
            Last saved {formatDateTime(saved.updatedAt, locale)}
            {saved.updatedBy ? ` by ${savedByName(saved.updatedBy, context.accountId, people)}` : ''}.
          </>
        ) : scope === 'site' ? (
          'No site-wide defaults saved yet: projects start from the built-in ones.'
        ) : (
          'Not saved for this project yet.'
        )}
      </p>
      {conflict && (
        <Message
          appearance="warning"
          title="Someone else saved in the meantime"
          live
          actions={
            <>
              <Button
                onClick={() => {
                  setSaved({ config: toDraft(theirs!.document), revision: theirs!.revision, updatedAt: theirs!.updatedAt, updatedBy: theirs!.updatedBy });
                  edit(toDraft(theirs!.document));
                  setTheirs(null);
                  setAnnouncement('Their version is loaded; your changes were set aside.');
                }}
              >
                Load their version
              </Button>
              <Button appearance="primary" busy={saving} onClick={() => void save(theirs!.revision)}>
                Save mine over theirs
              </Button>
            </>
          }
        >
          <p>
            Your changes were not saved, and they are still on this page.
            {theirs?.updatedAt ? ` The other version was saved ${formatDateTime(theirs.updatedAt, locale)}${theirs.updatedBy ? ` by ${people.get(theirs.updatedBy)?.displayName ?? 'another admin'}` : ''}.` : ''} Load
            it instead of yours, or save yours over it.
          </p>
        </Message>
      )}
      {saveError !== null && <ErrorBanner title="The settings were not saved" error={saveError} onRetry={() => void save()} />}
      {bannerIssues.length > 0 && (
        <Message appearance="error" title="The settings were not saved" live>
          <ul>
            {bannerIssues.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        </Message>
      )}
      {warnings.length > 0 && (
        <Message appearance="warning" title="Worth a look">
          <ul>
            {warnings.map((warning) => (
              <li key={`${warning.code}:${warning.path}:${warning.message}`}>{warningWords(warning, (id) => people.get(id)?.displayName ?? id)}</li>
            ))}
          </ul>
        </Message>
      )}
      <Tabs<TabId>
        label="Settings sections"
        selected={tab}
        onSelect={setTab}
        tabs={[
          {
            id: 'roles',
            label: 'Scrum roles',
            content: () => (
              <RolesTab
                scope={scope}
                projectRoles={projectRoles}
                groups={groups}
                learnGroups={learnGroups}
                draft={draft}
                readOnly={readOnly}
                people={people}
                learnPeople={learnPeople}
                preview={preview}
                issues={issues}
                onChange={edit}
              />
            ),
          },
          { id: 'rules', label: 'Rules', content: () => <RulesTab draft={draft} readOnly={readOnly} issues={issues} onChange={edit} /> },
          { id: 'try', label: 'Try it first', content: () => <TryItFirst draft={draft} scope={scope} /> },
        ]}
      />
    </main>
  );
}

/** Who saved last: "you", their name, or (only for an account Jira no longer has) a former user. */
function savedByName(accountId: string, viewer: string | null, people: ReadonlyMap<string, Person>): string {
  if (accountId === viewer) return 'you';
  return people.get(accountId)?.displayName ?? 'a former user';
}

const ROLE_HELP: Record<RoleKey, string> = {
  productOwner: 'Orders the Product Backlog and decides what it holds. Usually one person.',
  scrumMaster: 'Coaches the team and reads the violation log.',
  developers: 'The people who do the work in the sprint.',
  stakeholders: 'Everyone else with an interest: they bring ideas to the Product Owner.',
};

function RolesTab({
  scope,
  projectRoles,
  groups,
  learnGroups,
  draft,
  readOnly,
  people,
  learnPeople,
  preview,
  issues,
  onChange,
}: {
  scope: SettingsScope;
  projectRoles: readonly NamedProjectRole[];
  groups: ReadonlyMap<string, NamedGroup>;
  learnGroups: (found: readonly NamedGroup[]) => void;
  draft: ConfigDraft;
  readOnly: boolean;
  people: ReadonlyMap<string, Person>;
  learnPeople: (found: readonly Person[]) => void;
  preview: ReturnType<typeof useAsync<Pick<PreviewView, 'resolved' | 'warnings' | 'people'>>>;
  issues: ReadonlyMap<string, string[]>;
  onChange: (next: ConfigDraft) => void;
}) {
  const searchPeople = useCallback(
    async (query: string): Promise<PickableItem[]> => {
      const found = await call('searchPeople', { query });
      learnPeople(found.people);
      return found.people.map(personItem);
    },
    [learnPeople],
  );
  const searchGroups = useCallback(
    async (query: string): Promise<PickableItem[]> => {
      const found = await call('searchGroups', { query });
      learnGroups(found.groups);
      return found.groups.map((g) => ({ id: g.groupId, label: g.name }));
    },
    [learnGroups],
  );
  return (
    <div className="srg-grid-2">
      {ROLE_KEYS.map((role) => {
        const members = draft.roles[role];
        const selected = members.users.map((id) => personItem(people.get(id) ?? { accountId: id, displayName: 'A former user', avatarUrl: null }));
        const chosenGroups = members.groups.map((id) => ({ id, label: groups.get(id)?.name ?? `A removed group (${id})` }));
        const resolved = preview.data?.resolved[role];
        return (
          <section key={role} className="srg-section srg-stack" aria-labelledby={`role-${role}`}>
            <div>
              <h2 id={`role-${role}`}>{ROLE_LABELS[role]}</h2>
              <p className="srg-small srg-subtle">{ROLE_HELP[role]}</p>
            </div>
            <SearchPicker
              label={`${ROLE_LABELS[role]}: people`}
              selected={selected}
              disabled={readOnly}
              search={searchPeople}
              error={issues.get(`roles.${role}.users`)?.join(' ') ?? null}
              onChange={(next) => onChange(withMembers(draft, role, 'users', next.map((p) => p.id)))}
            />
            <SearchPicker
              label={`${ROLE_LABELS[role]}: groups`}
              noun="groups"
              selected={chosenGroups}
              disabled={readOnly}
              search={searchGroups}
              error={issues.get(`roles.${role}.groups`)?.join(' ') ?? null}
              help={readOnly || chosenGroups.length > 0 ? undefined : 'Everyone in a group holds the role, as the group changes.'}
              onChange={(next) => onChange(withMembers(draft, role, 'groups', next.map((g) => g.id)))}
            />
            {scope === 'project' && (
              <fieldset className="srg-stack" style={{ border: 0, padding: 0, margin: 0, gap: 'var(--srg-space-050)' }}>
                <legend className="srg-label">{ROLE_LABELS[role]}: Jira project roles</legend>
                {projectRoles.length === 0 ? (
                  <span className="srg-small srg-subtle">This project has no project roles to choose from.</span>
                ) : (
                  <ChoiceList
                    options={projectRoles.map((r) => ({ id: r.id, name: r.name }))}
                    chosen={members.projectRoles}
                    disabled={readOnly}
                    onChange={(ids) => onChange(withMembers(draft, role, 'projectRoles', ids))}
                  />
                )}
                {issues.get(`roles.${role}.projectRoles`) && (
                  <span className="srg-field-error" role="alert">
                    {issues.get(`roles.${role}.projectRoles`)!.join(' ')}
                  </span>
                )}
              </fieldset>
            )}
            <div>
              <h3>Who this is now</h3>
              {preview.status === 'loading' && !resolved ? (
                <Spinner label="Working out who this is" size={16} />
              ) : preview.status === 'error' && !resolved ? (
                <span className="srg-small srg-field-error">Could not work out who this is: {errorText(preview.error)}</span>
              ) : !resolved || resolved.length === 0 ? (
                <span className="srg-small srg-subtle">Nobody yet. Add people, a group or a project role above.</span>
              ) : (
                <ul className="srg-chips" aria-label={`${ROLE_LABELS[role]}: everyone`}>
                  {resolved.slice(0, 30).map((id) => (
                    <li key={id}>
                      <PersonChip name={people.get(id)?.displayName ?? 'A former user'} avatarUrl={people.get(id)?.avatarUrl} />
                    </li>
                  ))}
                  {resolved.length > 30 && <li className="srg-small srg-subtle">and {resolved.length - 30} more</li>}
                </ul>
              )}
            </div>
          </section>
        );
      })}
    </div>
  );
}

function ChoiceList({ options, chosen, disabled, onChange }: { options: readonly { id: string; name: string }[]; chosen: readonly string[]; disabled: boolean; onChange: (ids: string[]) => void }) {
  return (
    <div className="srg-row-center">
      {options.map((option) => (
        <Checkbox
          key={option.id}
          label={option.name}
          checked={chosen.includes(option.id)}
          disabled={disabled}
          onChange={(checked) => onChange(checked ? [...chosen, option.id] : chosen.filter((id) => id !== option.id))}
        />
      ))}
    </div>
  );
}

function RulesTab({ draft, readOnly, issues, onChange }: { draft: ConfigDraft; readOnly: boolean; issues: ReadonlyMap<string, string[]>; onChange: (next: ConfigDraft) => void }) {
  const rows = RULE_IDS.map((id) => RULE_CATALOGUE.get(id)!);
  return (
    <div className="srg-stack">
      <p className="srg-subtle">
        <strong>Flag</strong>: {MODE_HELP.flag} <strong>Block</strong>: {MODE_HELP.block} Rules that Jira gives no way to undo can only be flagged.
      </p>
      <DataTable
        caption="Rules"
        hideCaption
        rows={rows}
        rowKey={(rule) => rule.id}
        columns={[
          {
            key: 'rule',
            header: 'Rule',
            width: '34%',
            render: (rule) => (
              <div className="srg-stack" style={{ gap: 'var(--srg-space-050)' }}>
                <strong>{rule.title}</strong>
                <span className="srg-small srg-subtle">{rule.message}</span>
              </div>
            ),
          },
          { key: 'basis', header: 'Basis', width: '26%', render: (rule) => <span className="srg-small">{rule.basis}</span> },
          {
            key: 'allowed',
            header: 'Who may',
            render: (rule) => <span className="srg-small">{rule.allowed.length === 0 ? 'Nobody, during a sprint' : rolesText(rule.allowed)}</span>,
          },
          {
            key: 'mode',
            header: 'Mode',
            render: (rule) => (
              <Select<Mode>
                label={`Mode for ${rule.title}`}
                hideLabel
                value={modeOf(draft, rule.id)}
                disabled={readOnly}
                error={issues.get(`rules.${rule.id}`)?.join(' ') ?? null}
                options={(['off', 'flag', 'block'] as const).map((mode) => ({
                  value: mode,
                  label: mode === 'block' && !canBlock(rule.id) ? `${MODE_LABELS.block} (not possible)` : MODE_LABELS[mode],
                  disabled: mode === 'block' && !canBlock(rule.id),
                }))}
                onChange={(mode) => onChange(withMode(draft, rule.id as RuleId, mode))}
              />
            ),
          },
          {
            key: 'block',
            header: 'What block means',
            render: (rule) => <span className="srg-small">{rule.blockMeans}</span>,
          },
        ]}
      />
    </div>
  );
}

function personItem(person: Pick<Person, 'accountId' | 'displayName' | 'avatarUrl'>): PickableItem {
  return { id: person.accountId, label: person.displayName, avatarUrl: person.avatarUrl };
}

function TryItFirst({ draft, scope }: { draft: ConfigDraft; scope: SettingsScope }) {
  const [days, setDays] = useState(String(LIMITS.auditDefaultDays));
  const [daysError, setDaysError] = useState<string | null>(null);
  const [status, setStatus] = useState<AuditView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [starting, setStarting] = useState(false);
  const polling = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (polling.current) clearTimeout(polling.current);
  }, []);

  if (scope === 'site') {
    return (
      <EmptyState title="Try it first works per project">
        <p>Open a project's settings to replay its recent history through the rules before you save them.</p>
      </EmptyState>
    );
  }

  const poll = (auditId: string) => {
    polling.current = setTimeout(async () => {
      try {
        const next = await call('auditProgress', { auditId });
        setStatus(next);
        if (next.state === 'running' || next.state === 'queued') poll(auditId);
      } catch (failure) {
        setError(failure);
      }
    }, 700);
  };
  const start = async () => {
    const problem = auditDaysError(days);
    setDaysError(problem);
    if (problem) return;
    setStarting(true);
    setError(null);
    setStatus(null);
    if (polling.current) clearTimeout(polling.current);
    try {
      const first = await call('startAudit', { document: { ...draft }, days: Number(days.trim()) });
      setStatus(first);
      if (first.state === 'running' || first.state === 'queued') poll(first.auditId);
    } catch (failure) {
      const placed = failure instanceof ResolverError ? placeIssues(failure.issues) : new Map<string, string[]>();
      if (placed.get('days')) setDaysError(placed.get('days')!.join(' '));
      else setError(failure);
    } finally {
      setStarting(false);
    }
  };
  const running = status?.state === 'running' || status?.state === 'queued';
  return (
    <div className="srg-stack">
      <p className="srg-subtle">
        Replays this project's recent history (changelogs and sprints) through the rules as they stand on this page, saved or not. Nothing is changed in
        Jira and nothing is logged: it only shows what the rules would have flagged or blocked.
      </p>
      <form
        noValidate
        className="srg-row"
        onSubmit={(event) => {
          event.preventDefault();
          void start();
        }}
      >
        <TextField label="Days of history" type="number" min={1} max={LIMITS.auditMaxDays} value={days} onChange={setDays} error={daysError} help={`1 to ${LIMITS.auditMaxDays} days`} />
        <Button type="submit" appearance="primary" busy={starting || running} disabled={running}>
          {running ? 'Running' : 'Try it'}
        </Button>
      </form>
      {error !== null && <ErrorBanner title="The trial run did not work" error={error} onRetry={() => void start()} />}
      {status && <AuditResult status={status} />}
    </div>
  );
}

function AuditResult({ status }: { status: AuditView }) {
  const { locale } = useEnvironment();
  const people = useMemo(() => new Map(status.people.map((p) => [p.accountId, p])), [status.people]);
  const total = status.byRule.reduce((sum, r) => sum + r.count, 0);
  const blocked = status.byRule.filter((r) => r.mode === 'block').reduce((sum, r) => sum + r.count, 0);
  const flagged = total - blocked;
  const byRule = [...status.byRule].sort((a, b) => b.count - a.count || ruleTitle(a.rule).localeCompare(ruleTitle(b.rule)));
  const modeOfRule = new Map(status.byRule.map((r) => [r.rule, r.mode]));
  return (
    <section className="srg-stack" aria-labelledby="audit-heading">
      <h2 id="audit-heading">What these rules would have caught</h2>
      {(status.state === 'running' || status.state === 'queued' || status.total > 0) && (
        <ProgressBar
          label={status.state === 'queued' ? 'Waiting to start' : status.state === 'running' ? 'Replaying the history' : 'History replayed'}
          value={status.processed}
          max={status.total}
          detail={`${status.processed} of ${plural(status.total, 'work item')}, ${plural(status.eventsReplayed, 'change')} replayed since ${formatDateTime(status.since, locale)}`}
        />
      )}
      <div role="status" aria-live="polite" className="srg-small">
        {status.state === 'done' &&
          (total === 0
            ? 'Done: nothing would have been flagged or blocked.'
            : `Done: ${plural(total, 'change')} would have gone against the Scrum roles: ${[
                flagged > 0 ? `${flagged} flagged` : null,
                blocked > 0 ? `${blocked} blocked (refused or undone)` : null,
              ]
                .filter(Boolean)
                .join(', ')}.`)}
        {status.state === 'failed' && `The trial run stopped: ${status.error ?? 'an unknown error'}.`}
      </div>
      {status.state === 'done' && total === 0 && (
        <EmptyState compact headingLevel={3} title="A clean record">
          <p>With these rules, nothing in this period went against the Scrum roles. Try a longer period, or save the rules as they are.</p>
        </EmptyState>
      )}
      {total > 0 && (
        <>
          <div className="srg-section">
            <BarList
              title="Per rule"
              description="How often each rule would have stepped in, and whether it would flag or block."
              valueLabel="times"
              items={byRule.map((r) => ({
                key: r.rule,
                label: ruleTitle(r.rule),
                value: r.count,
                detail: <Badge appearance={r.mode === 'block' ? 'danger' : 'warning'}>{r.mode === 'block' ? 'Blocked' : 'Flagged'}</Badge>,
              }))}
            />
          </div>
          <DataTable
            caption="Per person"
            rows={status.byPerson}
            rowKey={(row) => row.accountId}
            columns={[
              {
                key: 'who',
                header: 'Person',
                className: 'srg-col-who',
                render: (row) => (
                  <span>
                    <PersonChip name={people.get(row.accountId)?.displayName ?? 'A former user'} avatarUrl={people.get(row.accountId)?.avatarUrl} />
                    <br />
                    <span className="srg-small srg-subtle">{rolesText(row.roles)}</span>
                  </span>
                ),
              },
              { key: 'count', header: 'Times', render: (row) => row.count },
              {
                key: 'rules',
                header: 'Rules they would have crossed',
                className: 'srg-col-rules',
                render: (row) => (
                  <ul className="srg-plain-list srg-small">
                    {row.rules.map((rule) => (
                      <li key={rule}>
                        {ruleTitle(rule)} <span className="srg-subtle">({modeOfRule.get(rule) === 'block' ? 'blocked' : 'flagged'})</span>
                      </li>
                    ))}
                  </ul>
                ),
              },
            ]}
          />
        </>
      )}
    </section>
  );
}
