/**
 * The Jira REST contract: every request the app makes to Jira, and every response the local Jira
 * gives, held to Atlassian's OpenAPI descriptions (the pruned copies in ./openapi, made by
 * scripts/prune-openapi.ts). Nothing here reads ../shared at run time.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { z } from 'zod';
import { convertSchema, type Direction } from './schema';

export type JiraApi = 'platform' | 'software';

export interface MatchedOperation {
  api: JiraApi;
  /** Upper case, e.g. "GET". */
  method: string;
  pathTemplate: string;
  operationId: string;
  pathParams: Record<string, string>;
  /** OAuth 2.0 scopes Atlassian lists for the operation: classic ("read:jira-work") and granular ("read:issue:jira"). */
  scopes: { classic: string[]; granular: string[] };
}

export interface ContractProblem {
  /** e.g. "query.maxResults", "body.fields.summary", "response 200 body.values[0].id". */
  where: string;
  message: string;
}

export class ContractViolation extends Error {
  readonly problems: ContractProblem[];
  readonly operation?: string;

  constructor(problems: ContractProblem[], operation?: string, request?: string) {
    const subject = [request, operation && `(${operation})`].filter(Boolean).join(' ');
    super(`${subject ? `${subject}: ` : ''}${problems.map((problem) => `${problem.where}: ${problem.message}`).join('; ')}`);
    this.name = 'ContractViolation';
    this.problems = problems;
    if (operation !== undefined) this.operation = operation;
  }
}

export interface ContractRequest {
  method: string;
  /** The path with its query string, as given to requestJira (an absolute URL is accepted too). */
  path: string;
  /** The parsed JSON body; undefined when there is none. */
  body?: unknown;
}

export interface JiraContract {
  match(method: string, pathWithQuery: string): MatchedOperation | null;
  checkRequest(req: ContractRequest): { operation: MatchedOperation | null; problems: ContractProblem[] };
  checkResponse(operation: MatchedOperation, status: number, body: unknown): ContractProblem[];
  /** Throws ContractViolation when the request does not match; returns the operation it matched. */
  assertRequest(req: ContractRequest): MatchedOperation;
  /** Throws ContractViolation when the response does not match its operation. */
  assertResponse(operation: MatchedOperation, status: number, body: unknown): void;
}

/**
 * Statuses Jira may give on any operation whether or not its description lists them: rate
 * limiting (429) and server-side failures (5xx). Their bodies are not checked.
 */
export const STATUSES_ANY_OPERATION_MAY_RETURN: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

export const PRUNED_DESCRIPTION_FILES: Readonly<Record<JiraApi, string>> = {
  platform: path.join(__dirname, 'openapi', 'jira-platform.pruned.json'),
  software: path.join(__dirname, 'openapi', 'jira-software.pruned.json'),
};

// ---------------------------------------------------------------------------------------------
// The shape of a pruned description (what the checker relies on).

const parameterSchema = z.object({
  name: z.string(),
  in: z.enum(['path', 'query', 'header', 'cookie']),
  required: z.boolean().optional(),
  schema: z.unknown().optional(),
  style: z.string().optional(),
  explode: z.boolean().optional(),
});
const contentSchema = z.record(z.string(), z.object({ schema: z.unknown().optional() }));
const operationSchema = z.object({
  operationId: z.string(),
  parameters: z.array(parameterSchema).optional(),
  requestBody: z.object({ required: z.boolean().optional(), content: contentSchema }).optional(),
  responses: z.record(z.string(), z.object({ content: contentSchema.optional() })),
  security: z.array(z.record(z.string(), z.array(z.string()))).optional(),
  'x-atlassian-oauth2-scopes': z.array(z.object({ scopes: z.array(z.string()), state: z.string().optional() })).optional(),
});
const descriptionSchema = z.object({
  paths: z.record(z.string(), z.record(z.string(), operationSchema)),
  components: z.object({ schemas: z.record(z.string(), z.unknown()) }),
});
type OperationDescription = z.infer<typeof operationSchema>;
type ParameterDescription = z.infer<typeof parameterSchema>;

