/**
 * The component kit shared by the three apps, one component to a file: small, accessible, styled only
 * through tokens (kit.css). Written against the common React API, which the bundles run on
 * preact/compat. Every piece of user-provided text is rendered as a text node, never as HTML.
 */
export { Avatar } from './avatar';
export { Badge, type BadgeAppearance } from './badge';
export { BarChart, type ChartSeries } from './bar-chart';
export { BarList } from './bar-list';
export { Button, type ButtonAppearance, type ButtonProps } from './button';
export { niceTicks, wrapLabel } from './chart-scale';
export { Checkbox } from './checkbox';
export { DataTable, type Column, type DataTableProps, type SortDirection } from './data-table';
export { EmptyState } from './empty-state';
export { ErrorBanner, errorText } from './error-banner';
export { LiveRegion } from './live-region';
export { Message, type MessageAppearance } from './message';
export { isNoAccess, NoAccess } from './no-access';
export { NoteForm, type NoteFormProps } from './note-form';
export { PeopleChips } from './people-chips';
export { PersonChip } from './person-chip';
export { ProgressBar } from './progress-bar';
export { SearchPicker, MIN_QUERY_LENGTH, type PickableItem, type SearchPickerProps } from './search-picker';
export { Select, type SelectOption, type SelectProps } from './select';
export { Spinner } from './spinner';
export { Tabs, type TabDefinition } from './tabs';
export { TextArea, textLength, type TextAreaProps } from './text-area';
export { TextField, type TextFieldProps } from './text-field';
