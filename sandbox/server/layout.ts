/** The Jira-like frame around every sandbox page: who you act as, the theme, the navigation. */
import { escapeHtml } from './http';

export interface Person {
  readonly name: string;
  readonly accountId: string;
  readonly displayName: string;
  readonly description: string;
}

export interface LayoutOptions {
  readonly title: string;
  readonly actingAs: Person;
  readonly people: readonly Person[];
  readonly colorMode: 'light' | 'dark';
  readonly current: 'backlog' | 'item' | 'settings' | 'violations';
  readonly body: string;
}

const STYLES = `
:root { color-scheme: light; }
html[data-color-mode="dark"] { color-scheme: dark; }
body { margin: 0; font: 14px/1.45 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", sans-serif;
  background: var(--ds-surface, #FFFFFF); color: var(--ds-text, #172B4D); }
a { color: var(--ds-link, #0C66E4); }
header { display: flex; gap: 16px; align-items: center; padding: 8px 16px; border-bottom: 1px solid var(--ds-border, #091E4224);
  background: var(--ds-surface-sunken, #F7F8F9); flex-wrap: wrap; }
header .brand { font-weight: 600; }
header nav a { margin-right: 12px; text-decoration: none; }
header nav a[aria-current="page"] { font-weight: 600; text-decoration: underline; }
header form { margin-left: auto; display: flex; gap: 8px; align-items: center; }
main { padding: 16px 24px; max-width: 1100px; }
h1 { font-size: 20px; margin: 8px 0 16px; } h2 { font-size: 16px; margin: 20px 0 8px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--ds-border, #091E4224); vertical-align: middle; }
th { font-weight: 600; color: var(--ds-text-subtle, #44546F); font-size: 12px; }
button, select, input { font: inherit; color: var(--ds-text, #172B4D); background: var(--ds-background-neutral, #091E420F);
  border: 1px solid var(--ds-border-input, #8590A2); border-radius: 3px; padding: 4px 8px; }
button { cursor: pointer; border-color: transparent; }
button.primary { background: var(--ds-background-brand-bold, #0C66E4); color: var(--ds-text-inverse, #FFFFFF); }
button:focus-visible, select:focus-visible, input:focus-visible, a:focus-visible { outline: 2px solid var(--ds-border-focused, #388BFF); outline-offset: 2px; }
.lozenge { display: inline-block; padding: 0 4px; border-radius: 3px; font-size: 11px; font-weight: 700; text-transform: uppercase;
  background: var(--ds-background-neutral, #091E420F); color: var(--ds-text-subtle, #44546F); }
.lozenge.inprogress { background: var(--ds-background-information, #E9F2FF); color: var(--ds-text-information, #0055CC); }
.lozenge.done { background: var(--ds-background-success, #DCFFF1); color: var(--ds-text-success, #216E4E); }
.muted { color: var(--ds-text-subtlest, #626F86); }
.notice { padding: 12px 16px; border-radius: 3px; background: var(--ds-background-information, #E9F2FF); margin: 12px 0; }
.notice.warning { background: var(--ds-background-warning, #FFF7D6); }
.notice.error { background: var(--ds-background-danger, #FFECEB); }
.notice.sandbox { background: var(--ds-background-discovery, #F3F0FF); border-left: 3px solid var(--ds-border-discovery, #8F7EE7); }
.notice .label { font-weight: 600; margin-right: 4px; }
#status { min-height: 1.5em; }
.columns { display: grid; grid-template-columns: minmax(0, 2fr) minmax(280px, 1fr); gap: 24px; }
iframe.app { width: 100%; border: 0; min-height: 120px; background: transparent; }
.flags { position: fixed; left: 16px; bottom: 16px; display: flex; flex-direction: column; gap: 8px; z-index: 10; }
.flags div { padding: 12px 16px; border-radius: 3px; box-shadow: var(--ds-shadow-overlay, 0 4px 8px #091E4240);
  background: var(--ds-surface-overlay, #FFFFFF); max-width: 420px; }
`;


export function layout(options: LayoutOptions): string {
  const nav: [LayoutOptions['current'], string, string][] = [
    ['backlog', '/', 'Backlog'],
    ['settings', '/project/DEMO/settings', 'Scrum Role Guard settings'],
    ['violations', '/project/DEMO/violations', 'Scrum Role Guard log'],
  ];
  const options_ = options.people
    .map((p) => `<option value="${escapeHtml(p.name)}"${p.accountId === options.actingAs.accountId ? ' selected' : ''}>${escapeHtml(p.displayName)} (${escapeHtml(p.description)})</option>`)
    .join('');
  return `<!doctype html>
<html lang="en" data-color-mode="${options.colorMode}" data-theme="dark:dark light:light">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)} · DEMO · Jira sandbox</title>
<link rel="stylesheet" href="/sandbox/tokens.css">
<style>${STYLES}</style>
</head>
<body>
<header>
  <span class="brand">Jira sandbox · DEMO</span>
  <nav aria-label="Project">${nav.map(([key, href, label]) => `<a href="${href}"${key === options.current ? ' aria-current="page"' : ''}>${label}</a>`).join('')}</nav>
  <form method="get" action="/sandbox/switch">
    <label for="as">Acting as</label>
    <select id="as" name="as">${options_}</select>
    <input type="hidden" name="back" value="">
    <button type="submit">Switch</button>
    <button type="submit" name="theme" value="${options.colorMode === 'dark' ? 'light' : 'dark'}" aria-label="Switch to ${options.colorMode === 'dark' ? 'light' : 'dark'} theme">${options.colorMode === 'dark' ? 'Light' : 'Dark'} theme</button>
    <button type="button" data-reset title="Jira's work items and the app's settings and log back to how the sandbox started">Reset the demo</button>
  </form>
</header>
<main>
<h1>${escapeHtml(options.title)}</h1>
<div id="status" role="status" aria-live="polite" tabindex="-1"></div>
${options.body}
</main>
<div class="flags" aria-live="polite" id="flags"></div>
<script src="/sandbox/page.js"></script>
</body>
</html>`;
}