function readDescription(api: JiraApi): z.infer<typeof descriptionSchema> {
  const file = PRUNED_DESCRIPTION_FILES[api];
  const parsed = descriptionSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'not a pruned description'} (re-run scripts/prune-openapi.ts)`);
  }
  return parsed.data;
}

// ---------------------------------------------------------------------------------------------
// ajv with the formats Atlassian uses.

/** ISO 8601 date-time; Jira writes offsets without a colon ("+0000"), which strict RFC 3339 refuses. */
const JIRA_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

function createAjv(): Ajv {
  // ownProperties: a property an object does not have is absent, even when Object.prototype has one of
  // that name (a changelog item without `toString` is not one whose `toString` is a function).
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: false, validateFormats: true, unicodeRegExp: true, ownProperties: true });
  addFormats(ajv);
  ajv.addFormat('date-time', { type: 'string', validate: (value: string) => JIRA_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))) });
  // The Software description spells it in capitals once.
  ajv.addFormat('URL', { type: 'string', validate: (value: string) => /^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(value) });
  return ajv;
}

// ---------------------------------------------------------------------------------------------
// Path matching.

interface CompiledOperation {
  api: JiraApi;
  method: string;
  pathTemplate: string;
  regex: RegExp;
  paramNames: string[];
  literalSegments: number;
  description: OperationDescription;
  scopes: { classic: string[]; granular: string[] };
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compileTemplate(pathTemplate: string): { regex: RegExp; paramNames: string[]; literalSegments: number } {
  const paramNames: string[] = [];
  let literalSegments = 0;
  const pattern = pathTemplate
    .split('/')
    .map((segment) => {
      if (!segment.includes('{')) {
        if (segment) literalSegments += 1;
        return escapeRegex(segment);
      }
      return segment
        .split(/(\{[^}]+\})/)
        .map((part) => {
          const name = /^\{([^}]+)\}$/.exec(part)?.[1];
          if (name === undefined) return escapeRegex(part);
          paramNames.push(name);
          return '([^/]+)';
        })
        .join('');
    })
    .join('/');
  return { regex: new RegExp(`^${pattern}$`), paramNames, literalSegments };
}

/** Classic scopes have one colon ("read:jira-work"); granular ones name a resource too ("read:issue:jira"). */
function scopesOf(operation: OperationDescription): { classic: string[]; granular: string[] } {
  const all = new Set<string>();
  for (const entry of operation['x-atlassian-oauth2-scopes'] ?? []) entry.scopes.forEach((scope) => all.add(scope));
  for (const requirement of operation.security ?? []) (requirement['OAuth2'] ?? []).forEach((scope) => all.add(scope));
  const sorted = [...all].sort();
  return {
    classic: sorted.filter((scope) => scope.split(':').length === 2),
    granular: sorted.filter((scope) => scope.split(':').length > 2),
  };
}

function splitPathAndQuery(pathWithQuery: string): { pathname: string; query: URLSearchParams } {
  // An absolute URL: keep only the path and query (the site's origin is not part of the contract).
  const withoutOrigin = pathWithQuery.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  const hashless = withoutOrigin.split('#')[0] ?? '';
  const queryStart = hashless.indexOf('?');
  const pathname = queryStart >= 0 ? hashless.slice(0, queryStart) : hashless;
  const query = new URLSearchParams(queryStart >= 0 ? hashless.slice(queryStart + 1) : '');
  return { pathname, query };
}

// ---------------------------------------------------------------------------------------------
// Error reporting.

/** "/values/0/id" -> ".values[0].id" */
function pointerToPath(pointer: string): string {
  if (!pointer) return '';
  return pointer
    .split('/')
    .slice(1)
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((token) => (/^\d+$/.test(token) ? `[${token}]` : /^[A-Za-z_$][\w$]*$/.test(token) ? `.${token}` : `[${JSON.stringify(token)}]`))
    .join('');
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isInteger(value)) return 'integer';
  return typeof value;
}

function describeErrors(prefix: string, errors: ErrorObject[] | null | undefined): ContractProblem[] {
  const problems: ContractProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors ?? []) {
    let where = `${prefix}${pointerToPath(error.instancePath)}`;
    let message: string;
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
      case 'required':
        where += pointerToPath(`/${String(params['missingProperty'])}`);
        message = "is required by Atlassian's description";
        break;
      case 'additionalProperties':
        where += pointerToPath(`/${String(params['additionalProperty'])}`);
        message = "is not a property in Atlassian's description";
        break;
      case 'type': {
        // Nulls allowed by the response reading are not worth naming in every message.
        const expected = String(params['type']).split(',').filter((type) => type !== 'null');
        message = `must be ${expected.join(' or ')}, got ${jsonTypeOf(error.data)}`;
        break;
      }
      case 'enum':
        message = `must be one of ${JSON.stringify(params['allowedValues'])}`;
        break;
      default:
        message = error.message ?? error.keyword;
    }
    const key = `${where}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ where, message });
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Parameters arrive as strings; read them as the schema's type before checking.

