/**
 * The two small languages the local Forge host interprets: trigger filter expressions, and the
 * MySQL the embedded SQL engine translates to SQLite (or refuses loudly).
 */
import path from 'node:path';
import { EntityProperties, evaluateFilterExpression, evaluateJiraExpression, loadManifest } from '../../sandbox/forge';
import { EmbeddedSqlEngine, translateMySqlToSqlite } from '../../sandbox/forge/sql';

const event = {
  selfGenerated: false,
  changelog: { items: [{ fieldId: 'status', toString: 'Done' }, { fieldId: 'customfield_10019', toString: 'Ranked higher' }] },
  issue: { key: 'DEMO-7', fields: { issuetype: { subtask: false } } },
};

describe('filter expressions', () => {
  it.each([
    ["event.changelog.items.some(i => ['status', 'priority'].includes(i.fieldId))", 'match'],
    ["event.changelog.items.some(i => ['summary'].includes(i.fieldId))", 'no-match'],
    ["event.changelog.items.some((i) => i.toString == 'Ranked higher') && !event.selfGenerated", 'match'],
    ['event.changelog.items.length > 2 || event.issue.fields.issuetype.subtask', 'no-match'],
    ["event.issue.key.startsWith('DEMO-') ? event.changelog.items.every(i => i.fieldId != 'assignee') : false", 'match'],
    ['event.changelog.items.filter(i => i.fieldId == "status").length === 1', 'match'],
    ["event.missing == null", 'match'],
  ])('%s -> %s', (expression, outcome) => {
    expect(evaluateFilterExpression(expression, event).outcome).toBe(outcome);
  });

  it('reports a runtime failure as an error (Forge then applies onError)', () => {
    expect(evaluateFilterExpression('event.sprint.goal == null', event)).toEqual({ outcome: 'error', message: "cannot read 'goal' of null" });
    expect(evaluateFilterExpression('event.issue.key', event).outcome).toBe('error');
  });

  it('says what it cannot evaluate instead of guessing', () => {
    expect(evaluateFilterExpression('issue.key == "DEMO-1"', event)).toMatchObject({ outcome: 'unsupported', message: expect.stringMatching(/'issue'/) });
    expect(evaluateFilterExpression('new Date() > 0', event).outcome).toBe('unsupported');
    expect(evaluateFilterExpression('event.changelog.items.reduce((a, b) => a, 0) == 0', event).outcome).toBe('unsupported');
  });
});

describe("the app's own trigger filter (manifest.yml)", () => {
  const manifest = loadManifest(path.join(__dirname, '..', '..', 'manifest.yml'));
  const expression = manifest.triggers.find((t) => t.key === 'srg-issue-updated')!.filter!.expression!;
  const withItems = (...items: Record<string, unknown>[]) => ({ eventType: 'avi:jira:updated:issue', selfGenerated: false, changelog: { id: '1', items } });
  const attachment = { field: 'Attachment', fieldtype: 'jira', from: null, to: '10001' };

  it('lets a status change through even when its item has no fieldId, and fails on no item without one', () => {
    expect(evaluateFilterExpression(expression, withItems(attachment, { field: 'status', fieldtype: 'jira', from: '10000', to: '3' }))).toEqual({ outcome: 'match' });
    expect(evaluateFilterExpression(expression, withItems({ field: 'Rank', fieldtype: 'custom', toString: 'Ranked higher' }))).toEqual({ outcome: 'match' });
    expect(evaluateFilterExpression(expression, withItems(attachment, { field: 'description', fieldtype: 'jira', fieldId: 'description' }))).toEqual({ outcome: 'no-match' });
  });

  it('tests the custom fields first: a burst of rank changes is decided by the first comparison', () => {
    expect(expression.indexOf("i.fieldtype == 'custom'")).toBeLessThan(expression.indexOf('includes'));
  });
});

describe('workflow rule expressions, with the context variables Jira gives', () => {
  const properties = new EntityProperties(new Map<string, unknown>([['cfg', { config: { users: ['acc-1'], roles: ['10001'] } }]]));
  const context = {
    user: { accountId: 'acc-2', groups: ['devs'], getProjectRoles: (project: { key?: string }) => (project.key === 'DEMO' ? [{ id: 10001, name: 'Developers' }] : []) },
    project: { id: 10000, key: 'DEMO', properties },
    issue: { id: 10004, key: 'DEMO-4' },
  };

  it.each([
    ["project.properties['cfg'].config.users.includes(user.accountId)", 'no-match'],
    ["project.properties.get('cfg').config.users.includes('acc-1')", 'match'],
    ["project.properties['missing']?.config?.users == null", 'match'],
    ["project.properties['missing']?.['config'] == null && user.groups.includes('devs')", 'match'],
    ["user.getProjectRoles(project).some(r => project.properties['cfg'].config.roles.includes(r.id + ''))", 'match'],
    ["issue.key == 'DEMO-4' && project.properties.keys().length == 1", 'match'],
  ])('%s -> %s', (expression, outcome) => {
    expect(evaluateJiraExpression(expression, context).outcome).toBe(outcome);
  });

  it('fails on a property of a missing entity property without optional chaining, as Jira does', () => {
    expect(evaluateJiraExpression("project.properties['missing'].config == null", context).outcome).toBe('error');
  });
});

