/** The route table: which handler answers which operation. */
import { agileRoutes } from './api-agile';
import { platformRoutes } from './api-platform';
import type { Answer } from './http';
import type { Person } from './model';
import type { JiraSite } from './site';

export interface RouteContext {
  site: JiraSite;
  /** The account making the request (the app's own account for asApp requests). */
  actor: Person;
  method: string;
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  body: unknown;
}

export type Handler = (ctx: RouteContext) => Answer | Promise<Answer>;

export interface RouteDefinition {
  method: string;
  /** The OpenAPI path template, e.g. `/rest/api/3/issue/{issueIdOrKey}`. */
  template: string;
  handler: Handler;
}

interface CompiledRoute extends RouteDefinition {
  regex: RegExp;
  names: string[];
}

function compile(route: RouteDefinition): CompiledRoute {
  const names: string[] = [];
  const pattern = route.template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { ...route, regex: new RegExp(`^${pattern}/?$`), names };
}

let compiled: CompiledRoute[] | null = null;

function table(): CompiledRoute[] {
  compiled ??= [...platformRoutes(), ...agileRoutes()].map(compile);
  return compiled;
}

/** Every operation the local Jira implements, as `METHOD template`. */
export function implementedOperations(): string[] {
  return table().map((r) => `${r.method} ${r.template}`);
}

export function matchRoute(method: string, path: string): { handler: Handler; params: Record<string, string>; template: string } | null {
  // Literal segments win over parameters (e.g. `issue/rank` over `issue/{issueIdOrKey}`).
  const candidates = table().filter((r) => r.method === method);
  let best: { route: CompiledRoute; match: RegExpExecArray } | null = null;
  for (const route of candidates) {
    const match = route.regex.exec(path);
    if (match && (!best || route.names.length < best.route.names.length)) best = { route, match };
  }
  if (!best) return null;
  const params: Record<string, string> = {};
  best.route.names.forEach((name, i) => {
    params[name] = decodeURIComponent(best.match[i + 1] as string);
  });
  return { handler: best.route.handler, params, template: best.route.template };
}
