/** The log's filter bar: rule, person, their role, mode, status and dates, applied together. */
import type { Dispatch } from 'react';
import { Button, Select, TextField, type SelectOption } from '../../kit/components';
import { MODE_LABELS, ROLE_KEYS, ROLE_SINGULAR, RULE_IDS, ruleTitle, STATUS_LABELS } from '../../kit/labels';
import type { People } from '../../kit/people';
import { filterErrors, isFiltered, type FilterForm, type LogAction } from './model';

/** A choice of '' (any) first, then the others. */
function anyOr<V extends string>(any: string, options: readonly SelectOption<V>[]): SelectOption<'' | V>[] {
  return [{ value: '', label: any }, ...options];
}

const RULE_OPTIONS = anyOr('Any rule', RULE_IDS.map((id) => ({ value: id, label: ruleTitle(id) })));
const ROLE_OPTIONS = anyOr<FilterForm['role']>('Any role', [...ROLE_KEYS.map((r) => ({ value: r, label: ROLE_SINGULAR[r] })), { value: 'none', label: 'Outside the Scrum Team' }]);
const MODE_OPTIONS = anyOr<FilterForm['mode']>('Any mode', [
  { value: 'flag', label: MODE_LABELS.flag },
  { value: 'block', label: MODE_LABELS.block },
]);
const STATUS_OPTIONS = anyOr<FilterForm['status']>('Any status', [
  { value: 'open', label: STATUS_LABELS.open! },
  { value: 'acknowledged', label: STATUS_LABELS.acknowledged! },
]);

export function FilterBar({ form, applied, people, dispatch }: { form: FilterForm; applied: FilterForm; people: People; dispatch: Dispatch<LogAction> }) {
  const errors = filterErrors(form);
  const edit = (change: Partial<FilterForm>) => dispatch({ type: 'edit-filter', change });
  const personOptions = anyOr(
    'Anyone',
    [...people.values()].sort((a, b) => a.displayName.localeCompare(b.displayName)).map((p) => ({ value: p.accountId, label: p.displayName })),
  );
  return (
    <form
      noValidate
      className="srg-section srg-stack"
      aria-label="Filter the log"
      onSubmit={(event) => {
        event.preventDefault();
        dispatch({ type: 'apply-filter' });
      }}
    >
      <div className="srg-row">
        <Select label="Rule" value={form.rule} options={RULE_OPTIONS} onChange={(rule) => edit({ rule })} />
        <Select label="Person" value={form.actor} options={personOptions} onChange={(actor) => edit({ actor })} />
        <Select<FilterForm['role']> label="Their role" value={form.role} options={ROLE_OPTIONS} onChange={(role) => edit({ role })} />
        <Select<FilterForm['mode']> label="Mode" value={form.mode} options={MODE_OPTIONS} onChange={(mode) => edit({ mode })} />
        <Select<FilterForm['status']> label="Status" value={form.status} options={STATUS_OPTIONS} onChange={(status) => edit({ status })} />
        <TextField label="From" type="date" value={form.from} onChange={(from) => edit({ from })} error={errors.from} />
        <TextField label="To" type="date" value={form.to} onChange={(to) => edit({ to })} error={errors.to} />
      </div>
      <div className="srg-row-center">
        <Button type="submit" appearance="primary" disabled={Object.keys(errors).length > 0}>
          Apply filter
        </Button>
        {(isFiltered(form) || isFiltered(applied)) && (
          <Button appearance="subtle" onClick={() => dispatch({ type: 'clear-filter' })}>
            Clear filter
          </Button>
        )}
      </div>
    </form>
  );
}
