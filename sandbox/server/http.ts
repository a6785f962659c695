/** A small router over node:http: enough for the sandbox's pages and API, nothing more. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface Request {
  readonly method: string;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  readonly headers: IncomingMessage['headers'];
  /** The body parsed as JSON; an HttpError 400 when it is not JSON. */
  json(): Promise<unknown>;
  text(): Promise<string>;
}

export interface Reply {
  readonly status: number;
  /** A list value becomes one header line per item (as Set-Cookie needs). */
  readonly headers?: Record<string, string | string[]>;
  readonly body: string | Buffer;
}

export type Handler = (request: Request) => Promise<Reply> | Reply;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** The sandbox refuses bodies larger than Jira would accept from a settings page. */
const MAX_BODY_BYTES = 5 * 1024 * 1024;

export function json(body: unknown, status = 200): Reply {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
}

export function html(body: string, status = 200): Reply {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8' }, body };
}

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  /** `path` may hold `:name` segments (one path segment each) and a final `*rest`. */
  on(method: string, path: string, handler: Handler): this {
    const names: string[] = [];
    const source = path
      .split('/')
      .map((segment) => {
        if (segment.startsWith(':')) {
          names.push(segment.slice(1));
          return '([^/]+)';
        }
        if (segment.startsWith('*')) {
          names.push(segment.slice(1));
          return '(.*)';
        }
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), names, handler });
    return this;
  }

  async handle(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(incoming.url ?? '/', 'http://localhost');
    let reply: Reply;
    try {
      reply = await this.dispatch(incoming, url);
    } catch (error) {
      if (error instanceof HttpError) reply = json({ error: error.message, ...(error.details === undefined ? {} : { details: error.details }) }, error.status);
      else {
        console.error(error);
        reply = json({ error: error instanceof Error ? error.message : String(error) }, 500);
      }
    }
    response.writeHead(reply.status, { 'cache-control': 'no-store', ...reply.headers });
    response.end(reply.body);
  }

  private async dispatch(incoming: IncomingMessage, url: URL): Promise<Reply> {
    let pathMatched = false;
    for (const route of this.routes) {
      const match = route.pattern.exec(url.pathname);
      if (!match) continue;
      pathMatched = true;
      if (route.method !== incoming.method) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, index) => {
        params[name] = decodeURIComponent(match[index + 1] ?? '');
      });
      return route.handler(requestOf(incoming, url, params));
    }
    if (pathMatched) throw new HttpError(405, `${incoming.method} is not allowed on ${url.pathname}`);
    throw new HttpError(404, `nothing at ${url.pathname}`);
  }
}

function requestOf(incoming: IncomingMessage, url: URL, params: Record<string, string>): Request {
  let body: Promise<string> | undefined;
  const text = (): Promise<string> => {
    body ??= new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      incoming.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          reject(new HttpError(413, `the body is larger than ${MAX_BODY_BYTES} bytes`));
          incoming.destroy();
          return;
        }
        chunks.push(chunk);
      });
      incoming.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      incoming.on('error', reject);
    });
    return body;
  };
  return {
    method: incoming.method ?? 'GET',
    url,
    params,
    headers: incoming.headers,
    text,
    async json() {
      const raw = await text();
      if (raw.trim() === '') throw new HttpError(400, 'expected a JSON body');
      try {
        return JSON.parse(raw) as unknown;
      } catch (error) {
        throw new HttpError(400, `the body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  };
}

/** Escapes text for HTML, so names and notes from people are always shown as text. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
