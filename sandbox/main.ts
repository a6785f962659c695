/**
 * `npm start`: the sandbox on embedded defaults. A local Jira with the DEMO project and its Scrum Team
 * set up (SRG_DEMO=empty starts with no roles), the app's real Forge code, storage under .sandbox-data/
 * (set SRG_DATA_DIR to move it, SRG_MARIADB_URL to keep the log in MariaDB/MySQL, PORT to change the port).
 */
import { resolve } from 'node:path';
import { demoApiToken, demoEmail } from './jira/basic-auth';
import { DEMO_STARTS, type DemoStart } from './demo';
import { createSandbox, REPO_ROOT } from './sandbox';
import { startServer } from './server/server';

async function main(): Promise<void> {
  const started = Date.now();
  const dataDir = resolve(process.env['SRG_DATA_DIR'] ?? resolve(REPO_ROOT, '.sandbox-data'));
  const port = Number(process.env['PORT'] ?? 4700);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not "${process.env['PORT']}"`);
  const demo = (process.env['SRG_DEMO'] || 'scrum-team') as DemoStart;
  if (!DEMO_STARTS.includes(demo)) throw new Error(`SRG_DEMO must be ${DEMO_STARTS.join(' or ')}, not "${process.env['SRG_DEMO']}"`);
  const sandbox = await createSandbox({ dataDir, sqlUrl: process.env['SRG_MARIADB_URL'] || undefined, demo });
  const server = await startServer(sandbox, port, process.env['HOST'] ?? '127.0.0.1');
  console.log(`Scrum Role Guard sandbox is ready in ${((Date.now() - started) / 1000).toFixed(1)} s: open ${server.url}/`);
  console.log(`  acting as someone else: ${server.url}/?as=stella   people: ${server.url}/sandbox/api/users`);
  const admin = sandbox.site.findPerson('alex')!;
  console.log(`  Jira REST API: ${server.url}/rest/api/3/…  basic auth as ${admin.displayName} (Jira admin): ${demoEmail(admin)}, API token ${demoApiToken(admin)}`);
  console.log(`    JIRA_EMAIL=${demoEmail(admin)} JIRA_API_TOKEN=${demoApiToken(admin)} npx scrum-guard audit --site ${server.url} --project ${sandbox.site.project.key}`);
  console.log(`  demo: ${demo === 'scrum-team' ? 'the DEMO project\'s Scrum roles are set (SRG_DEMO=empty starts without)' : 'no Scrum roles yet (set them on the settings page)'}`);
  console.log(`  app storage: ${dataDir}${process.env['SRG_MARIADB_URL'] ? ' (violation log in MariaDB)' : ''}   stop with Ctrl-C`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    void (async () => {
      await server.close();
      await sandbox.close();
      process.exit(0);
    })();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : error);
  process.exit(1);
});
