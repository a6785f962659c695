/**
 * Derives the project's own pruned copies of Atlassian's Jira OpenAPI descriptions.
 *
 *   npx tsx scripts/prune-openapi.ts           write sandbox/contract/openapi/*
 *   npx tsx scripts/prune-openapi.ts --check   re-derive in memory; exit 1 if the committed copies differ
 *
 * The sources are Atlassian's published descriptions in ../shared/jira-openapi (override with
 * --from <dir>). The pruned copies keep only the operations in CONTRACT_OPERATIONS, with their
 * parameters, request bodies, responses, scopes and every component schema they reach; prose and
 * examples are dropped and keys are sorted so that re-running gives the same bytes.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export type ContractApi = 'platform' | 'software';

/**
 * Every Jira REST operation the app (and so the local Jira) may use, as "METHOD /path/template".
 * This is the one list to edit; then re-run the script.
 */
export const CONTRACT_OPERATIONS: Readonly<Record<ContractApi, readonly string[]>> = {
  platform: [
    'GET /rest/api/3/issue/{issueIdOrKey}',
    'PUT /rest/api/3/issue/{issueIdOrKey}',
    'POST /rest/api/3/issue',
    'GET /rest/api/3/issue/{issueIdOrKey}/transitions',
    'POST /rest/api/3/issue/{issueIdOrKey}/transitions',
    'GET /rest/api/3/issue/{issueIdOrKey}/changelog',
    'POST /rest/api/3/issue/{issueIdOrKey}/changelog/list',
    'POST /rest/api/3/changelog/bulkfetch',
    'GET /rest/api/3/issue/{issueIdOrKey}/properties',
    'GET /rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}',
    'PUT /rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}',
    'DELETE /rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}',
    'GET /rest/api/3/project/{projectIdOrKey}/properties/{propertyKey}',
    'PUT /rest/api/3/project/{projectIdOrKey}/properties/{propertyKey}',
    'DELETE /rest/api/3/project/{projectIdOrKey}/properties/{propertyKey}',
    'GET /rest/api/3/project/{projectIdOrKey}',
    'GET /rest/api/3/project/{projectIdOrKey}/role',
    'GET /rest/api/3/project/{projectIdOrKey}/role/{id}',
    'GET /rest/api/3/project/{projectIdOrKey}/statuses',
    'GET /rest/api/3/user',
    'GET /rest/api/3/user/bulk',
    'GET /rest/api/3/user/groups',
    'GET /rest/api/3/user/search',
    'GET /rest/api/3/groups/picker',
    'GET /rest/api/3/group/member',
    'GET /rest/api/3/mypermissions',
    'POST /rest/api/3/permissions/check',
    'GET /rest/api/3/field',
    'GET /rest/api/3/myself',
    'GET /rest/api/3/search/jql',
    'POST /rest/api/3/search/jql',
    'GET /rest/api/3/status',
    'GET /rest/api/3/statuses',
    'GET /rest/api/3/priority',
    'GET /rest/api/3/priority/search',
  ],
  software: [
    'PUT /rest/agile/1.0/issue/rank',
    'GET /rest/agile/1.0/issue/{issueIdOrKey}',
    'GET /rest/agile/1.0/board',
    'GET /rest/agile/1.0/board/{boardId}/configuration',
    'GET /rest/agile/1.0/board/{boardId}/sprint',
    'GET /rest/agile/1.0/board/{boardId}/backlog',
    'GET /rest/agile/1.0/board/{boardId}/issue',
    'GET /rest/agile/1.0/sprint/{sprintId}',
    'POST /rest/agile/1.0/sprint/{sprintId}',
    'GET /rest/agile/1.0/sprint/{sprintId}/issue',
    'POST /rest/agile/1.0/sprint/{sprintId}/issue',
    'POST /rest/agile/1.0/backlog/issue',
  ],
};

