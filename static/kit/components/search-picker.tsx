/**
 * A picker for people or groups: the WAI-ARIA combobox pattern over an asynchronous search. The
 * chosen ones are chips with a remove button each; arrow keys move through the results, Enter picks,
 * Escape closes. What the search is doing (too short, searching, nothing found) is said on screen.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { PersonChip } from './person-chip';
import { useDebounced } from '../hooks';

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

/** The search needs this many characters, as Jira's own pickers do. */
export const MIN_QUERY_LENGTH = 2;

type SearchState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'searching'; readonly query: string }
  | { readonly kind: 'found'; readonly query: string; readonly results: readonly PickableItem[] }
  | { readonly kind: 'failed'; readonly query: string; readonly message: string };

function countOf(count: number, noun: string): string {
  if (count !== 1) return `${count} ${noun}`;
  return `1 ${noun === 'people' ? 'person' : noun.replace(/s$/, '')}`;
}

export function SearchPicker({ label, selected, onChange, search, disabled, error, help, noun = 'people' }: SearchPickerProps) {
  const id = useId();
  const [query, setQuery] = useState('');
  const settled = useDebounced(query.trim(), 250);
  const [state, setState] = useState<SearchState>({ kind: 'idle' });
  const [active, setActive] = useState(0);
  const [expanded, setExpanded] = useState(false);
  const inputRef = useRef<HTMLInputElement | null>(null);
  const removeButtons = useRef<(HTMLButtonElement | null)[]>([]);
  const focusAfterRemoval = useRef<number | null>(null);

  // The search runs when the typed text settles, and only then: the latest `search` and `selected` are
  // read through refs, so a parent that rebuilds its callback on every render cannot start a loop.
  const searchRef = useRef(search);
  const selectedRef = useRef(selected);
  useEffect(() => {
    searchRef.current = search;
    selectedRef.current = selected;
  });

  useEffect(() => {
    if (settled.length < MIN_QUERY_LENGTH) {
      setState({ kind: 'idle' });
      return;
    }
    let stale = false;
    setState({ kind: 'searching', query: settled });
    searchRef.current(settled).then(
      (found) => {
        if (stale) return;
        const chosen = new Set(selectedRef.current.map((item) => item.id));
        setState({ kind: 'found', query: settled, results: found.filter((p) => !chosen.has(p.id)) });
        setActive(0);
        setExpanded(true);
      },
      (failure: unknown) => {
        if (stale) return;
        setState({ kind: 'failed', query: settled, message: failure instanceof Error ? failure.message : 'The search did not work; try again.' });
      },
    );
    return () => {
      stale = true;
    };
  }, [settled]);

  // After a chip is removed, focus goes to the chip that took its place, else the one before, else the search box.
  useEffect(() => {
    const index = focusAfterRemoval.current;
    if (index === null) return;
    focusAfterRemoval.current = null;
    const buttons = removeButtons.current.slice(0, selected.length);
    (buttons[Math.min(index, buttons.length - 1)] ?? inputRef.current)?.focus();
  }, [selected.length]);

  const results = state.kind === 'found' ? state.results : [];
  const pick = (person: PickableItem) => {
    onChange([...selected, person]);
    setQuery('');
    setState({ kind: 'idle' });
    setExpanded(false);
    inputRef.current?.focus();
  };
  const remove = (index: number) => {
    focusAfterRemoval.current = index;
    onChange(selected.filter((_, i) => i !== index));
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
      pick(results[active]);
    } else if (event.key === 'Escape') {
      setExpanded(false);
    }
  };
  const showList = expanded && results.length > 0;
  const typed = query.trim();
  const status =
    typed.length > 0 && typed.length < MIN_QUERY_LENGTH
      ? `Type at least ${MIN_QUERY_LENGTH} characters to search.`
      : typed !== settled
        ? ''
        : state.kind === 'searching'
          ? 'Searching…'
          : state.kind === 'found' && results.length === 0
            ? `No ${noun} match “${state.query}”.`
            : state.kind === 'found'
              ? `${countOf(results.length, noun)} found. Use the arrow keys to choose.`
              : '';
  const describedBy = [help ? `${id}-help` : null, error ? `${id}-error` : null, `${id}-status`].filter(Boolean).join(' ');

  return (
    <div className="srg-field">
      <label htmlFor={`${id}-input`}>{label}</label>
      {disabled && selected.length === 0 && <span className="srg-small srg-subtle">None</span>}
      {selected.length > 0 && (
        <ul className="srg-chips" aria-label={`${label}: chosen`}>
          {selected.map((person, index) => (
            <li key={person.id}>
              <PersonChip
                name={person.label}
                avatarUrl={person.avatarUrl}
                removeLabel={`Remove ${person.label} from ${label}`}
                removeRef={(element) => {
                  removeButtons.current[index] = element;
                }}
                onRemove={disabled ? undefined : () => remove(index)}
              />
            </li>
          ))}
        </ul>
      )}
      {!disabled && (
        <div className="srg-combobox">
          <input
            ref={inputRef}
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
            placeholder={noun === 'groups' ? 'Type a group name' : 'Type a name'}
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
      {!disabled && (
        <span id={`${id}-status`} className="srg-field-help srg-search-status" role="status" aria-live="polite">
          {status}
        </span>
      )}
      {help && (
        <span id={`${id}-help`} className="srg-field-help">
          {help}
        </span>
      )}
      {state.kind === 'failed' && <span className="srg-field-error">{state.message}</span>}
      {error && (
        <span id={`${id}-error`} className="srg-field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
