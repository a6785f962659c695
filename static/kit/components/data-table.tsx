/** A table with sortable columns and, optionally, a checkbox per row and one for the whole page. */
import type { ReactNode } from 'react';
import { Checkbox } from './checkbox';

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