export const SOURCE_FILES: Readonly<Record<ContractApi, string>> = {
  platform: 'jira-platform-v3.json',
  software: 'jira-software.json',
};

export const PRUNED_FILES: Readonly<Record<ContractApi, string>> = {
  platform: 'jira-platform.pruned.json',
  software: 'jira-software.pruned.json',
};

export const NOTICE_FILE = 'NOTICE.md';

/** Where the committed copies live, relative to the repository root. */
export const PRUNED_DIR = path.join('sandbox', 'contract', 'openapi');


/** The parts of a source description this script relies on; anything else fails loudly. */
const sourceDescriptionSchema = z.object({
  openapi: z.string().regex(/^3\.0\./, 'an OpenAPI 3.0.x description'),
  info: z.object({
    title: z.string(),
    version: z.string(),
    license: z.object({ name: z.string(), url: z.string().optional() }),
  }),
  servers: z.array(z.object({ url: z.string() })).optional(),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  components: z.object({
    schemas: z.record(z.string(), z.unknown()),
    securitySchemes: z.record(z.string(), z.unknown()).optional(),
  }),
});
type SourceDescription = z.infer<typeof sourceDescriptionSchema>;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const SCHEMA_REF_PREFIX = '#/components/schemas/';

/** Keywords that only carry prose or examples; never needed to check a request or a response. */
const PROSE_KEYS = new Set(['description', 'summary', 'title', 'example', 'examples', 'externalDocs', 'xml', 'tags']);

/**
 * Strips prose from a schema, walking only schema positions so that a property that happens to be
 * called "description" or "title" is kept. Collects the component schemas it references.
 */
function pruneSchema(schema: unknown, where: string, refs: Set<string>): Json {
  if (typeof schema === 'boolean') return schema;
  if (!isObject(schema)) throw new Error(`${where}: expected a schema object`);
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (PROSE_KEYS.has(key) || key.startsWith('x-')) continue;
    switch (key) {
      case '$ref': {
        if (typeof value !== 'string' || !value.startsWith(SCHEMA_REF_PREFIX)) {
          throw new Error(`${where}: only local component schema references are supported, got ${JSON.stringify(value)}`);
        }
        refs.add(value.slice(SCHEMA_REF_PREFIX.length));
        out[key] = value;
        break;
      }
      case 'properties': {
        if (!isObject(value)) throw new Error(`${where}.properties: expected an object`);
        const properties: JsonObject = {};
        for (const [name, propertySchema] of Object.entries(value)) {
          properties[name] = pruneSchema(propertySchema, `${where}.properties.${name}`, refs);
        }
        out[key] = properties;
        break;
      }
      case 'items':
      case 'additionalProperties':
      case 'not':
        out[key] = typeof value === 'boolean' ? value : pruneSchema(value, `${where}.${key}`, refs);
        break;
      case 'allOf':
      case 'anyOf':
      case 'oneOf': {
        if (!Array.isArray(value)) throw new Error(`${where}.${key}: expected an array`);
        out[key] = value.map((member, index) => pruneSchema(member, `${where}.${key}[${index}]`, refs));
        break;
      }
      case 'discriminator': {
        if (!isObject(value)) throw new Error(`${where}.discriminator: expected an object`);
        const mapping = value['mapping'];
        if (isObject(mapping)) {
          for (const target of Object.values(mapping)) {
            if (typeof target === 'string' && target.startsWith(SCHEMA_REF_PREFIX)) refs.add(target.slice(SCHEMA_REF_PREFIX.length));
          }
        }
        out[key] = value;
        break;
      }
      default:
        out[key] = value;
    }
  }
  return out;
}

function pruneContent(content: unknown, where: string, refs: Set<string>): JsonObject {
  if (!isObject(content)) throw new Error(`${where}: expected a content map`);
  const out: JsonObject = {};
  for (const [mediaType, media] of Object.entries(content)) {
    if (!isObject(media)) throw new Error(`${where}.${mediaType}: expected a media type object`);
    // A media type declared with an example only still tells us the status has a body.
    out[mediaType] = media['schema'] === undefined ? {} : { schema: pruneSchema(media['schema'], `${where}.${mediaType}.schema`, refs) };
  }
  return out;
}

