/** The sandbox's HTTP server: Jira-like pages, Custom UI frames with their bridge, and /sandbox/api. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { RESOLVER_KEYS } from '../../src/shared/resolver-api';
import { answerRestRequest } from '../jira/basic-auth';
import { callAppResolver, DEMO_ADMIN } from '../demo';
import { uiModules, type Sandbox, type UiModule } from '../sandbox';
import { actEnvelopeSchema, chaosSchema } from './api-schemas';
import { describeActivity, markActivity } from './app-activity';
import { WorkItemChanges } from './changes';
import { FrameRegistry, resourceIsBuilt, serveResource, type FrameContext } from './frames';
import { escapeHtml, html, HttpError, json, Router, type Request } from './http';
import type { Person } from './layout';
import { PAGE_SCRIPT } from './page-script';
import { appPage, backlogPage, frameTag, noScreenNotice, notBuiltNotice, peopleOf, workItemPage, type PageContext } from './pages';
import { tokensCss } from './tokens';

export interface RunningServer {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

const DEFAULT_PERSON = 'alex';

function cookies(request: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name) out[name] = decodeURIComponent(value.join('='));
  }
  return out;
}

export function createRouter(sandbox: Sandbox): Router {
  const { site, host } = sandbox;
  const frames = new FrameRegistry();
  const people = peopleOf(site);
  const modules = (): UiModule[] => uiModules(sandbox.appDir);
  const moduleOfType = (type: string): UiModule | undefined => modules().find((m) => m.moduleType === type);

  // Every change of a work item, and every transition the app refused (and recorded), is told to the
  // frames on that work item as Jira's JIRA_ISSUE_CHANGED, once the app has seen it.
  const changes = new WorkItemChanges(() => host.settle());
  site.onEvent((eventType, payload) => {
    if (eventType !== 'avi:jira:updated:issue' && eventType !== 'avi:jira:created:issue') return;
    const issue = payload['issue'] as { id?: unknown } | undefined;
    const actor = payload['atlassianId'];
    if (typeof issue?.id === 'string' && typeof actor === 'string') changes.record(issue.id, site.project.id, actor);
  });
  sandbox.onRefusal((refusal) => changes.record(refusal.issueId, site.project.id, site.appAccountId));

  function actingAs(request: Request): Person {
    const wanted = request.url.searchParams.get('as') ?? cookies(request)['sandbox-as'] ?? DEFAULT_PERSON;
    const person = site.findPerson(wanted);
    const found = person ? people.find((p) => p.accountId === person.accountId) : undefined;
    if (!found) throw new HttpError(400, `no demo person is called "${wanted}"; see /sandbox/api/users`);
    return found;
  }

  function pageContext(request: Request): PageContext {
    const colorMode = cookies(request)['sandbox-theme'] === 'dark' ? 'dark' : 'light';
    return { site, actingAs: actingAs(request), people, colorMode };
  }

  function frameFor(context: PageContext, module: UiModule, where: { issueKey?: string }): string {
    if (!resourceIsBuilt(module.resourceDir)) return notBuiltNotice(`This screen of the app (${module.moduleType})`);
    const issue = where.issueKey ? site.findIssue(where.issueKey) : undefined;
    const frame: FrameContext = {
      moduleKey: module.key,
      moduleType: module.moduleType,
      resourceKey: module.resourceKey,
      accountId: context.actingAs.accountId,
      projectKey: site.project.key,
      projectId: site.project.id,
      issueKey: issue?.key ?? null,
      issueId: issue?.id ?? null,
      colorMode: context.colorMode,
    };
    return frameTag(`/frame/${frames.open(frame)}/`, `Scrum Role Guard: ${module.moduleType}`, issue ? { 'data-issue-id': issue.id } : {});
  }

  const router = new Router();

  // --- pages ------------------------------------------------------------------------------------
  router.on('GET', '/', (request) => html(backlogPage(pageContext(request))));
  router.on('GET', '/browse/:key', (request) => {
    const context = pageContext(request);
    const key = request.params['key']!;
    if (!site.findIssue(key)) throw new HttpError(404, `no work item ${key}`);
    const panelModule = moduleOfType('jira:issueContext');
    const panel = panelModule ? frameFor(context, panelModule, { issueKey: key }) : noScreenNotice('a work item panel');
    return html(workItemPage(context, key, panel));
  });
  for (const [path, type, title, current] of [
    ['/project/DEMO/settings', 'jira:projectSettingsPage', 'Scrum Role Guard settings', 'settings'],
    ['/project/DEMO/violations', 'jira:projectPage', 'Scrum Role Guard violation log', 'violations'],
  ] as const) {
    router.on('GET', path, (request) => {
      const context = pageContext(request);
      const module = moduleOfType(type);
      return html(appPage(context, title, current, module ? frameFor(context, module, {}) : noScreenNotice(current === 'settings' ? 'a settings page' : 'a violation log page')));
    });
  }
  router.on('GET', '/sandbox/switch', (request) => {
    const as = request.url.searchParams.get('as') ?? DEFAULT_PERSON;
    if (!site.findPerson(as)) throw new HttpError(400, `no demo person is called "${as}"`);
    const theme = request.url.searchParams.get('theme');
    const back = request.url.searchParams.get('back') ?? '/';
    const location = back.startsWith('/') && !back.startsWith('//') ? back : '/';
    const setCookies = [`sandbox-as=${encodeURIComponent(as)}; Path=/; SameSite=Lax`];
    if (theme === 'dark' || theme === 'light') setCookies.push(`sandbox-theme=${theme}; Path=/; SameSite=Lax`);
    return { status: 303, headers: { location, 'set-cookie': setCookies }, body: '' };
  });
  // Jira serves people's avatars; the sandbox draws initials.
  router.on('GET', '/secure/useravatar', (request) => {
    const person = site.person(request.url.searchParams.get('accountId') ?? '');
    const initials = (person?.displayName ?? '?').split(/\s+/).map((part) => part[0] ?? '').join('').slice(0, 2).toUpperCase();
    const hue = [...(person?.accountId ?? '')].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 360, 7);
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48"><circle cx="24" cy="24" r="24" fill="hsl(${hue} 45% 42%)"/><text x="24" y="30" font-family="sans-serif" font-size="18" font-weight="600" fill="#fff" text-anchor="middle">${escapeHtml(initials)}</text></svg>`;
    return { status: 200, headers: { 'content-type': 'image/svg+xml' }, body: svg };
  });
  router.on('GET', '/sandbox/page.js', () => ({ status: 200, headers: { 'content-type': 'text/javascript; charset=utf-8' }, body: PAGE_SCRIPT }));
  router.on('GET', '/sandbox/tokens.css', () => ({ status: 200, headers: { 'content-type': 'text/css; charset=utf-8' }, body: tokensCss() }));

  // --- Custom UI frames and their bridge ----------------------------------------------------------
  router.on('GET', '/frame/:token/*path', (request) => {
    const frame = frames.get(request.params['token']);
    const module = modules().find((m) => m.key === frame.moduleKey);
    if (!module) throw new HttpError(404, `the manifest no longer has the module ${frame.moduleKey}`);
    const path = request.params['path'] ?? '';
    return serveResource(module.resourceDir, path, path === '' || path === 'index.html' ? { token: request.params['token']!, colorMode: frame.colorMode } : null);
  });
  const bridgeCallSchema = z.strictObject({ token: z.string().min(1), method: z.string().min(1).max(64), payload: z.unknown() });
  router.on('POST', '/sandbox/bridge', async (request) => {
    const call = bridgeCallSchema.safeParse(await request.json());
    if (!call.success) throw new HttpError(400, 'expected { token, method, payload }');
    const frame = frames.get(call.data.token);
    return json({ result: await bridgeCall(frame, call.data.method, call.data.payload) });
  });

  async function bridgeCall(frame: FrameContext, method: string, payload: unknown): Promise<unknown> {
    const extension = {
      type: frame.moduleType,
      project: { id: frame.projectId, key: frame.projectKey, type: 'software' },
      ...(frame.issueKey ? { issue: { id: frame.issueId, key: frame.issueKey, type: site.issueType(site.findIssue(frame.issueKey)!.typeId).name } } : {}),
    };
    switch (method) {
      case 'getContext':
        return {
          accountId: frame.accountId,
          cloudId: 'b4c5d6e7-0000-4000-8000-00000000c10d',
          siteUrl: site.baseUrl,
          moduleKey: frame.moduleKey,
          localId: `${frame.moduleKey}-local`,
          locale: 'en-US',
          timezone: 'UTC',
          environmentType: 'DEVELOPMENT',
          theme: { colorMode: frame.colorMode },
          extension,
        };
      case 'invoke': {
        const args = z.looseObject({ functionKey: z.string().min(1), payload: z.unknown() }).safeParse(payload);
        if (!args.success) throw new HttpError(400, 'invoke: expected { functionKey, payload }');
        return host.invokeResolver(frame.moduleKey, args.data.functionKey, args.data.payload ?? {}, { accountId: frame.accountId, extension });
      }
      case 'fetchProduct': {
        const args = z
          .looseObject({ product: z.literal('jira'), restPath: z.string().startsWith('/'), fetchRequestInit: z.looseObject({ method: z.string().optional(), body: z.unknown().optional(), headers: z.unknown().optional() }).optional() })
          .safeParse(payload);
        if (!args.success) throw new HttpError(400, 'fetchProduct: expected { product: "jira", restPath, fetchRequestInit }');
        const init = args.data.fetchRequestInit ?? {};
        const headerPairs = Array.isArray(init.headers) ? (init.headers as [string, string][]) : [];
        const response = await site.handle({
          actor: { kind: 'user', accountId: frame.accountId },
          method: (init.method ?? 'GET').toUpperCase(),
          path: args.data.restPath,
          headers: Object.fromEntries(headerPairs.map(([k, v]) => [k.toLowerCase(), v])),
          body: typeof init.body === 'string' ? init.body : undefined,
        });
        return { body: response.body, headers: response.headers, status: response.status, statusText: String(response.status), isAttachment: false };
      }
      default:
        throw new HttpError(501, `the sandbox's bridge does not offer ${method}`);
    }
  }

  // --- Jira's REST API, with basic authentication (e-mail and API token) as Jira Cloud takes it ----
  for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
    router.on(method, '/rest/*path', async (request) => {
      const body = method === 'GET' ? undefined : await request.text();
      const header = request.headers.authorization;
      return answerRestRequest(site, {
        method,
        path: `${request.url.pathname}${request.url.search}`,
        authorization: Array.isArray(header) ? header[0] : header,
        accept: typeof request.headers.accept === 'string' ? request.headers.accept : undefined,
        body: body === '' ? undefined : body,
      });
    });
  }

  // --- the API for scripts ----------------------------------------------------------------------
  router.on('GET', '/sandbox/api/users', () => json(site.users().filter((u) => u.accountType === 'atlassian')));
  router.on('POST', '/sandbox/api/act', async (request) => {
    const body = actEnvelopeSchema.safeParse(await request.json());
    if (!body.success) throw new HttpError(400, body.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
    const { as, settle, ...action } = body.data;
    const refusalsBefore = sandbox.refusals.length;
    const mark = settle ? await markActivity(sandbox) : null;
    const result = await site.act(as, action as Parameters<typeof site.act>[1]);
    if (result.ok) {
      if (!mark) return json(result);
      // Settled: the app has done whatever it does about the change, and the page can say what that was.
      await host.settle();
      const after = result.issue ? { issue: site.issueState(result.issue.key) } : {};
      return json({ ...result, ...after, appDid: await describeActivity(sandbox, mark) });
    }
    const refused = sandbox.refusals.length > refusalsBefore;
    return json({ ...result, refused }, refused ? 409 : result.status);
  });
  router.on('POST', '/sandbox/api/reset', async () => {
    await sandbox.reset();
    return json({ reset: true, demo: sandbox.demo });
  });
  router.on('GET', '/sandbox/api/work-item-changes', async (request) => {
    const issueId = request.url.searchParams.get('issueId') ?? '';
    if (!site.findIssue(issueId)) throw new HttpError(404, `no work item with id "${issueId}"`);
    const after = request.url.searchParams.get('after');
    // Without `after`: where to start listening from.
    if (after === null) return json({ seq: changes.latest, events: [] });
    if (!/^\d+$/.test(after)) throw new HttpError(400, 'after: expected the seq of the previous answer');
    const wait = Number(request.url.searchParams.get('waitMs') ?? 0);
    return json(await changes.next(issueId, Number(after), Number.isFinite(wait) ? Math.min(Math.max(wait, 0), 20_000) : 0));
  });
  router.on('POST', '/sandbox/api/settle', async () => {
    await host.settle();
    return json({ settled: true });
  });
  router.on('PUT', '/sandbox/api/chaos', async (request) => {
    const chaos = chaosSchema.safeParse(await request.json());
    if (!chaos.success) throw new HttpError(400, chaos.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
    host.setChaos(chaos.data.duplicate || chaos.data.shuffle || chaos.data.delayMs ? chaos.data : null);
    return json(chaos.data);
  });
  router.on('GET', '/sandbox/api/issues/:key', (request) => {
    if (!site.findIssue(request.params['key']!)) throw new HttpError(404, `no work item ${request.params['key']}`);
    return json(site.issueState(request.params['key']!));
  });
  router.on('GET', '/sandbox/api/projects/:project/config', async (request) => {
    requireDemo(request.params['project']!);
    return json(await callAppResolver(sandbox, 'settings', RESOLVER_KEYS.getProjectSettings, {}, DEMO_ADMIN));
  });
  router.on('PUT', '/sandbox/api/projects/:project/config', async (request) => {
    requireDemo(request.params['project']!);
    const document = await request.json();
    // As a Jira admin would on the settings page: read the revision shown, then save against it.
    const current = (await callAppResolver(sandbox, 'settings', RESOLVER_KEYS.getProjectSettings, {}, DEMO_ADMIN)) as { ok: boolean; revision?: number | null };
    const answer = (await callAppResolver(sandbox, 'settings', RESOLVER_KEYS.saveProjectSettings, { document, expectedRevision: current.revision ?? null }, DEMO_ADMIN)) as {
      ok: boolean;
      error?: { code: string };
    };
    return json(answer, answer.ok ? 200 : answer.error?.code === 'conflict' ? 409 : answer.error?.code === 'forbidden' ? 403 : 400);
  });
  router.on('GET', '/sandbox/api/projects/:project/violations', async (request) => {
    requireDemo(request.params['project']!);
    const answer = await callAppResolver(sandbox, 'violationLog', RESOLVER_KEYS.listViolations, { sort: { by: 'occurredAt', direction: 'desc' }, limit: 200, cursor: null, filter: {} }, DEMO_ADMIN);
    return json(answer);
  });

  router.on('GET', '/sandbox/api/projects/:project/role-health', async (request) => {
    requireDemo(request.params['project']!);
    const raw = request.url.searchParams.get('sprints');
    const sprints = raw === null ? 6 : Number(raw);
    if (!Number.isInteger(sprints) || sprints < 1 || sprints > 12) throw new HttpError(400, 'sprints: expected a whole number from 1 to 12');
    // As a project admin on the Role health tab: ask, let the queue run, ask again until it is ready.
    for (let attempt = 0; attempt < 50; attempt++) {
      const answer = (await callAppResolver(sandbox, 'violationLog', RESOLVER_KEYS.roleHealth, { sprints }, DEMO_ADMIN)) as {
        ok: boolean;
        state?: string;
        error?: unknown;
        sprints?: { id: string; name: string; state: string; actions: unknown }[];
      };
      if (!answer.ok || answer.state === 'failed') return json(answer, 502);
      if (answer.state === 'ready') {
        return json({ sprints: (answer.sprints ?? []).map((s) => ({ id: Number(s.id), name: s.name, state: s.state, actions: s.actions })) });
      }
      await host.settle();
    }
    throw new HttpError(504, 'role health did not finish computing');
  });

  function requireDemo(projectKey: string): void {
    if (projectKey !== site.project.key) throw new HttpError(404, `the sandbox has one project, ${site.project.key}`);
  }

  return router;
}

export async function startServer(sandbox: Sandbox, port: number, hostname = '127.0.0.1'): Promise<RunningServer> {
  const router = createRouter(sandbox);
  const server = createServer((request, response) => {
    void router.handle(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostname, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${hostname === '0.0.0.0' ? 'localhost' : hostname}:${address.port}`;
  sandbox.site.baseUrl = url;
  return {
    url,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
