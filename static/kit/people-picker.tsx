/**
 * A people picker: the WAI-ARIA combobox pattern over an asynchronous search. The chosen people are
 * chips with a remove button each; arrow keys move through the results, Enter picks, Escape closes.
 */
import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { PersonChip } from './components';
import { useDebounced } from './hooks';

export interface PickablePerson {
  readonly accountId: string;
  readonly displayName: string;
  readonly avatarUrl?: string | null;
}

export interface PeoplePickerProps {
  label: string;
  selected: readonly PickablePerson[];
  onChange: (next: PickablePerson[]) => void;
  search: (query: string) => Promise<readonly PickablePerson[]>;
  disabled?: boolean;
  error?: string | null;
  help?: string;
}

export function PeoplePicker({ label, selected, onChange, search, disabled, error, help }: PeoplePickerProps) {
  const id = useId();
  const [query, setQuery] = useState('');
  const settled = useDebounced(query.trim(), 250);
  const [results, setResults] = useState<readonly PickablePerson[]>([]);
  const [searching, setSearching] = useState(false);
  const [searchError, setSearchError] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const [expanded, setExpanded] = useState(false);

  useEffect(() => {
    if (settled.length < 2) {
      setResults([]);
      setSearching(false);
      return;
    }
    let stale = false;
    setSearching(true);
    setSearchError(null);
    search(settled).then(
      (found) => {
        if (stale) return;
        const chosen = new Set(selected.map((p) => p.accountId));
        setResults(found.filter((p) => !chosen.has(p.accountId)));
        setActive(0);
        setExpanded(true);
        setSearching(false);
      },
      (failure: unknown) => {
        if (stale) return;
        setSearchError(failure instanceof Error ? failure.message : 'The search did not work; try again.');
        setResults([]);
        setSearching(false);
      },
    );
    return () => {
      stale = true;
    };
    // `selected` is read when results arrive; a change to it alone need not search again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settled, search]);

  const pick = (person: PickablePerson) => {
    onChange([...selected, person]);
    setQuery('');
    setResults([]);
    setExpanded(false);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' && results.length > 0) {
      event.preventDefault();
      setExpanded(true);
      setActive((a) => (a + 1) % results.length);
    } else if (event.key === 'ArrowUp' && results.length > 0) {
      event.preventDefault();
      setActive((a) => (a - 1 + results.length) % results.length);
    } else if (event.key === 'Enter' && expanded && results[active]) {
      event.preventDefault();
      pick(results[active]!);
    } else if (event.key === 'Escape') {
      setExpanded(false);
    }
  };
  const showList = expanded && results.length > 0;
  const status = searching
    ? 'Searching'
    : settled.length >= 2 && expanded
      ? results.length === 0
        ? `Nobody found for "${settled}"`
        : `${results.length} ${results.length === 1 ? 'person' : 'people'} found`
      : '';
  const describedBy = [help ? `${id}-help` : null, error ? `${id}-error` : null, `${id}-status`].filter(Boolean).join(' ');

  return (
    <div className="srg-field">
      <label htmlFor={`${id}-input`}>{label}</label>
      {selected.length > 0 && (
        <ul className="srg-chips" aria-label={`${label}: chosen`}>
          {selected.map((person) => (
            <li key={person.accountId}>
              <PersonChip
                name={person.displayName}
                avatarUrl={person.avatarUrl}
                removeLabel={`Remove ${person.displayName} from ${label}`}
                onRemove={disabled ? undefined : () => onChange(selected.filter((p) => p.accountId !== person.accountId))}
              />
            </li>
          ))}
        </ul>
      )}
      {!disabled && (
        <div className="srg-combobox">
          <input
            id={`${id}-input`}
            className="srg-input"
            type="text"
            role="combobox"
            aria-autocomplete="list"
            aria-expanded={showList}
            aria-controls={`${id}-list`}
            aria-activedescendant={showList ? `${id}-option-${active}` : undefined}
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy}
            placeholder="Type a name to search"
            autoComplete="off"
            value={query}
            onChange={(event) => setQuery(event.currentTarget.value)}
            onKeyDown={onKeyDown}
            onBlur={() => setTimeout(() => setExpanded(false), 150)}
            onFocus={() => results.length > 0 && setExpanded(true)}
          />
          <ul id={`${id}-list`} role="listbox" aria-label={`${label}: search results`} className="srg-listbox" hidden={!showList}>
            {results.map((person, index) => (
              <li
                key={person.accountId}
                id={`${id}-option-${index}`}
                role="option"
                aria-selected={index === active}
                className="srg-option"
                onMouseDown={(event) => {
                  event.preventDefault();
                  pick(person);
                }}
              >
                {person.displayName}
              </li>
            ))}
          </ul>
        </div>
      )}
      {help && (
        <span id={`${id}-help`} className="srg-field-help">
          {help}
        </span>
      )}
      <span id={`${id}-status`} className="srg-visually-hidden" role="status" aria-live="polite">
        {status}
      </span>
      {searchError && <span className="srg-field-error">{searchError}</span>}
      {error && (
        <span id={`${id}-error`} className="srg-field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
