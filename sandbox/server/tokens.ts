/** Atlassian's design tokens (light and dark themes) as Jira serves them to Custom UI frames. */
import { createRequire } from 'node:module';

let css: string | undefined;

export function tokensCss(): string {
  if (css === undefined) {
    const load = createRequire(__filename);
    const light = (load('@atlaskit/tokens/dist/cjs/artifacts/themes/atlassian-light.js') as { default: string }).default;
    const dark = (load('@atlaskit/tokens/dist/cjs/artifacts/themes/atlassian-dark.js') as { default: string }).default;
    css = `${light}\n${dark}\n`;
  }
  return css;
}
