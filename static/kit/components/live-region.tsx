/** A polite live region: results of a search, a filter or a save are read out when they change. */

export function LiveRegion({ message }: { message: string }) {
  return (
    <div className="srg-visually-hidden" role="status" aria-live="polite" aria-atomic="true">
      {message}
    </div>
  );
}