const PARAMETER_KEYS = ['name', 'in', 'required', 'schema', 'style', 'explode', 'allowReserved', 'allowEmptyValue', 'deprecated'] as const;

function pruneParameter(parameter: unknown, where: string, refs: Set<string>): JsonObject {
  if (!isObject(parameter) || typeof parameter['name'] !== 'string' || typeof parameter['in'] !== 'string') {
    throw new Error(`${where}: expected an inline parameter with a name and an "in"`);
  }
  if (parameter['content'] !== undefined) throw new Error(`${where}: parameters described by "content" are not supported`);
  const out: JsonObject = {};
  for (const key of PARAMETER_KEYS) {
    const value = parameter[key];
    if (value === undefined) continue;
    out[key] = key === 'schema' ? pruneSchema(value, `${where}.schema`, refs) : value;
  }
  return out;
}

function pruneOperation(pathItem: JsonObject, method: string, where: string, refs: Set<string>): JsonObject {
  const operation = pathItem[method];
  if (!isObject(operation)) throw new Error(`${where}: not in the source description`);
  const out: JsonObject = {};
  if (typeof operation['operationId'] === 'string') out['operationId'] = operation['operationId'];
  if (operation['deprecated'] === true) out['deprecated'] = true;

  // Path-level parameters apply to every operation; an operation's own parameter of the same
  // name and location overrides them. Merged here so each pruned operation stands alone.
  const merged = new Map<string, unknown>();
  for (const list of [pathItem['parameters'], operation['parameters']]) {
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw new Error(`${where}.parameters: expected an array`);
    for (const parameter of list) {
      if (isObject(parameter)) merged.set(`${String(parameter['in'])}:${String(parameter['name'])}`, parameter);
    }
  }
  if (merged.size > 0) {
    out['parameters'] = [...merged.values()].map((parameter, index) => pruneParameter(parameter, `${where}.parameters[${index}]`, refs));
  }

  const requestBody = operation['requestBody'];
  if (requestBody !== undefined) {
    if (!isObject(requestBody)) throw new Error(`${where}.requestBody: expected an object`);
    out['requestBody'] = {
      ...(requestBody['required'] === true ? { required: true } : {}),
      content: pruneContent(requestBody['content'], `${where}.requestBody.content`, refs),
    };
  }

  const responses = operation['responses'];
  if (!isObject(responses)) throw new Error(`${where}.responses: expected an object`);
  const prunedResponses: JsonObject = {};
  for (const [status, response] of Object.entries(responses)) {
    if (!isObject(response)) throw new Error(`${where}.responses.${status}: expected an object`);
    prunedResponses[status] = response['content'] === undefined ? {} : { content: pruneContent(response['content'], `${where}.responses.${status}.content`, refs) };
  }
  out['responses'] = prunedResponses;

  if (operation['security'] !== undefined) out['security'] = operation['security'];
  if (operation['x-atlassian-oauth2-scopes'] !== undefined) {
    out['x-atlassian-oauth2-scopes'] = operation['x-atlassian-oauth2-scopes'];
  }
  return out;
}

/** Names the OAuth2 scopes the kept operations use, so the security scheme lists only those. */
function collectScopes(paths: JsonObject): Set<string> {
  const scopes = new Set<string>();
  for (const pathItem of Object.values(paths)) {
    if (!isObject(pathItem)) continue;
    for (const operation of Object.values(pathItem)) {
      if (!isObject(operation)) continue;
      const security = operation['security'];
      if (Array.isArray(security)) {
        for (const requirement of security) {
          if (!isObject(requirement)) continue;
          for (const list of Object.values(requirement)) if (Array.isArray(list)) list.forEach((scope) => typeof scope === 'string' && scopes.add(scope));
        }
      }
    }
  }
  return scopes;
}