type Coerced = { ok: true; value: unknown } | { ok: false; message: string };

function schemaType(schema: unknown): string | undefined {
  if (typeof schema !== 'object' || schema === null) return undefined;
  const type = (schema as Record<string, unknown>)['type'];
  return typeof type === 'string' ? type : undefined;
}

function coerceScalar(raw: string, schema: unknown): Coerced {
  switch (schemaType(schema)) {
    case 'integer':
      return /^-?\d+$/.test(raw) ? { ok: true, value: Number(raw) } : { ok: false, message: `must be an integer, got ${JSON.stringify(raw)}` };
    case 'number':
      return raw.trim() !== '' && Number.isFinite(Number(raw)) ? { ok: true, value: Number(raw) } : { ok: false, message: `must be a number, got ${JSON.stringify(raw)}` };
    case 'boolean':
      return raw === 'true' || raw === 'false' ? { ok: true, value: raw === 'true' } : { ok: false, message: `must be true or false, got ${JSON.stringify(raw)}` };
    case 'object':
      // The Software description types some plain query strings (board "type", sprint "state")
      // as objects; Jira reads them as text, so text is all that can be checked.
      return { ok: true, value: undefined };
    default:
      return { ok: true, value: raw };
  }
}

// ---------------------------------------------------------------------------------------------

class Contract implements JiraContract {
  private readonly operations: CompiledOperation[] = [];
  private readonly ajv = createAjv();
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly components: Record<JiraApi, Record<string, unknown>>;

  constructor() {
    const platform = readDescription('platform');
    const software = readDescription('software');
    this.components = { platform: platform.components.schemas, software: software.components.schemas };
    for (const [api, description] of [['platform', platform], ['software', software]] as const) {
      for (const direction of ['request', 'response'] as const) {
        const definitions: Record<string, unknown> = {};
        for (const [name, schema] of Object.entries(description.components.schemas)) {
          definitions[name] = convertSchema(schema, this.conversion(api, direction));
        }
        // Registered, not compiled: ajv compiles a definition only when an operation reaches it.
        this.ajv.addSchema({ $id: this.componentsId(api, direction), definitions });
      }
      for (const [pathTemplate, pathItem] of Object.entries(description.paths)) {
        for (const [method, operation] of Object.entries(pathItem)) {
          this.operations.push({
            api,
            method: method.toUpperCase(),
            pathTemplate,
            ...compileTemplate(pathTemplate),
            description: operation,
            scopes: scopesOf(operation),
          });
        }
      }
    }
    // A concrete path wins over a templated one ("/issue/rank" before "/issue/{issueIdOrKey}").
    this.operations.sort((a, b) => b.literalSegments - a.literalSegments);
  }

  private componentsId(api: JiraApi, direction: Direction): string {
    return `https://contract.scrum-role-guard.invalid/${api}/${direction}.json`;
  }

  private conversion(api: JiraApi, direction: Direction) {
    return {
      direction,
      components: this.components[api],
      refFor: (name: string) => `${this.componentsId(api, direction)}#/definitions/${name}`,
    };
  }

