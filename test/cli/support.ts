/**
 * The sandbox served over HTTP for `scrum-guard` tests: the local Jira's REST API with basic
 * authentication, the app's real code behind it, and helpers to run the command as a person would.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { PEOPLE } from '../../sandbox/jira';
import { demoApiToken, demoEmail } from '../../sandbox/jira/basic-auth';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/sandbox';
import { startServer, type RunningServer } from '../../sandbox/server/server';
import { run } from '../../src/cli/main';
import { SURFACES, RESOLVER_KEYS, type Surface } from '../../src/shared/resolver-api';

export const ROOT = resolve(__dirname, '../..');
export const BIN = join(ROOT, 'bin/scrum-guard.js');

export interface CliBed {
  readonly sandbox: Sandbox;
  readonly server: RunningServer;
  /** The Jira admin's e-mail and demo API token. */
  readonly credentials: { JIRA_EMAIL: string; JIRA_API_TOKEN: string };
  call(surface: Surface, functionKey: string, payload: unknown, who: keyof typeof PEOPLE): Promise<any>;
  /** Saves a config through the settings resolver and publishes it as the app does (project property). */
  saveConfig(document: unknown): Promise<void>;
  close(): Promise<void>;
}

export async function cliBed(options: Partial<SandboxOptions> = {}): Promise<CliBed> {
  const dataDir = mkdtempSync(join(tmpdir(), 'srg-cli-'));
  const sandbox = await createSandbox({ dataDir, ...options });
  const server = await startServer(sandbox, 0);
  const admin = sandbox.site.findPerson('alex')!;
  const call: CliBed['call'] = (surface, functionKey, payload, who) => {
    const module = sandbox.host.manifest.resolverModules.find((m) => m.moduleType === SURFACES[surface].module)!;
    const extension = { project: { id: sandbox.site.project.id, key: sandbox.site.project.key, type: 'software' } };
    return sandbox.host.invokeResolver(module.key, functionKey, payload, { accountId: PEOPLE[who].accountId, extension }) as Promise<any>;
  };
  const credentials = { JIRA_EMAIL: demoEmail(admin), JIRA_API_TOKEN: demoApiToken(admin) };
  return {
    sandbox,
    server,
    credentials,
    call,
    async saveConfig(document) {
      const current = await call('settings', RESOLVER_KEYS.getProjectSettings, {}, 'admin');
      const saved = await call('settings', RESOLVER_KEYS.saveProjectSettings, { document, expectedRevision: current.revision ?? null }, 'admin');
      if (!saved.ok) throw new Error(`the config was refused: ${JSON.stringify(saved)}`);
      // The published copy, as contract 1 describes it (the app writes it when a config is saved).
      const response = await fetch(`${server.url}/rest/api/3/project/DEMO/properties/scrum-role-guard-config`, {
        method: 'PUT',
        headers: { authorization: `Basic ${Buffer.from(`${credentials.JIRA_EMAIL}:${credentials.JIRA_API_TOKEN}`).toString('base64')}`, 'content-type': 'application/json' },
        body: JSON.stringify({ version: 1, revision: saved.revision ?? 1, config: document }),
      });
      if (response.status >= 300) throw new Error(`publishing the config: ${response.status} ${await response.text()}`);
    },
    async close() {
      await server.close();
      await sandbox.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The command as a separate process (the server stays responsive: no spawnSync). */
export function cliProcess(args: string[], env: Record<string, string>, extraNodeArgs: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [...extraNodeArgs, BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    this.text += chunk.toString('utf8');
    callback();
  }
}

/** The command in this process, with its output collected. */
export async function cliInProcess(args: string[], env: Record<string, string>, stderrIsTTY = false): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Collect();
  const stderr = new Collect();
  const code = await run(args, { stdout, stderr, stdin: process.stdin, stderrIsTTY, env: { ...env } });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