function pruneSecuritySchemes(schemes: Record<string, unknown> | undefined, usedScopes: Set<string>): JsonObject {
  const out: JsonObject = {};
  for (const [name, scheme] of Object.entries(schemes ?? {})) {
    if (!isObject(scheme)) continue;
    const kept: JsonObject = {};
    for (const [key, value] of Object.entries(scheme)) {
      if (key === 'description') continue;
      if (key === 'flows' && isObject(value)) {
        const flows: JsonObject = {};
        for (const [flowName, flow] of Object.entries(value)) {
          if (!isObject(flow)) continue;
          const { scopes, ...rest } = flow;
          // Scope descriptions are prose; the names are what a check needs.
          const keptScopes: JsonObject = {};
          if (isObject(scopes)) for (const scope of Object.keys(scopes)) if (usedScopes.has(scope)) keptScopes[scope] = '';
          flows[flowName] = { ...rest, scopes: keptScopes };
        }
        kept[key] = flows;
      } else {
        kept[key] = value;
      }
    }
    out[name] = kept;
  }
  return out;
}

/** Recursively sorts object keys so the output does not depend on the source's key order. */
function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys(value[key] as Json);
  return out;
}

export function parseOperationKey(entry: string): { method: string; pathTemplate: string } {
  const match = /^(GET|PUT|POST|DELETE|PATCH) (\/\S+)$/.exec(entry);
  if (!match) throw new Error(`CONTRACT_OPERATIONS entry ${JSON.stringify(entry)}: expected "METHOD /path"`);
  return { method: (match[1] as string).toLowerCase(), pathTemplate: match[2] as string };
}

export function pruneDescription(source: SourceDescription, operations: readonly string[]): JsonObject {
  const refs = new Set<string>();
  const paths: JsonObject = {};
  for (const entry of operations) {
    const { method, pathTemplate } = parseOperationKey(entry);
    const pathItem = source.paths[pathTemplate];
    if (!pathItem) throw new Error(`${entry}: path not in Atlassian's description`);
    const prunedItem = (paths[pathTemplate] ??= {}) as JsonObject;
    prunedItem[method] = pruneOperation(pathItem as JsonObject, method, entry, refs);
  }

  // Follow component references transitively.
  const schemas: JsonObject = {};
  const pending = [...refs];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (name in schemas) continue;
    const schema = source.components.schemas[name];
    if (schema === undefined) throw new Error(`component schema ${name} is referenced but not defined`);
    const found = new Set<string>();
    schemas[name] = pruneSchema(schema, `components.schemas.${name}`, found);
    for (const next of found) if (!(next in schemas)) pending.push(next);
  }

  const pruned: JsonObject = {
    openapi: source.openapi,
    info: {
      title: source.info.title,
      version: source.info.version,
      license: { name: source.info.license.name, ...(source.info.license.url ? { url: source.info.license.url } : {}) },
    },
    ...(source.servers ? { servers: source.servers } : {}),
    paths,
    components: {
      schemas,
      securitySchemes: pruneSecuritySchemes(source.components.securitySchemes, collectScopes(paths)),
    },
  };
  return sortKeys(pruned) as JsonObject;
}

export interface DerivedFiles {
  /** File name (inside PRUNED_DIR) to its exact bytes. */
  files: Record<string, string>;
}

