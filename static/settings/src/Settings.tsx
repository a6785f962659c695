/**
 * Settings for one project (jira:projectSettingsPage) or the site-wide defaults (jira:adminPage):
 * who holds each Scrum role, each rule's mode, the configuration warnings, a dry run over recent
 * history, and save. The server decides who may save; this page only shows it. The page's state is
 * draft.ts's reducer; this file loads, renders and dispatches, and each tab has a file of its own.
 */
import { useEffect, useReducer, useRef, type Ref } from 'react';
import { useEnvironment } from '../../kit/app';
import { flag } from '../../kit/bridge';
import { Button, ErrorBanner, isNoAccess, LiveRegion, Message, NoAccess, Spinner, Tabs } from '../../kit/components';
import { formatDateTime } from '../../kit/format';
import { useAsync, useDebounced } from '../../kit/hooks';
import { personName, useKnown, usePeople, type People } from '../../kit/people';
import { warningWords } from '../../../src/core/warnings';
import { call, type NamedGroup, type NamedProjectRole, type Person, type PreviewView, type SettingsSnapshot, type SettingsView } from '../../kit/contract';
import { initialSettings, sameConfig, settingsReducer, type ConfigDraft, type SavedSettings, type SettingsTab } from './draft';
import { RolesTab } from './RolesTab';
import { RulesTab } from './RulesTab';
import { TryItFirst } from './TryItFirst';

type SettingsScope = SettingsView['scope'];

const groupIdOf = (group: NamedGroup): string => group.groupId;
const sameGroup = (a: NamedGroup, b: NamedGroup): boolean => a.name === b.name;

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
  const { context } = useEnvironment();
  const [{ saved, draft, theirs, tab, saving, saveError, issues, announcement }, dispatch] = useReducer(settingsReducer, initial, initialSettings);
  // learnPeople and learnGroups never change, so the pickers' searches built on them do not either.
  const [people, learnPeople] = usePeople(initial.people);
  const [groups, learnGroups] = useKnown(initial.groups, groupIdOf, sameGroup);
  const readOnly = !initial.canEdit;
  const dirty = !sameConfig(draft, saved.config);
  const conflict = theirs !== null;
  const savedLine = useRef<HTMLParagraphElement | null>(null);

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

  const edit = (next: ConfigDraft) => dispatch({ type: 'edit', draft: next });

  const save = async (overRevision?: number | null) => {
    dispatch({ type: 'save-started' });
    try {
      const payload = { document: { ...draft }, expectedRevision: overRevision !== undefined ? overRevision : saved.revision };
      const answer = await (scope === 'site' ? call('saveSiteDefaults', payload) : call('saveProjectSettings', payload));
      dispatch({ type: 'saved', config: draft, revision: answer.revision, updatedAt: answer.updatedAt, updatedBy: context.accountId });
      flag('success', 'Settings saved', 'The new roles and rules apply from the next change in Jira.');
      focusSavedLine();
    } catch (failure) {
      dispatch({ type: 'save-failed', failure });
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
                dispatch({ type: 'discard' });
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
      <SavedLine saved={saved} scope={scope} people={people} lineRef={savedLine} />
      {theirs && (
        <ConflictMessage theirs={theirs} people={people} saving={saving} onLoadTheirs={() => dispatch({ type: 'load-theirs' })} onSaveMine={() => void save(theirs.revision)} />
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
      <Tabs<SettingsTab>
        label="Settings sections"
        selected={tab}
        onSelect={(next) => dispatch({ type: 'select-tab', tab: next })}
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
                onUseSuggestion={(role, accountIds) => dispatch({ type: 'use-suggestion', role, accountIds })}
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

/** When the settings were saved last and by whom; it takes the focus after a save or a discard. */
function SavedLine({ saved, scope, people, lineRef }: { saved: SavedSettings; scope: SettingsScope; people: People; lineRef: Ref<HTMLParagraphElement> }) {
  const { locale, context } = useEnvironment();
  return (
    <p ref={lineRef} tabIndex={-1} className="srg-small srg-subtle srg-saved-line">
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
  );
}

/** A save refused because someone else saved first: theirs, or mine over theirs, as a deliberate choice. */
function ConflictMessage({
  theirs,
  people,
  saving,
  onLoadTheirs,
  onSaveMine,
}: {
  theirs: SettingsSnapshot;
  people: People;
  saving: boolean;
  onLoadTheirs: () => void;
  onSaveMine: () => void;
}) {
  const { locale } = useEnvironment();
  return (
    <Message
      appearance="warning"
      title="Someone else saved in the meantime"
      live
      actions={
        <>
          <Button onClick={onLoadTheirs}>Load their version</Button>
          <Button appearance="primary" busy={saving} onClick={onSaveMine}>
            Save mine over theirs
          </Button>
        </>
      }
    >
      <p>
        Your changes were not saved, and they are still on this page.
        {theirs.updatedAt ? ` The other version was saved ${formatDateTime(theirs.updatedAt, locale)}${theirs.updatedBy ? ` by ${people.get(theirs.updatedBy)?.displayName ?? 'another admin'}` : ''}.` : ''} Load
        it instead of yours, or save yours over it.
      </p>
    </Message>
  );
}

/** Who saved last: "you", their name, or (only for an account Jira no longer has) a former user. */
function savedByName(accountId: string, viewer: string | null, people: ReadonlyMap<string, Person>): string {
  if (accountId === viewer) return 'you';
  return personName(people, accountId, 'in a sentence');
}
