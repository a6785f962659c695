/**
 * The `scrum-guard` command line. Exit codes: 0 all judged, 1 some line was bad (check), 2 usage,
 * config or access error, 3 Jira could not be reached (audit).
 */
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { parseConfig } from '../core';
import { runAudit } from './audit';
import { fieldsInExport, judgeExport, readExport } from './export';
import { assumedFieldsNotice, Checker, fieldsWithDefaults, formatTable, parseDirectory, type CheckLine, type Directory } from './check';

const CHECK_USAGE = `Usage: scrum-guard check --config <config.json> [--directory <directory.json>] [--format json|table] <events.jsonl | ->
       scrum-guard check --config <config.json> [--directory <directory.json>] [--format json|table] --jira-export <export.json>

Judges Forge event payloads or Jira webhook bodies (one JSON object per line) against a project
config, as the app would; or, with --jira-export, every change in an export of
GET /rest/api/3/search/jql?expand=changelog (one page, an array of pages, or one work item per line).
  --config      the project config (version 1), as stored by the app
  --directory   optional: which groups and project roles each account is in, for configs that name them
                { "<accountId>": { "groups": ["<groupId>"], "projectRoles": ["<roleId>"] } }
  --format      json (default): one JSON object per input line; table: a table for people`;

const AUDIT_USAGE = `Usage: JIRA_EMAIL=<e-mail> JIRA_API_TOKEN=<token> scrum-guard audit --site <https://your-site.atlassian.net> --project <KEY>
         [--days 90] [--config <config.json>] [--format table|json|jsonl] [--app-account <accountId>]

Replays the project's history on a Jira site through the rules, as "Try it first" in the app does,
and reports what would have been flagged or blocked: per rule, per person, per sprint. Only reads.
  --config       the config to try; without it, the one the app publishes for the project
  --days         how far back (1 to 365; default 90)
  --format       table (default), json (one report), jsonl (one line per finding, then the report)
  --app-account  the app's own account id (otherwise found by its name); its changes are left out`;

const USAGE = `${CHECK_USAGE}\n\n${AUDIT_USAGE}`;

