/**
 * The Scrum roles tab: per role, the people, groups and Jira project roles that hold it, and everyone
 * that resolves to as the draft stands (the preview); above them, for a project's admins, roles
 * suggested from the project's history.
 */
import { useCallback } from 'react';
import { call, type NamedGroup, type NamedProjectRole, type Person, type PreviewView } from '../../kit/contract';
import { Checkbox, PeopleChips, SearchPicker, Spinner, errorText, type PickableItem } from '../../kit/components';
import type { Loaded } from '../../kit/hooks';
import { ROLE_KEYS, ROLE_LABELS, type RoleKey } from '../../kit/labels';
import { personName, type People } from '../../kit/people';
import { withMembers, type ConfigDraft } from './draft';
import { SuggestRoles } from './SuggestRoles';

const ROLE_HELP: Record<RoleKey, string> = {
  productOwner: 'Orders the Product Backlog and decides what it holds. Usually one person.',
  scrumMaster: 'Coaches the team and reads the violation log.',
  developers: 'The people who do the work in the sprint.',
  stakeholders: 'Everyone else with an interest: they bring ideas to the Product Owner.',
};

export function RolesTab({
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
  onUseSuggestion,
}: {
  scope: 'project' | 'site';
  projectRoles: readonly NamedProjectRole[];
  groups: ReadonlyMap<string, NamedGroup>;
  learnGroups: (found: readonly NamedGroup[]) => void;
  draft: ConfigDraft;
  readOnly: boolean;
  people: People;
  learnPeople: (found: readonly Person[]) => void;
  preview: Loaded<Pick<PreviewView, 'resolved'>>;
  issues: ReadonlyMap<string, readonly string[]>;
  onChange: (next: ConfigDraft) => void;
  /** Given where the admin may suggest roles from history (a project's settings, editable). */
  onUseSuggestion?: (role: RoleKey, accountIds: readonly string[]) => void;
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
    <div className="srg-stack">
      {scope === 'project' && !readOnly && onUseSuggestion && <SuggestRoles people={people} learnPeople={learnPeople} onUse={onUseSuggestion} />}
      <div className="srg-grid-2">
        {ROLE_KEYS.map((role) => {
          const members = draft.roles[role];
          const selected = members.users.map((id) => ({ id, label: personName(people, id), avatarUrl: people.get(id)?.avatarUrl }));
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
                  <PeopleChips label={`${ROLE_LABELS[role]}: everyone`} accountIds={resolved} people={people} max={30} />
                )}
              </div>
            </section>
          );
        })}
      </div>
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

function personItem(person: Pick<Person, 'accountId' | 'displayName' | 'avatarUrl'>): PickableItem {
  return { id: person.accountId, label: person.displayName, avatarUrl: person.avatarUrl };
}