function readSource(sourceDir: string, api: ContractApi): { text: string; description: SourceDescription } {
  const file = path.join(sourceDir, SOURCE_FILES[api]);
  const text = readFileSync(file, 'utf8');
  const parsed = sourceDescriptionSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'not an OpenAPI description'}`);
  }
  return { text, description: parsed.data };
}

/** Re-derives every file of PRUNED_DIR from the source descriptions, in memory. */
export function derivePrunedFiles(sourceDir: string): DerivedFiles {
  const files: Record<string, string> = {};
  const provenance: string[] = [];
  for (const api of ['platform', 'software'] as const) {
    const { text, description } = readSource(sourceDir, api);
    const pruned = pruneDescription(description, CONTRACT_OPERATIONS[api]);
    files[PRUNED_FILES[api]] = `${JSON.stringify(pruned, null, 2)}\n`;
    const sha256 = createHash('sha256').update(text).digest('hex');
    provenance.push(
      `| \`${PRUNED_FILES[api]}\` | ${description.info.title} | \`${SOURCE_FILES[api]}\` | \`${description.info.version}\` | ${CONTRACT_OPERATIONS[api].length} | \`${sha256}\` |`,
    );
  }
  files[NOTICE_FILE] = [
    '# Pruned Jira Cloud REST API descriptions',
    '',
    "These files are derived from Atlassian's published OpenAPI descriptions of the Jira Cloud REST",
    'APIs. They keep only the operations this app uses (paths, parameters, request bodies, responses,',
    'OAuth 2.0 scopes) and the component schemas those operations reference; descriptions, summaries',
    'and examples are removed and keys are sorted.',
    '',
    '| file | API | source file | source `info.version` | operations | source sha256 |',
    '|---|---|---|---|---|---|',
    ...provenance,
    '',
    '## Licence',
    '',
    'The source descriptions are published by Atlassian under the Apache License, Version 2.0',
    '(<http://www.apache.org/licenses/LICENSE-2.0>); these derived copies are distributed under the',
    'same licence. The modification made is the pruning described above.',
    '',
    '## Regenerating',
    '',
    'The list of operations is `CONTRACT_OPERATIONS` in `scripts/prune-openapi.ts`. With Atlassian\'s',
    'descriptions in `../shared/jira-openapi/` (or another folder given with `--from <dir>`):',
    '',
    '```sh',
    'npx tsx scripts/prune-openapi.ts          # rewrite the files in this folder',
    'npx tsx scripts/prune-openapi.ts --check  # exit 1 if they differ from a fresh derivation',
    '```',
    '',
  ].join('\n');
  return { files };
}

export function defaultSourceDir(repoRoot: string): string {
  return path.resolve(repoRoot, '..', 'shared', 'jira-openapi');
}

function main(argv: string[]): number {
  const repoRoot = path.resolve(__dirname, '..');
  const check = argv.includes('--check');
  const fromIndex = argv.indexOf('--from');
  const fromArgument = fromIndex >= 0 ? argv[fromIndex + 1] : undefined;
  if (fromIndex >= 0 && !fromArgument) throw new Error('--from: expected a folder holding jira-platform-v3.json and jira-software.json');
  const sourceDir = fromArgument ? path.resolve(fromArgument) : defaultSourceDir(repoRoot);
  if (!existsSync(sourceDir)) throw new Error(`${sourceDir}: no such folder (give the source descriptions with --from <dir>)`);

  const { files } = derivePrunedFiles(sourceDir);
  const outDir = path.join(repoRoot, PRUNED_DIR);
  if (check) {
    const stale = Object.entries(files)
      .filter(([name, text]) => {
        const file = path.join(outDir, name);
        return !existsSync(file) || readFileSync(file, 'utf8') !== text;
      })
      .map(([name]) => name);
    if (stale.length > 0) {
      process.stderr.write(`out of date in ${PRUNED_DIR}: ${stale.join(', ')} (run npx tsx scripts/prune-openapi.ts)\n`);
      return 1;
    }
    process.stdout.write(`${PRUNED_DIR} matches ${sourceDir}\n`);
    return 0;
  }
  mkdirSync(outDir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(outDir, name), text);
  process.stdout.write(`wrote ${Object.keys(files).map((name) => path.join(PRUNED_DIR, name)).join(', ')}\n`);
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`prune-openapi: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}