describe('MySQL on the embedded engine', () => {
  it('translates the MySQL-isms the app and @forge/sql use', () => {
    expect(translateMySqlToSqlite('CREATE TABLE IF NOT EXISTS __migrations (id BIGINT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(255) NOT NULL)')).toEqual([
      'CREATE TABLE IF NOT EXISTS __migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR ( 255 ) NOT NULL)',
    ]);
    const [table, index] = translateMySqlToSqlite(
      "CREATE TABLE `log` (`id` BIGINT NOT NULL AUTO_INCREMENT, kind ENUM('a','b') NOT NULL COMMENT 'what', at DATETIME DEFAULT NOW(), PRIMARY KEY (`id`), UNIQUE KEY uq_kind (kind, at), KEY idx_at (at)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
    );
    expect(table).toBe('CREATE TABLE "log" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, at DATETIME DEFAULT CURRENT_TIMESTAMP, CONSTRAINT uq_kind UNIQUE ( kind , at ))');
    expect(index).toBe('CREATE INDEX idx_at ON "log" ( at )');
    expect(translateMySqlToSqlite("INSERT IGNORE INTO t (a, b) VALUES (?, 'it\\'s') ON DUPLICATE KEY UPDATE b = VALUES(b)")).toEqual([
      "INSERT OR IGNORE INTO t ( a , b ) VALUES ( ? , 'it''s' ) ON CONFLICT DO UPDATE SET b = excluded . b",
    ]);
    expect(translateMySqlToSqlite('SELECT IF(n > 0, 1, 0) FROM t WHERE at < NOW() FOR UPDATE')).toEqual(['SELECT IIF ( n > 0 , 1 , 0 ) FROM t WHERE at < CURRENT_TIMESTAMP']);
  });

  it('refuses loudly what it would otherwise run with another meaning', () => {
    for (const statement of [
      'DELETE FROM t WHERE at < NOW() - INTERVAL 180 DAY',
      'CREATE TABLE t (id INT, at TIMESTAMP DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP)',
      'ALTER TABLE t MODIFY a INT',
      'CREATE TABLE t (a INT) PARTITION BY HASH(a)',
    ]) {
      expect(() => translateMySqlToSqlite(statement)).toThrow(expect.objectContaining({ code: 'ER_NOT_SUPPORTED_YET', errno: 1235 }));
    }
  });

  it('reports SQLite failures with MySQL codes', async () => {
    const engine = await EmbeddedSqlEngine.open(undefined);
    await engine.executeDDL('CREATE TABLE t (id BIGINT PRIMARY KEY AUTO_INCREMENT, k VARCHAR(10) NOT NULL, UNIQUE KEY uq_k (k))');
    await engine.execute('INSERT INTO t (k) VALUES (?)', ['a']);
    await expect(engine.execute('INSERT INTO t (k) VALUES (?)', ['a'])).rejects.toMatchObject({ code: 'ER_DUP_ENTRY', errno: 1062, sqlState: '23000' });
    await expect(engine.execute('INSERT INTO t (k) VALUES (?)', [null])).rejects.toMatchObject({ code: 'ER_BAD_NULL_ERROR', errno: 1048 });
    await expect(engine.execute('SELECT nope FROM t', [])).rejects.toMatchObject({ code: 'ER_BAD_FIELD_ERROR' });
    await expect(engine.execute('SELEC 1', [])).rejects.toMatchObject({ code: 'ER_PARSE_ERROR', errno: 1064 });
    await expect(engine.execute('SELECT * FROM t WHERE k = ?', [])).rejects.toMatchObject({ code: 'ER_WRONG_ARGUMENTS' });
    await expect(engine.execute('SELECT * FROM t WHERE k = ?', [{ not: 'scalar' } as never])).rejects.toMatchObject({ code: 'ER_WRONG_ARGUMENTS', message: expect.stringMatching(/params\[0\]/) });
    expect(await engine.execute('SELECT k, TRUE AS yes FROM t WHERE k = ?', ['a'])).toEqual({ rows: [{ k: 'a', yes: 1 }] });
    await engine.close();
  });
});