export interface Io {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly stderrIsTTY?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

function readJsonFile(path: string, what: string): { ok: true; value: unknown } | { ok: false; error: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { ok: false, error: `cannot read the ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: `the ${what} ${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const fail = (message: string): number => {
    io.stderr.write(`scrum-guard: ${message}\n`);
    return 2;
  };
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h') {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command === 'audit') return audit(rest, io, fail);
  if (command !== 'check') return fail(`expected the command "check" or "audit"\n${USAGE}`);
  let args;
  try {
    args = parseArgs({
      args: [...rest],
      allowPositionals: true,
      options: { config: { type: 'string' }, directory: { type: 'string' }, format: { type: 'string', default: 'json' }, 'jira-export': { type: 'string' } },
    });
  } catch (error) {
    return fail(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  const { values, positionals } = args;
  if (!values.config) return fail(`--config is required\n${CHECK_USAGE}`);
  if (values.format !== 'json' && values.format !== 'table') return fail('--format: expected "json" or "table"');
  const exportPath = values['jira-export'];
  if (exportPath !== undefined ? positionals.length !== 0 : positionals.length !== 1) {
    return fail(`expected one events file, or - for standard input, or --jira-export <file>\n${CHECK_USAGE}`);
  }

  // The config is refused before any event is read.
  const configFile = readJsonFile(values.config, 'config');
  if (!configFile.ok) return fail(configFile.error);
  const config = parseConfig(configFile.value);
  if (!config.ok) return fail(`invalid config ${values.config}:\n${config.errors.map((e) => `  ${e.path}: ${e.message}`).join('\n')}`);
  for (const warning of config.warnings) io.stderr.write(`scrum-guard: warning: ${warning.path}: ${warning.message}\n`);

  let directory: Directory = {};
  if (values.directory) {
    const file = readJsonFile(values.directory, 'directory');
    if (!file.ok) return fail(file.error);
    const parsed = parseDirectory(file.value);
    if (!parsed.ok) return fail(`invalid directory ${values.directory}: ${parsed.error}`);
    directory = parsed.directory;
  }

  if (exportPath !== undefined) {
    let text: string;
    try {
      text = readFileSync(exportPath, 'utf8');
    } catch (error) {
      return fail(`cannot read the export ${exportPath}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    const read = readExport(text);
    if (!read.ok) return fail(`${exportPath} is not a Jira export: ${read.error}`);
    // Field ids: the config's, else the export's own schema (expand=schema), else Jira Cloud's usual ones.
    const fromExport = fieldsInExport(read.issues);
    const { fields, assumed } = fieldsWithDefaults({ ...fromExport, ...config.effective.config.fields });
    const notice = assumedFieldsNotice(fields, assumed, `the config ${values.config}`);
    if (notice) io.stderr.write(`scrum-guard: ${notice}\n`);
    const lines = judgeExport(read.issues, config.effective, fields, directory, (line) => io.stderr.write(`scrum-guard: warning: ${line}\n`));
    if (values.format === 'json') for (const line of lines) io.stdout.write(`${JSON.stringify(line)}\n`);
    else io.stdout.write(`${formatTable(lines)}\n`);
    return 0;
  }

  let source: NodeJS.ReadableStream = io.stdin;
  if (positionals[0] !== '-') {
    const file = createReadStream(positionals[0]!);
    const problem = await new Promise<string | null>((resolve) => {
      file.once('error', (error: NodeJS.ErrnoException) => resolve(`cannot read the events file ${positionals[0]}: ${error.code ?? error.message}`));
      file.once('readable', () => resolve(null));
    });
    if (problem) return fail(problem);
    source = file;
  }

  const { fields, assumed } = fieldsWithDefaults(config.effective.config.fields);
  const notice = assumedFieldsNotice(fields, assumed, `the config ${values.config}`);
  if (notice) io.stderr.write(`scrum-guard: ${notice}\n`);
  const checker = new Checker(config.effective, directory, fields);
  const results: CheckLine[] = [];
  let bad = false;
  let lineNumber = 0;
  for await (const text of createInterface({ input: source, crlfDelay: Infinity })) {
    lineNumber += 1;
    if (text.trim() === '') continue;
    const result = checker.judgeLine(text, lineNumber);
    if ('error' in result) bad = true;
    if (values.format === 'json') io.stdout.write(`${JSON.stringify(result)}\n`);
    else results.push(result);
  }
  if (values.format === 'table') io.stdout.write(`${formatTable(results)}\n`);
  return bad ? 1 : 0;
}

async function audit(argv: readonly string[], io: Io, fail: (message: string) => number): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        site: { type: 'string' },
        project: { type: 'string' },
        days: { type: 'string', default: '90' },
        config: { type: 'string' },
        format: { type: 'string', default: 'table' },
        'app-account': { type: 'string' },
      },
    }).values;
  } catch (error) {
    return fail(`${error instanceof Error ? error.message : String(error)}\n${AUDIT_USAGE}`);
  }
  if (!values.site || !/^https?:\/\/[^/]+/.test(values.site)) return fail(`--site: expected the site's address, such as https://your-site.atlassian.net\n${AUDIT_USAGE}`);
  if (!values.project || !/^[A-Za-z][A-Za-z0-9_]*$/.test(values.project)) return fail(`--project: expected a project key, such as DEMO\n${AUDIT_USAGE}`);
  const days = Number(values.days);
  if (!Number.isInteger(days) || days < 1 || days > 365) return fail('--days: expected a whole number of days from 1 to 365');
  const format = values.format;
  if (format !== 'table' && format !== 'json' && format !== 'jsonl') return fail('--format: expected "table", "json" or "jsonl"');
  const env = io.env ?? process.env;
  const email = env['JIRA_EMAIL'];
  const apiToken = env['JIRA_API_TOKEN'];
  if (!email || !apiToken) return fail(`JIRA_EMAIL and JIRA_API_TOKEN must name your Atlassian account's e-mail address and an API token\n${AUDIT_USAGE}`);
  return runAudit(
    { site: values.site, project: values.project.toUpperCase(), days, configPath: values.config, format, appAccount: values['app-account'], email, apiToken },
    { stdout: io.stdout, stderr: io.stderr, stderrIsTTY: io.stderrIsTTY ?? false, now: () => new Date() },
  );
}

/** Runs the command in this process and sets its exit code. */
export function main(): void {
  run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, stderrIsTTY: process.stderr.isTTY === true, env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`scrum-guard: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
