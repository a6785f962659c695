/** `npm start` as a child process: the sandbox's own main, on a free port, and the address it prints once ready. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

export interface SandboxProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything it printed so far. */
  output(): string;
  /** Ctrl-C, and its exit code. */
  stop(): Promise<number | null>;
}

export async function startSandboxProcess(env: Record<string, string>, readyWithinMs = 15_000): Promise<SandboxProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'sandbox/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', SRG_MARIADB_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready after ${readyWithinMs / 1000} s:\n${output}`)), readyWithinMs);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /open (http:\/\/[^\s]+)\//.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
  return {
    child,
    url,
    output: () => output,
    stop() {
      const exit = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
      child.kill('SIGINT');
      return exit;
    },
  };
}
