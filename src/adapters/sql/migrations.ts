/**
 * The violation log's schema, applied by the app itself through @forge/sql's migrationRunner.
 *
 * Portable on purpose: Forge SQL is TiDB (MySQL-compatible) and the sandbox also runs the same text on
 * sql.js. So: an explicit text primary key (no AUTO_INCREMENT), times as BIGINT epoch milliseconds
 * (no session time zone, no DATETIME formats that differ between engines), every index declared
 * inside the one CREATE TABLE IF NOT EXISTS (MySQL has no CREATE INDEX IF NOT EXISTS), index names
 * unique in the whole database (SQLite's index names are not per table), and a binary collation so
 * MySQL compares ids and cursors byte by byte, as SQLite does.
 */
import { getAppContext } from '@forge/api';
import { migrationRunner } from '@forge/sql';

export const VIOLATION_TABLE = 'violation_log';
/** Counts per week and group, for the sealed part of the weeks in SEALED_WEEKS_TABLE only (see totals.ts). */
export const TOTALS_TABLE = 'violation_totals';
/** The weeks whose rows TOTALS_TABLE holds counted, up to an instant; every other row is counted from the log itself. */
export const SEALED_WEEKS_TABLE = 'violation_sealed_weeks';

/**
 * In order, each applied once per installation. v001 is as it shipped: later changes are new entries,
 * each one statement (Forge SQL takes one statement a request) that can run again after a failed
 * checkpoint without harm (IF NOT EXISTS / IF EXISTS), because the runner records a migration only
 * after its statement succeeded. Indexes are added and dropped one per statement: older TiDB versions
 * take a single change per ALTER TABLE.
 */
export const MIGRATIONS: readonly { readonly name: string; readonly statement: string }[] = [
  {
    name: 'v001_create_violation_log',
    statement: `CREATE TABLE IF NOT EXISTS ${VIOLATION_TABLE} (
      id VARCHAR(200) NOT NULL,
      project_key VARCHAR(255) NOT NULL,
      occurred_at BIGINT NOT NULL,
      issue_key VARCHAR(255) NULL,
      issue_id VARCHAR(32) NULL,
      actor VARCHAR(128) NOT NULL,
      actor_roles INT NOT NULL,
      rule_id VARCHAR(64) NOT NULL,
      enforcement_mode VARCHAR(16) NOT NULL,
      outcome VARCHAR(32) NOT NULL,
      from_value TEXT NULL,
      to_value TEXT NULL,
      from_string TEXT NULL,
      to_string TEXT NULL,
      sprint_id VARCHAR(32) NULL,
      status VARCHAR(16) NOT NULL,
      ack_note TEXT NULL,
      ack_by VARCHAR(128) NULL,
      ack_at BIGINT NULL,
      PRIMARY KEY (id),
      KEY violation_log_project_time (project_key, occurred_at, id),
      KEY violation_log_project_rule (project_key, rule_id, occurred_at),
      KEY violation_log_project_actor (project_key, actor, occurred_at),
      KEY violation_log_project_status (project_key, status, occurred_at),
      KEY violation_log_project_issue (project_key, issue_key, occurred_at),
      KEY violation_log_rule_sprint (project_key, rule_id, sprint_id),
      KEY violation_log_time (occurred_at),
      KEY violation_log_actor (actor),
      KEY violation_log_ack_by (ack_by)
    ) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
  },
  {
    // The screen's usual filter: entries of some statuses and rules, newest first. Each (status, rule)
    // pair is one ordered range of this index; the adapter reads each range and merges them.
    name: 'v002_index_project_status_rule_time',
    statement: `ALTER TABLE ${VIOLATION_TABLE} ADD INDEX IF NOT EXISTS violation_log_project_status_rule (project_key, status, rule_id, occurred_at, id)`,
  },
  // The three indexes v002 makes redundant: a prefix of it, or a grouping the totals now serve.
  { name: 'v003_drop_index_project_status', statement: `ALTER TABLE ${VIOLATION_TABLE} DROP INDEX IF EXISTS violation_log_project_status` },
  { name: 'v004_drop_index_project_rule', statement: `ALTER TABLE ${VIOLATION_TABLE} DROP INDEX IF EXISTS violation_log_project_rule` },
  { name: 'v005_drop_index_rule_sprint', statement: `ALTER TABLE ${VIOLATION_TABLE} DROP INDEX IF EXISTS violation_log_rule_sprint` },
  {
    // Counts per week and group (see totals.ts), one column per status and mode (a filter on them picks
    // columns, and a group holds four times fewer rows). The key starts as the sprint charts group, the
    // index as the week charts group, so either reads its groups in index order; the index holds the
    // counts too, so a week chart reads no table row.
    name: 'v006_create_violation_totals',
    statement: `CREATE TABLE IF NOT EXISTS ${TOTALS_TABLE} (
      project_key VARCHAR(255) NOT NULL,
      sprint_key VARCHAR(32) NOT NULL,
      rule_id VARCHAR(64) NOT NULL,
      actor_roles INT NOT NULL,
      week INT NOT NULL,
      open_flag INT NOT NULL,
      open_block INT NOT NULL,
      ack_flag INT NOT NULL,
      ack_block INT NOT NULL,
      PRIMARY KEY (project_key, sprint_key, rule_id, actor_roles, week),
      KEY violation_totals_week (project_key, week, rule_id, actor_roles, open_flag, open_block, ack_flag, ack_block)
    ) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
  },
  {
    // The weeks whose totals count their rows, up to sealed_until, with the row and open counts checked.
    name: 'v007_create_violation_sealed_weeks',
    statement: `CREATE TABLE IF NOT EXISTS ${SEALED_WEEKS_TABLE} (
      project_key VARCHAR(255) NOT NULL,
      week INT NOT NULL,
      sealed_until BIGINT NOT NULL,
      n INT NOT NULL,
      open_n INT NOT NULL,
      PRIMARY KEY (project_key, week)
    ) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
  },
];

for (const migration of MIGRATIONS) migrationRunner.enqueue(migration.name, migration.statement);

/**
 * One migration run per installation per warm container: once the schema is there it cannot go
 * backwards, so later invocations skip even the runner's own list query. A failed run is forgotten,
 * so the next invocation tries again. Keyed by installation because one container may serve several;
 * kept by whoever holds the log (one per container), not by this module.
 */
export class SchemaReady {
  private readonly runs = new Map<string, Promise<void>>();

  ensure(): Promise<void> {
    // getAppContext() is @forge/api's public view of the invocation; the runtime object behind it is internal.
    const { installationAri, environmentAri } = getAppContext();
    const key = `${installationAri.installationId}/${environmentAri.environmentId}`;
    let ready = this.runs.get(key);
    if (ready === undefined) {
      ready = migrationRunner.run().then(
        () => undefined,
        (error: unknown) => {
          this.runs.delete(key);
          throw error;
        },
      );
      this.runs.set(key, ready);
    }
    return ready;
  }
}
