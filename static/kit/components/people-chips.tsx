/** People as chips: the first `max` of them, then how many more. */
import { personName, type People } from '../people';
import { PersonChip } from './person-chip';

export function PeopleChips({ label, accountIds, people, max }: { label: string; accountIds: readonly string[]; people: People; max: number }) {
  return (
    <ul className="srg-chips" aria-label={label}>
      {accountIds.slice(0, max).map((accountId) => (
        <li key={accountId}>
          <PersonChip name={personName(people, accountId)} avatarUrl={people.get(accountId)?.avatarUrl} />
        </li>
      ))}
      {accountIds.length > max && <li className="srg-small srg-subtle">and {accountIds.length - max} more</li>}
    </ul>
  );
}
