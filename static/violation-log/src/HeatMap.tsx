/**
 * The heat map of one sprint: the seven accountabilities by who did the work, each cell its share as
 * a percentage and a count (the shade only repeats what the text says), cells off their role marked
 * with an icon and words, and each non-empty cell a button that opens the changes behind it.
 */
import type { RoleHealthSprintView } from '../../kit/contract';
import {
  ACCOUNTABILITIES,
  ACCOUNTABILITY_LABELS,
  accountabilityTotal,
  BUCKET_IN_SENTENCE,
  BUCKET_LABELS,
  cellShare,
  guideRolesText,
  HEALTH_BUCKETS,
  percent,
  sameCell,
  shade,
  type HealthCell,
} from './health';

/** The id of a cell's button, so the focus can go back to it when its changes are closed. */
export function cellButtonId(cell: Pick<HealthCell, 'accountability' | 'bucket'>): string {
  return `health-cell-${cell.accountability}-${cell.bucket}`;
}

export function HeatMap({ sprint, open, onOpen }: { sprint: RoleHealthSprintView; open: HealthCell | null; onOpen: (cell: HealthCell) => void }) {
  const offRole = new Set(sprint.offRole.map((cell) => `${cell.accountability}:${cell.bucket}`));
  return (
    <div className="srg-table-wrap">
      <table className="srg-table srg-heat-map">
        <caption>Who did the work in {sprint.name}</caption>
        <thead>
          <tr>
            <th scope="col">Accountability</th>
            {HEALTH_BUCKETS.map((bucket) => (
              <th key={bucket} scope="col" className="srg-heat-head">
                {BUCKET_LABELS[bucket]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {ACCOUNTABILITIES.map((accountability) => {
            const total = accountabilityTotal(sprint, accountability);
            return (
              <tr key={accountability}>
                <th scope="row">
                  {ACCOUNTABILITY_LABELS[accountability]}
                  <br />
                  <span className="srg-small srg-subtle srg-heat-owner">
                    {total === 0 ? 'Not done in this sprint' : `The Scrum Guide: ${guideRolesText(accountability)}`}
                  </span>
                </th>
                {HEALTH_BUCKETS.map((bucket) => {
                  const count = sprint.actions[accountability]?.[bucket] ?? 0;
                  const share = cellShare(sprint, accountability, bucket);
                  const off = offRole.has(`${accountability}:${bucket}`);
                  const cell = { sprintId: sprint.id, accountability, bucket };
                  return (
                    <td key={bucket} className={`srg-heat srg-heat-${shade(share)}${off ? ' srg-heat--off' : ''}`}>
                      {count === 0 ? (
                        <span className="srg-heat-empty">
                          <span aria-hidden="true">–</span>
                          <span className="srg-visually-hidden">None</span>
                        </span>
                      ) : (
                        <button
                          type="button"
                          id={cellButtonId(cell)}
                          className="srg-heat-button"
                          aria-expanded={sameCell(open, cell)}
                          onClick={() => onOpen(cell)}
                        >
                          <span className="srg-visually-hidden">
                            {ACCOUNTABILITY_LABELS[accountability]} by {BUCKET_IN_SENTENCE[bucket]}:{' '}
                          </span>
                          <span className="srg-heat-percent">{percent(share)}</span>
                          <span className="srg-heat-count">
                            {count} of {total}
                          </span>
                          {off && (
                            <span className="srg-heat-off">
                              <span aria-hidden="true">⚠ </span>Off role
                            </span>
                          )}
                          <span className="srg-visually-hidden">, show the changes</span>
                        </button>
                      )}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
