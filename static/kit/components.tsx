/**
 * The component kit shared by the three apps: small, accessible, styled only through tokens
 * (kit.css). Written against the common React API so the issue panel can run it on preact/compat.
 * Every piece of user-provided text is rendered as a text node, never as HTML.
 */
import { useId, useRef, type ButtonHTMLAttributes, type KeyboardEvent, type ReactNode, type Ref } from 'react';
import { ResolverError } from './bridge-pure';

function cx(...names: (string | false | null | undefined)[]): string {
  return names.filter(Boolean).join(' ');
}

// ---------------------------------------------------------------------------------------------
// Buttons

export type ButtonAppearance = 'default' | 'primary' | 'subtle' | 'link' | 'danger';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  appearance?: ButtonAppearance;
  small?: boolean;
  /** Shows a spinner and keeps the button focusable but inert while an action runs. */
  busy?: boolean;
}

export function Button({ appearance = 'default', small, busy, className, children, disabled, type, onClick, ...rest }: ButtonProps) {
  return (
    <button
      {...rest}
      type={type ?? 'button'}
      className={cx('srg-button', appearance !== 'default' && `srg-button--${appearance}`, small && 'srg-button--small', className)}
      disabled={disabled}
      aria-busy={busy || undefined}
      onClick={busy ? undefined : onClick}
    >
      {busy && <SpinnerIcon size={14} />}
      {children}
    </button>
  );
}

// ---------------------------------------------------------------------------------------------
// Form fields: each has a visible label, an optional help text and an error tied to the input.

interface FieldShellProps {
  id: string;
  label: ReactNode;
  required?: boolean;
  help?: ReactNode;
  error?: string | null;
  hideLabel?: boolean;
  children: ReactNode;
  className?: string;
}