  private validator(key: string, api: JiraApi, direction: Direction, schema: unknown): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(convertSchema(schema, this.conversion(api, direction)) as object);
      this.validators.set(key, validate);
    }
    return validate;
  }

  private find(method: string, pathname: string): { operation: CompiledOperation; values: string[] } | { methodsForPath: string[] } | null {
    const upper = method.toUpperCase();
    const methodsForPath: string[] = [];
    let templateMatched: string | undefined;
    for (const operation of this.operations) {
      const match = operation.regex.exec(pathname);
      if (!match) continue;
      // Only a same-template sibling counts as "another method for this path".
      if (templateMatched !== undefined && operation.pathTemplate !== templateMatched) continue;
      if (operation.method === upper) return { operation, values: match.slice(1) };
      templateMatched ??= operation.pathTemplate;
      methodsForPath.push(operation.method);
    }
    return methodsForPath.length > 0 ? { methodsForPath } : null;
  }

  private toMatched(operation: CompiledOperation, values: string[]): MatchedOperation {
    const pathParams: Record<string, string> = {};
    operation.paramNames.forEach((name, index) => {
      const raw = values[index] ?? '';
      let decoded = raw;
      try {
        decoded = decodeURIComponent(raw);
      } catch {
        // Left as sent; the parameter check reports what is wrong with it.
      }
      pathParams[name] = decoded;
    });
    return {
      api: operation.api,
      method: operation.method,
      pathTemplate: operation.pathTemplate,
      operationId: operation.description.operationId,
      pathParams,
      scopes: { classic: [...operation.scopes.classic], granular: [...operation.scopes.granular] },
    };
  }

  match(method: string, pathWithQuery: string): MatchedOperation | null {
    const found = this.find(method, splitPathAndQuery(pathWithQuery).pathname);
    return found && 'operation' in found ? this.toMatched(found.operation, found.values) : null;
  }

  private compiledFor(matched: MatchedOperation): CompiledOperation {
    const operation = this.operations.find((candidate) => candidate.api === matched.api && candidate.method === matched.method && candidate.pathTemplate === matched.pathTemplate);
    if (!operation) throw new Error(`${matched.method} ${matched.pathTemplate}: not an operation of this contract`);
    return operation;
  }

  private checkParameter(operation: CompiledOperation, parameter: ParameterDescription, rawValues: string[], where: string): ContractProblem[] {
    const schema = parameter.schema ?? {};
    const key = `${operation.api} ${operation.method} ${operation.pathTemplate} ${parameter.in}.${parameter.name}`;
    let value: unknown;
    if (schemaType(schema) === 'array') {
      const itemSchema = (schema as Record<string, unknown>)['items'];
      // Repeated keys (form, explode) and comma-separated lists are both what Jira accepts.
      const pieces = rawValues.flatMap((raw) => raw.split(','));
      const items: unknown[] = [];
      for (const [index, piece] of pieces.entries()) {
        const coerced = coerceScalar(piece, itemSchema);
        if (!coerced.ok) return [{ where: `${where}[${index}]`, message: coerced.message }];
        if (coerced.value === undefined) return [];
        items.push(coerced.value);
      }
      value = items;
    } else {
      if (rawValues.length > 1) return [{ where, message: `is given ${rawValues.length} times; Atlassian's description takes one value` }];
      const coerced = coerceScalar(rawValues[0] ?? '', schema);
      if (!coerced.ok) return [{ where, message: coerced.message }];
      if (coerced.value === undefined) return [];
      value = coerced.value;
    }
    const validate = this.validator(key, operation.api, 'request', schema);
    return validate(value) ? [] : describeErrors(where, validate.errors);
  }

  checkRequest(req: ContractRequest): { operation: MatchedOperation | null; problems: ContractProblem[] } {
    const { pathname, query } = splitPathAndQuery(req.path);
    const found = this.find(req.method, pathname);
    if (!found) {
      return { operation: null, problems: [{ where: 'path', message: `${req.method.toUpperCase()} ${pathname} is not in Atlassian's description` }] };
    }
    if (!('operation' in found)) {
      return {
        operation: null,
        problems: [{ where: 'method', message: `${req.method.toUpperCase()} ${pathname} is not in Atlassian's description (the path takes ${found.methodsForPath.join(', ')})` }],
      };
    }
    const operation = found.operation;
    const matched = this.toMatched(operation, found.values);
    const problems: ContractProblem[] = [];
    const parameters = operation.description.parameters ?? [];

    for (const parameter of parameters.filter((candidate) => candidate.in === 'path')) {
      const value = matched.pathParams[parameter.name];
      if (value === undefined || value === '') {
        problems.push({ where: `path.${parameter.name}`, message: 'is required and missing' });
        continue;
      }
      problems.push(...this.checkParameter(operation, parameter, [value], `path.${parameter.name}`));
    }

    const queryParameters = new Map(parameters.filter((candidate) => candidate.in === 'query').map((candidate) => [candidate.name, candidate]));
    for (const name of new Set(query.keys())) {
      const parameter = queryParameters.get(name);
      if (!parameter) {
        problems.push({ where: `query.${name}`, message: `is not a parameter of ${matched.operationId} in Atlassian's description` });
        continue;
      }
      problems.push(...this.checkParameter(operation, parameter, query.getAll(name), `query.${name}`));
    }
    for (const parameter of queryParameters.values()) {
      if (parameter.required && !query.has(parameter.name)) problems.push({ where: `query.${parameter.name}`, message: 'is required and missing' });
    }

    const requestBody = operation.description.requestBody;
    if (req.body === undefined) {
      if (requestBody?.required) problems.push({ where: 'body', message: `is required by ${matched.operationId}` });
    } else if (!requestBody) {
      problems.push({ where: 'body', message: `${matched.operationId} takes no request body` });
    } else {
      const json = requestBody.content['application/json'];
      if (!json) {
        problems.push({ where: 'body', message: `${matched.operationId} does not take JSON (takes ${Object.keys(requestBody.content).join(', ')})` });
      } else if (json.schema !== undefined) {
        const validate = this.validator(`${operation.api} ${operation.method} ${operation.pathTemplate} request`, operation.api, 'request', json.schema);
        if (!validate(req.body)) problems.push(...describeErrors('body', validate.errors));
      }
    }
    return { operation: matched, problems };
  }

  checkResponse(matched: MatchedOperation, status: number, body: unknown): ContractProblem[] {
    const operation = this.compiledFor(matched);
    const responses = operation.description.responses;
    const declared = responses[String(status)] ?? responses[`${String(status).charAt(0)}XX`] ?? responses['default'];
    const where = `response ${status}`;
    if (!declared) {
      if (STATUSES_ANY_OPERATION_MAY_RETURN.has(status)) return [];
      return [{ where, message: `status ${status} is not declared for ${matched.operationId} (declared: ${Object.keys(responses).join(', ')})` }];
    }
    const empty = body === undefined || body === null || body === '';
    if (!declared.content) {
      // Error statuses without a declared body still carry Jira's error collection.
      if (status >= 400 || empty) return [];
      return [{ where: `${where} body`, message: `${matched.operationId} declares no body for status ${status}` }];
    }
    const json = declared.content['application/json'] ?? declared.content['*/*'];
    if (!json || json.schema === undefined) return [];
    if (body === undefined) return [{ where: `${where} body`, message: `is missing; ${matched.operationId} declares a JSON body for status ${status}` }];
    const validate = this.validator(`${operation.api} ${operation.method} ${operation.pathTemplate} response ${status}`, operation.api, 'response', json.schema);
    return validate(body) ? [] : describeErrors(`${where} body`, validate.errors);
  }

  assertRequest(req: ContractRequest): MatchedOperation {
    const { operation, problems } = this.checkRequest(req);
    if (problems.length > 0 || !operation) {
      throw new ContractViolation(problems, operation?.operationId, `${req.method.toUpperCase()} ${req.path}`);
    }
    return operation;
  }

  assertResponse(operation: MatchedOperation, status: number, body: unknown): void {
    const problems = this.checkResponse(operation, status, body);
    if (problems.length > 0) throw new ContractViolation(problems, operation.operationId, `${operation.method} ${operation.pathTemplate} -> ${status}`);
  }
}

let cached: JiraContract | undefined;

/** The contract of the pruned descriptions, loaded once per process. */
export function loadJiraContract(): JiraContract {
  cached ??= new Contract();
  return cached;
}

