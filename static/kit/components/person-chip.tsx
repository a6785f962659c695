/** A person (or a group) as a chip: avatar and name, with a remove button where they can be taken away. */
import { Avatar } from './avatar';

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