function FieldShell({ id, label, required, help, error, hideLabel, children, className }: FieldShellProps) {
  return (
    <div className={cx('srg-field', className)} data-field-id={id}>
      <label htmlFor={id} className={hideLabel ? 'srg-visually-hidden' : undefined}>
        {label}
        {required && (
          <span className="srg-required" aria-hidden="true">
            {' '}
            *
          </span>
        )}
      </label>
      {children}
      {help && (
        <span id={`${id}-help`} className="srg-field-help">
          {help}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="srg-field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

function describedBy(id: string, help: unknown, error: unknown): string | undefined {
  const ids = [help ? `${id}-help` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

export interface TextFieldProps {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'search' | 'number' | 'date';
  id?: string;
  name?: string;
  placeholder?: string;
  help?: ReactNode;
  error?: string | null;
  required?: boolean;
  disabled?: boolean;
  readOnly?: boolean;
  hideLabel?: boolean;
  maxLength?: number;
  min?: number | string;
  max?: number | string;
  className?: string;
  autoComplete?: string;
  onKeyDown?: (event: KeyboardEvent<HTMLInputElement>) => void;
}

export function TextField(props: TextFieldProps) {
  const generated = useId();
  const id = props.id ?? generated;
  return (
    <FieldShell id={id} label={props.label} required={props.required} help={props.help} error={props.error} hideLabel={props.hideLabel} className={props.className}>
      <input
        id={id}
        name={props.name}
        className="srg-input"
        type={props.type ?? 'text'}
        value={props.value}
        placeholder={props.placeholder}
        required={props.required}
        disabled={props.disabled}
        readOnly={props.readOnly}
        maxLength={props.maxLength}
        min={props.min}
        max={props.max}
        autoComplete={props.autoComplete ?? 'off'}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(id, props.help, props.error)}
        onChange={(event) => props.onChange(event.currentTarget.value)}
        onKeyDown={props.onKeyDown}
      />
    </FieldShell>
  );
}

export interface TextAreaProps {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  id?: string;
  help?: ReactNode;
  error?: string | null;
  required?: boolean;
  disabled?: boolean;
  /**
   * The most characters the text may hold, shown as a counter. Longer text is kept as typed or pasted
   * (never cut) and marked as too long, so the person decides what goes.
   */
  limit?: number;
  rows?: number;
  placeholder?: string;
  textareaRef?: Ref<HTMLTextAreaElement>;
}

/** How much of the limit a text uses, as the counter counts it (what will be saved: trimmed). */
export function textLength(value: string): number {
  return value.trim().length;
}

export function TextArea(props: TextAreaProps) {
  const generated = useId();
  const id = props.id ?? generated;
  const length = textLength(props.value);
  const over = props.limit !== undefined && length > props.limit;
  const error = props.error ?? (over ? `${(length - props.limit!).toLocaleString()} characters too long: shorten it to ${props.limit!.toLocaleString()}. Nothing is cut for you.` : null);
  const counterId = `${id}-count`;
  return (
    <FieldShell id={id} label={props.label} required={props.required} help={props.help} error={error}>
      <textarea
        ref={props.textareaRef}
        id={id}
        className="srg-textarea"
        value={props.value}
        rows={props.rows ?? 3}
        placeholder={props.placeholder}
        required={props.required}
        disabled={props.disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={[describedBy(id, props.help, error), props.limit !== undefined ? counterId : null].filter(Boolean).join(' ') || undefined}
        onChange={(event) => props.onChange(event.currentTarget.value)}
      />
      {props.limit !== undefined && (
        <span id={counterId} className={cx('srg-counter', over && 'srg-counter--over')}>
          {length.toLocaleString()} / {props.limit.toLocaleString()} characters
        </span>
      )}
    </FieldShell>
  );
}

export interface SelectOption<V extends string = string> {
  value: V;
  label: string;
  disabled?: boolean;
}

export interface SelectProps<V extends string> {
  label: ReactNode;
  value: V;
  options: readonly SelectOption<V>[];
  onChange: (value: V) => void;
  id?: string;
  help?: ReactNode;
  error?: string | null;
  disabled?: boolean;
  hideLabel?: boolean;
  className?: string;
}

export function Select<V extends string>(props: SelectProps<V>) {
  const generated = useId();
  const id = props.id ?? generated;
  return (
    <FieldShell id={id} label={props.label} help={props.help} error={props.error} hideLabel={props.hideLabel} className={props.className}>
      <select
        id={id}
        className="srg-select"
        value={props.value}
        disabled={props.disabled}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(id, props.help, props.error)}
        onChange={(event) => props.onChange(event.currentTarget.value as V)}
      >
        {props.options.map((option) => (
          <option key={option.value} value={option.value} disabled={option.disabled}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

export function Checkbox({ label, checked, onChange, disabled, hideLabel }: { label: string; checked: boolean; onChange: (checked: boolean) => void; disabled?: boolean; hideLabel?: boolean }) {
  return (
    <label className="srg-checkbox">
      <input type="checkbox" checked={checked} disabled={disabled} onChange={(event) => onChange(event.currentTarget.checked)} />
      <span className={hideLabel ? 'srg-visually-hidden' : undefined}>{label}</span>
    </label>
  );
}

// ---------------------------------------------------------------------------------------------
// Tabs: the WAI-ARIA tabs pattern, arrow keys move between tabs, only the active tab is in the tab order.

export interface TabDefinition<K extends string> {
  id: K;
  label: ReactNode;
  content: () => ReactNode;
}

export function Tabs<K extends string>({ tabs, selected, onSelect, label }: { tabs: readonly TabDefinition<K>[]; selected: K; onSelect: (id: K) => void; label: string }) {
  const base = useId();
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    let next = -1;
    if (event.key === 'ArrowRight') next = (index + 1) % tabs.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + tabs.length) % tabs.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = tabs.length - 1;
    if (next < 0) return;
    event.preventDefault();
    const tab = tabs[next]!;
    onSelect(tab.id);
    refs.current[tab.id]?.focus();
  };
  const active = tabs.find((t) => t.id === selected) ?? tabs[0];
  return (
    <div className="srg-tabs">
      <div role="tablist" aria-label={label}>
        {tabs.map((tab, index) => (
          <button
            key={tab.id}
            ref={(el) => {
              refs.current[tab.id] = el;
            }}
            id={`${base}-tab-${tab.id}`}
            className="srg-tab"
            role="tab"
            type="button"
            aria-selected={tab.id === active?.id}
            aria-controls={`${base}-panel-${tab.id}`}
            tabIndex={tab.id === active?.id ? 0 : -1}
            onClick={() => onSelect(tab.id)}
            onKeyDown={(event) => onKeyDown(event, index)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      {active && (
        <div role="tabpanel" id={`${base}-panel-${active.id}`} aria-labelledby={`${base}-tab-${active.id}`} tabIndex={0}>
          {active.content()}
        </div>
      )}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Badges, messages, empty states, spinners, progress

export type BadgeAppearance = 'default' | 'danger' | 'warning' | 'success' | 'information' | 'discovery';

export function Badge({ appearance = 'default', children, title }: { appearance?: BadgeAppearance; children: ReactNode; title?: string }) {
  return (
    <span className={cx('srg-badge', appearance !== 'default' && `srg-badge--${appearance}`)} title={title}>
      {children}
    </span>
  );
}

export function Count({ value, label }: { value: number; label: string }) {
  return (
    <span className="srg-count" aria-label={`${value} ${label}`}>
      {value}
    </span>
  );
}

export type MessageAppearance = 'info' | 'warning' | 'error' | 'success';
const MESSAGE_ICONS: Record<MessageAppearance, string> = { info: 'i', warning: '!', error: '!', success: '✓' };

export function Message({
  appearance = 'info',
  title,
  children,
  actions,
  live,
}: {
  appearance?: MessageAppearance;
  title?: ReactNode;
  children?: ReactNode;
  actions?: ReactNode;
  /** Announce the message when it appears (errors are announced assertively). */
  live?: boolean;
}) {
  const role = live ? (appearance === 'error' ? 'alert' : 'status') : undefined;
  return (
    <section className={`srg-message srg-message--${appearance}`} role={role}>
      <span className="srg-message-icon" aria-hidden="true">
        {MESSAGE_ICONS[appearance]}
      </span>
      <div className="srg-message-body">
        {title && <h3>{title}</h3>}
        {children}
        {actions && <div className="srg-row-center">{actions}</div>}
      </div>
    </section>
  );
}

/** A failed load or action, said plainly, with a way to try again. */
export function ErrorBanner({ title = 'Something went wrong', error, onRetry }: { title?: string; error: unknown; onRetry?: () => void }) {
  return (
    <Message
      appearance="error"
      title={title}
      live
      actions={
        onRetry && (
          <Button appearance="link" onClick={onRetry}>
            Try again
          </Button>
        )
      }
    >
      <p>{errorText(error)}</p>
    </Message>
  );
}

/** A load refused because the person cannot see the project in Jira: nothing to retry. */
export function isNoAccess(error: unknown): boolean {
  return error instanceof ResolverError && error.code === 'forbidden';
}

/** Said once, plainly, to someone who cannot see the project: no red banner, no "Try again". */
export function NoAccess({ what }: { what: string }) {
  return (
    <main className="srg-stack">
      <Message appearance="info" title="You don't have access to this project">
        <p>
          Jira doesn't let you see this project, so Scrum Role Guard cannot show you its {what}. If you should have access, ask a Jira admin to add you to
          the project.
        </p>
      </Message>
    </main>
  );
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return 'The app could not complete the request. Reload the page, and if it keeps happening tell your Jira admin.';
}

export function EmptyState({ title, children, actions, compact, headingLevel = 2 }: { title: string; children?: ReactNode; actions?: ReactNode; compact?: boolean; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <div className={cx('srg-empty', compact && 'srg-empty--compact')}>
      <Heading>{title}</Heading>
      {children}
      {actions && <div className={compact ? 'srg-row-center' : 'srg-row-center'} style={compact ? undefined : { justifyContent: 'center' }}>{actions}</div>}
    </div>
  );
}

function SpinnerIcon({ size }: { size: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <circle cx="10" cy="10" r="7" />
    </svg>
  );
}

export function Spinner({ label = 'Loading', size = 20 }: { label?: string; size?: number }) {
  return (
    <span className="srg-spinner" role="status">
      <SpinnerIcon size={size} />
      <span>{label}</span>
    </span>
  );
}

export function ProgressBar({ value, max, label, detail }: { value: number; max: number; label: string; detail?: ReactNode }) {
  const safeMax = max > 0 ? max : 1;
  const fraction = Math.min(1, Math.max(0, value / safeMax));
  const id = useId();
  return (
    <div className="srg-progress">
      <div className="srg-spread">
        <span id={id} className="srg-label">
          {label}
        </span>
        <span className="srg-small srg-subtle">{Math.round(fraction * 100)}%</span>
      </div>
      <div className="srg-progress-track" role="progressbar" aria-labelledby={id} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(fraction * 100)}>
        <div className="srg-progress-fill" style={{ width: `${fraction * 100}%` }} />
      </div>
      {detail && <span className="srg-small srg-subtle">{detail}</span>}
    </div>
  );
}

/** A polite live region: results of a search, a filter or a save are read out when they change. */
export function LiveRegion({ message }: { message: string }) {
  return (
    <div className="srg-visually-hidden" role="status" aria-live="polite" aria-atomic="true">
      {message}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// People

export function Avatar({ name, url }: { name: string; url?: string | null }) {
  const initials =
    name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((part) => part[0]!.toUpperCase())
      .join('') || '?';
  return <span className="srg-avatar" aria-hidden="true">{url ? <img src={url} alt="" /> : initials}</span>;
}

export function PersonChip({
  name,
  avatarUrl,
  onRemove,
  removeLabel,
  removeRef,
}: {
  name: string;
  avatarUrl?: string | null;
  onRemove?: () => void;
  removeLabel?: string;
  /** The remove button, for whoever moves the focus after a removal. */
  removeRef?: (element: HTMLButtonElement | null) => void;
}) {
  return (
    <span className="srg-chip">
      <Avatar name={name} url={avatarUrl} />
      <span className="srg-chip-label">{name}</span>
      {onRemove && (
        <button ref={removeRef} type="button" className="srg-chip-remove" aria-label={removeLabel ?? `Remove ${name}`} onClick={onRemove}>
          ×
        </button>
      )}
    </span>
  );
}

// ---------------------------------------------------------------------------------------------
// Tables

export type SortDirection = 'asc' | 'desc';

export interface Column<Row, SortKey extends string = string> {
  key: string;
  header: ReactNode;
  /** A plain-text header for the sort button's accessible name when `header` is not a string. */
  headerText?: string;
  sortKey?: SortKey;
  render: (row: Row) => ReactNode;
  width?: string;
  /** A class for the column's header and cells (widths, wrapping). */
  className?: string;
}

export interface DataTableProps<Row, SortKey extends string> {
  caption: ReactNode;
  hideCaption?: boolean;
  columns: readonly Column<Row, SortKey>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  sort?: { by: SortKey; direction: SortDirection };
  onSort?: (by: SortKey, direction: SortDirection) => void;
  /** With selection, the first column is a checkbox per row and one for the page. */
  selection?: { selected: ReadonlySet<string>; onChange: (next: Set<string>) => void; rowLabel: (row: Row) => string; isSelectable?: (row: Row) => boolean };
}

export function DataTable<Row, SortKey extends string>({ caption, hideCaption, columns, rows, rowKey, sort, onSort, selection }: DataTableProps<Row, SortKey>) {
  const selectable = selection ? rows.filter((row) => selection.isSelectable?.(row) ?? true) : [];
  const allSelected = selection !== undefined && selectable.length > 0 && selectable.every((row) => selection.selected.has(rowKey(row)));
  const toggleAll = (checked: boolean) => {
    if (!selection) return;
    const next = new Set(selection.selected);
    for (const row of selectable) {
      if (checked) next.add(rowKey(row));
      else next.delete(rowKey(row));
    }
    selection.onChange(next);
  };
  return (
    <div className="srg-table-wrap">
      <table className="srg-table">
        <caption className={hideCaption ? 'srg-visually-hidden' : undefined}>{caption}</caption>
        <thead>
          <tr>
            {selection && (
              <th scope="col" style={{ width: '32px' }}>
                <Checkbox label="Select every selectable row on this page" hideLabel checked={allSelected} disabled={selectable.length === 0} onChange={toggleAll} />
              </th>
            )}
            {columns.map((column) => {
              const active = sort && column.sortKey === sort.by;
              const ariaSort = active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined;
              return (
                <th key={column.key} scope="col" aria-sort={ariaSort} className={column.className} style={column.width ? { width: column.width } : undefined}>
                  {column.sortKey && onSort ? (
                    <button
                      type="button"
                      className="srg-sort"
                      onClick={() => onSort(column.sortKey!, active && sort.direction === 'desc' ? 'asc' : 'desc')}
                    >
                      {column.header}
                      <span aria-hidden="true">{active ? (sort.direction === 'asc' ? '▲' : '▼') : '↕'}</span>
                      <span className="srg-visually-hidden">{active ? ', sorted' : ', sort'}</span>
                    </button>
                  ) : (
                    column.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const key = rowKey(row);
            const isSelected = selection?.selected.has(key) ?? false;
            const canSelect = selection ? (selection.isSelectable?.(row) ?? true) : false;
            return (
              <tr key={key} aria-selected={selection ? isSelected : undefined}>
                {selection && (
                  <td>
                    {canSelect && (
                      <Checkbox
                        label={selection.rowLabel(row)}
                        hideLabel
                        checked={isSelected}
                        onChange={(checked) => {
                          const next = new Set(selection.selected);
                          if (checked) next.add(key);
                          else next.delete(key);
                          selection.onChange(next);
                        }}
                      />
                    )}
                  </td>
                )}
                {columns.map((column) => (
                  <td key={column.key} className={column.className}>
                    {column.render(row)}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Bar chart: an SVG for the eye and a table for screen readers, from the same numbers.

export interface ChartSeries {
  name: string;
  values: readonly number[];
}

export function BarChart({
  title,
  description,
  categories,
  series,
  height = 200,
  stacked = true,
  categoryHeader = 'Period',
}: {
  title: string;
  description?: ReactNode;
  categories: readonly string[];
  series: readonly ChartSeries[];
  height?: number;
  stacked?: boolean;
  /** What a category is, for the table screen readers get ("Sprint", "Week"). */
  categoryHeader?: string;
}) {
  // Each bar gets room for its label on up to two lines; what still does not fit ends in "…" and the
  // whole label is in the bar's tooltip, the legend and the table.
  const longest = Math.max(4, ...categories.map((c) => c.length));
  const slot = Math.min(150, Math.max(64, Math.ceil(longest / 2) * 7 + 16));
  const plotLeft = 36;
  const width = Math.max(320, plotLeft + categories.length * slot + 8);
  const plotTop = 8;
  const plotBottom = height - 40;
  const totals = categories.map((_, i) =>
    stacked ? series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0) : Math.max(0, ...series.map((s) => s.values[i] ?? 0)),
  );
  const maxValue = Math.max(1, ...totals);
  const ticks = niceTicks(maxValue);
  const top = ticks[ticks.length - 1]!;
  const y = (v: number) => plotBottom - (v / top) * (plotBottom - plotTop);
  const barWidth = Math.min(36, slot * 0.6);
  const perLine = Math.max(4, Math.floor((slot - 6) / 7));
  return (
    <ChartFigure title={title} description={description}>
      <div className="srg-chart-scroll">
        <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} aria-hidden="true" focusable="false">
          {ticks.map((tick) => (
            <g key={tick}>
              <line className="srg-axis" x1={plotLeft} x2={width} y1={y(tick)} y2={y(tick)} />
              <text x={plotLeft - 6} y={y(tick) + 4} textAnchor="end">
                {tick}
              </text>
            </g>
          ))}
          {categories.map((category, i) => {
            const x = plotLeft + slot * i + (slot - barWidth) / 2;
            let base = 0;
            const lines = wrapLabel(category, perLine, 2);
            const detail = series.map((s) => `${s.name}: ${s.values[i] ?? 0}`).join(', ');
            return (
              <g key={category}>
                <title>{`${category}: ${totals[i]}${series.length > 1 ? ` (${detail})` : ''}`}</title>
                {series.map((s, si) => {
                  const value = s.values[i] ?? 0;
                  if (value <= 0) return null;
                  const w = stacked ? barWidth : barWidth / series.length;
                  const bx = stacked ? x : x + w * si;
                  const y0 = stacked ? base : 0;
                  base += value;
                  return <rect key={s.name} className={`srg-series-${(si % 7) + 1}`} x={bx} width={Math.max(1, w - (stacked ? 0 : 1))} y={y(y0 + value)} height={Math.max(0, y(y0) - y(y0 + value))} rx={1} />;
                })}
                <text x={plotLeft + slot * i + slot / 2} y={plotBottom + 16} textAnchor="middle">
                  {lines.map((line, li) => (
                    <tspan key={li} x={plotLeft + slot * i + slot / 2} dy={li === 0 ? 0 : 14}>
                      {line}
                    </tspan>
                  ))}
                </text>
              </g>
            );
          })}
        </svg>
      </div>
      <ul className="srg-legend" aria-hidden="true">
        {series.map((s, si) => (
          <li key={s.name}>
            <span className={`srg-legend-swatch srg-series-${(si % 7) + 1}`} />
            {s.name}
          </li>
        ))}
      </ul>
      <table className="srg-visually-hidden">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{categoryHeader}</th>
            {series.map((s) => (
              <th key={s.name} scope="col">
                {s.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {categories.map((category, i) => (
            <tr key={category}>
              <th scope="row">{category}</th>
              {series.map((s) => (
                <td key={s.name}>{s.values[i] ?? 0}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </ChartFigure>
  );
}

/** A chart's frame: its title (which names the figure) and a sentence about it. */
function ChartFigure({ title, description, children }: { title: string; description?: ReactNode; children: ReactNode }) {
  const titleId = useId();
  return (
    <figure className="srg-chart" aria-labelledby={titleId} style={{ margin: 0 }}>
      <figcaption id={titleId}>
        <h3>{title}</h3>
        {description && <p className="srg-small srg-subtle">{description}</p>}
      </figcaption>
      {children}
    </figure>
  );
}

/**
 * Horizontal bars with their labels in full (they wrap): for categories that are sentences, such as
 * rule titles. The numbers are text beside each bar, so nothing needs a table of its own.
 */
export function BarList({
  title,
  description,
  items,
  valueLabel,
}: {
  title: string;
  description?: ReactNode;
  items: readonly { key: string; label: ReactNode; value: number; detail?: ReactNode }[];
  /** What a value counts, for each bar's accessible text ("times"). */
  valueLabel: string;
}) {
  const max = Math.max(1, ...items.map((item) => item.value));
  return (
    <ChartFigure title={title} description={description}>
      <ul className="srg-bar-list">
        {items.map((item) => (
          <li key={item.key}>
            <span className="srg-bar-list-label">
              {item.label}
              {item.detail && <span className="srg-small srg-subtle"> {item.detail}</span>}
            </span>
            <span className="srg-bar-list-bar" aria-hidden="true">
              <span className="srg-series-1" style={{ width: `${(item.value / max) * 100}%` }} />
            </span>
            <span className="srg-bar-list-value">
              {item.value}
              <span className="srg-visually-hidden"> {valueLabel}</span>
            </span>
          </li>
        ))}
      </ul>
    </ChartFigure>
  );
}

/** Splits a label into at most `maxLines` lines of `perLine` characters, at spaces when it can. */
export function wrapLabel(text: string, perLine: number, maxLines: number): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    const next = current === '' ? word : `${current} ${word}`;
    if (next.length <= perLine || current === '') current = next;
    else {
      lines.push(current);
      current = word;
    }
  }
  if (current !== '') lines.push(current);
  const kept = lines.slice(0, maxLines).map((line) => (line.length > perLine ? `${line.slice(0, perLine - 1)}…` : line));
  if (lines.length > maxLines) {
    const last = kept[maxLines - 1]!.replace(/…$/, '');
    kept[maxLines - 1] = `${last.length >= perLine ? last.slice(0, perLine - 1) : last}…`;
  }
  return kept;
}

/** Round axis ticks (0, then 4 or 5 steps of 1, 2 or 5 times a power of ten) covering `max`. */
export function niceTicks(max: number): number[] {
  const rough = Math.max(1, max) / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const wholeStep = Math.max(1, Math.round(step));
  const ticks = [0];
  while (ticks[ticks.length - 1]! < max) ticks.push(ticks[ticks.length - 1]! + wholeStep);
  return ticks;
}
