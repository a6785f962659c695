/**
 * Custom UI frames: each frame gets a token that names its module, the person acting and where it is
 * shown (project, work item). The bundle's index.html is served with the bridge script in front.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { bridgeScript } from './bridge-script';
import { html, HttpError, type Reply } from './http';

export interface FrameContext {
  /** The manifest module shown in the frame, e.g. `scrum-guard-issue-panel`. */
  readonly moduleKey: string;
  /** The Forge module type, e.g. `jira:issueContext`. */
  readonly moduleType: string;
  /** The resource key of the manifest's `resources` entry. */
  readonly resourceKey: string;
  readonly accountId: string;
  readonly projectKey: string | null;
  readonly projectId: string | null;
  readonly issueKey: string | null;
  readonly issueId: string | null;
  readonly colorMode: 'light' | 'dark';
}

export class FrameRegistry {
  private readonly frames = new Map<string, FrameContext>();

  open(context: FrameContext): string {
    const token = randomBytes(16).toString('hex');
    this.frames.set(token, context);
    // A long sandbox session opens many frames; forget the oldest ones.
    if (this.frames.size > 500) this.frames.delete(this.frames.keys().next().value!);
    return token;
  }

  get(token: unknown): FrameContext {
    const context = typeof token === 'string' ? this.frames.get(token) : undefined;
    if (!context) throw new HttpError(403, 'unknown frame token: reload the page');
    return context;
  }
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/** Serves a file of a built resource folder; the folder's index.html gets the bridge script in front. */
export function serveResource(resourceDir: string, relativePath: string, bridge: { token: string; colorMode: 'light' | 'dark' } | null): Reply {
  const root = resolve(resourceDir);
  const target = resolve(root, normalize(relativePath === '' ? 'index.html' : relativePath));
  if (target !== root && !target.startsWith(root + sep)) throw new HttpError(403, 'outside the resource folder');
  if (!existsSync(target) || !statSync(target).isFile()) throw new HttpError(404, `no file ${relativePath} in the resource`);
  const type = CONTENT_TYPES[extname(target)] ?? 'application/octet-stream';
  if (extname(target) === '.html' && bridge) {
    const page = readFileSync(target, 'utf8');
    const script = `<script>${bridgeScript(bridge.token, bridge.colorMode).replace(/<\/script/gi, '<\\/script')}</script>`;
    // The bridge must exist before any of the bundle's scripts run.
    const injected = /<head[^>]*>/i.test(page) ? page.replace(/<head[^>]*>/i, (head) => `${head}${script}`) : `${script}${page}`;
    return html(injected);
  }
  return { status: 200, headers: { 'content-type': type }, body: readFileSync(target) };
}

export function resourceIsBuilt(resourceDir: string): boolean {
  return existsSync(join(resourceDir, 'index.html'));
}
