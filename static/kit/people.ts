/**
 * Who the pages know by id: the people (and groups) the resolvers' answers name, learned as the
 * answers come, and one way to say a person's name, also for an account Jira no longer has.
 */
import { useCallback, useState } from 'react';
import type { Person } from '../../src/shared/resolver-api';

export type People = ReadonlyMap<string, Person>;

/**
 * A person's name as Jira gives it. An account Jira no longer knows is said so, never shown as an id;
 * `in a sentence` starts that lower case ("Last saved by a former user").
 */
export function personName(people: People, accountId: string, place: 'alone' | 'in a sentence' = 'alone'): string {
  return people.get(accountId)?.displayName ?? (place === 'alone' ? 'A former user' : 'a former user');
}

/** `known` with what `found` adds or changes; `known` itself when nothing is new, so nothing renders again. */
export function learn<T>(known: ReadonlyMap<string, T>, found: readonly T[], keyOf: (item: T) => string, same: (a: T, b: T) => boolean): ReadonlyMap<string, T> {
  const isKnown = (item: T) => {
    const had = known.get(keyOf(item));
    return had !== undefined && same(had, item);
  };
  if (found.every(isKnown)) return known;
  const next = new Map(known);
  for (const item of found) next.set(keyOf(item), item);
  return next;
}

/**
 * What a page knows, and how it learns more from an answer. `learnMore` never changes, so a search that
 * calls it is not rebuilt on every render; `keyOf` and `same` must not change either.
 */
export function useKnown<T>(initial: readonly T[], keyOf: (item: T) => string, same: (a: T, b: T) => boolean): [ReadonlyMap<string, T>, (found: readonly T[]) => void] {
  const [known, setKnown] = useState<ReadonlyMap<string, T>>(() => learn(new Map(), initial, keyOf, same));
  const learnMore = useCallback((found: readonly T[]) => setKnown((current) => learn(current, found, keyOf, same)), [keyOf, same]);
  return [known, learnMore];
}

const accountIdOf = (person: Person): string => person.accountId;
const samePerson = (a: Person, b: Person): boolean => a.displayName === b.displayName && a.avatarUrl === b.avatarUrl && a.active === b.active;

/** The people a page has met so far, by account id. */
export function usePeople(initial: readonly Person[] = []): [People, (found: readonly Person[]) => void] {
  return useKnown(initial, accountIdOf, samePerson);
}

/** People from one answer, by account id. */
export function peopleOf(found: readonly Person[]): People {
  return learn(new Map(), found, accountIdOf, samePerson);
}
