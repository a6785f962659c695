/** A person's picture, or their initials when Jira has none; decorative, as their name is always beside it. */

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
