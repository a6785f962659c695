/**
 * The note that closes entries ("talked through"), on the work item and in the log: required, counted
 * against the resolvers' limit and never cut; an empty or too long note is not sent. The resolver's
 * complaint about the note shows at the field, any other failure in a banner above the buttons.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ResolverError } from '../bridge-pure';
import { LIMITS } from '../limits';
import { Button } from './button';
import { ErrorBanner } from './error-banner';
import { TextArea, textLength } from './text-area';

const EMPTY_NOTE_ERROR = 'Write a short note: what was agreed, or why it was fine.';

export interface NoteFormProps {
  /** Saves the trimmed note. Once it resolves the form stays busy: the page replaces it. */
  save: (note: string) => Promise<void>;
  onCancel: () => void;
  /** Under the field: who reads the note, where it is kept. */
  help: string;
  /** `section`: a framed form of its own, with a heading; `inline`: small, inside a card. */
  appearance: 'section' | 'inline';
  heading?: ReactNode;
  /** The form's accessible name, where it has no heading to say it. */
  label?: string;
  /** The note takes the focus as the form opens (when the form took the place of what had it). */
  autoFocus?: boolean;
}

export function NoteForm({ save, onCancel, help, appearance, heading, label, autoFocus }: NoteFormProps) {
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const field = useRef<HTMLTextAreaElement | null>(null);
  const opener = useRef<Element | null>(null);
  useEffect(() => {
    opener.current = document.activeElement;
    if (autoFocus) field.current?.focus();
  }, [autoFocus]);

  const submit = async () => {
    const trimmed = note.trim();
    if (!trimmed) {
      setNoteError(EMPTY_NOTE_ERROR);
      return;
    }
    if (textLength(note) > LIMITS.noteMaxLength) return;
    setSaving(true);
    setError(null);
    setNoteError(null);
    try {
      await save(trimmed);
    } catch (failure) {
      const fieldIssue = failure instanceof ResolverError ? failure.issues.find((i) => i.path.endsWith('note')) : undefined;
      if (fieldIssue) setNoteError(fieldIssue.message);
      else setError(failure);
      setSaving(false);
    }
  };
  const cancel = () => {
    // Back to where the person was when the form opened, if that is still on the page.
    const back = opener.current;
    onCancel();
    setTimeout(() => {
      if (back instanceof HTMLElement && back !== document.body && back.isConnected) back.focus();
    }, 0);
  };
  const small = appearance === 'inline';
  return (
    <form
      noValidate
      className={small ? 'srg-stack' : 'srg-section srg-stack'}
      style={small ? { gap: 'var(--srg-space-100)' } : undefined}
      aria-label={label}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      {heading && <h3>{heading}</h3>}
      <TextArea
        label="Note"
        textareaRef={field}
        value={note}
        onChange={(value) => {
          setNote(value);
          setNoteError(null);
        }}
        required
        rows={2}
        limit={LIMITS.noteMaxLength}
        error={noteError}
        help={help}
      />
      {error !== null && <ErrorBanner title="The note was not saved" error={error} />}
      <div className="srg-row-center">
        <Button type="submit" appearance="primary" small={small} busy={saving}>
          Save note
        </Button>
        <Button small={small} appearance="subtle" onClick={cancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
