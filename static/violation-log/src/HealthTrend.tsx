/**
 * The trend beside the heat map: per accountability, the share the roles the Scrum Guide gives it
 * held in each sprint, as small bars with the numbers in words for screen readers.
 */
import type { RoleHealthSprintView } from '../../kit/contract';
import { ACCOUNTABILITIES, ACCOUNTABILITY_LABELS, guideRolesText, guideShares, percent, trendText } from './health';

export function HealthTrend({ sprints, shownId }: { sprints: readonly RoleHealthSprintView[]; shownId: string }) {
  return (
    <section className="srg-stack srg-trend" aria-labelledby="health-trend-heading" style={{ gap: 'var(--srg-space-100)' }}>
      <div>
        <h3 id="health-trend-heading">Over the sprints</h3>
        <p className="srg-small srg-subtle">
          The share each accountability's own role held, sprint by sprint, oldest first. The outlined bar is the sprint in the table.
        </p>
      </div>
      <ul className="srg-plain-list srg-trend-list">
        {ACCOUNTABILITIES.map((accountability) => {
          const shares = guideShares(sprints, accountability);
          return (
            <li key={accountability} className="srg-trend-row">
              <span className="srg-trend-label">
                {ACCOUNTABILITY_LABELS[accountability]}
                <span className="srg-small srg-subtle"> by {guideRolesText(accountability)}</span>
              </span>
              <span className="srg-spark" aria-hidden="true">
                {shares.map((share, index) => (
                  <span
                    key={sprints[index]!.id}
                    className={`srg-spark-bar${share === null ? ' srg-spark-bar--none' : ''}${sprints[index]!.id === shownId ? ' srg-spark-bar--shown' : ''}`}
                    title={`${sprints[index]!.name}: ${share === null ? 'not done' : percent(share)}`}
                  >
                    <span style={{ height: `${share === null ? 0 : Math.max(4, share * 100)}%` }} />
                  </span>
                ))}
              </span>
              <span className="srg-small">{trendText(shares)}</span>
              <span className="srg-visually-hidden">
                {sprints.map((sprint, index) => `${sprint.name}: ${shares[index] === null ? 'not done' : percent(shares[index]!)}`).join('; ')}.
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
