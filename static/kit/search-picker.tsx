/**
 * A picker for people or groups: the WAI-ARIA combobox pattern over an asynchronous search. The
 * chosen ones are chips with a remove button each; arrow keys move through the results, Enter picks,
 * Escape closes.
 */
import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { PersonChip } from './components';
import { useDebounced } from './hooks';

export interface PickableItem {
  readonly id: string;
  readonly label: string;
  readonly avatarUrl?: string | null;
}

export interface SearchPickerProps {
  label: string;
  selected: readonly PickableItem[];
  onChange: (next: PickableItem[]) => void;
  search: (query: string) => Promise<readonly PickableItem[]>;
  disabled?: boolean;
  error?: string | null;
  help?: string;
  /** What is searched for, plural: "people", "groups". */
  noun?: string;
}

export function SearchPicker({ label, selected, onChange, search, disabled, error, help, noun = 'people' }: SearchPickerProps) {
  const id = useId();
  const [query, setQuery] = useState('');
  const settled = useDebounced(query.trim(), 250);
  const [results, setResults] = useState<readonly PickableItem[]>([]);
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
        const chosen = new Set(selected.map((item) => item.id));
        setResults(found.filter((p) => !chosen.has(p.id)));
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

  const pick = (person: PickableItem) => {
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
        : `${results.length} ${noun} found`
      : '';
  const describedBy = [help ? `${id}-help` : null, error ? `${id}-error` : null, `${id}-status`].filter(Boolean).join(' ');

  return (
    <div className="srg-field">
      <label htmlFor={`${id}-input`}>{label}</label>
      {selected.length > 0 && (
        <ul className="srg-chips" aria-label={`${label}: chosen`}>
          {selected.map((person) => (
            <li key={person.id}>
              <PersonChip
                name={person.label}
                avatarUrl={person.avatarUrl}
                removeLabel={`Remove ${person.label} from ${label}`}
                onRemove={disabled ? undefined : () => onChange(selected.filter((p) => p.id !== person.id))}
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
                key={person.id}
                id={`${id}-option-${index}`}
                role="option"
                aria-selected={index === active}
                className="srg-option"
                onMouseDown={(event) => {
                  event.preventDefault();
                  pick(person);
                }}
              >
                {person.label}
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
