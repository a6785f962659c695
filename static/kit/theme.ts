/**
 * Jira's light and dark themes. `view.theme.enable()` asks the host to put the user's theme on this
 * frame (the `data-color-mode` and `data-theme` attributes of <html>, and the `--ds-*` token values);
 * tokens.css reads both. When the host cannot theme the frame, the colour mode from the context (or
 * the system's preference) is applied, so the fallback palette still matches.
 */
import { view } from '@forge/bridge';

export type ColorMode = 'light' | 'dark';

export function currentColorMode(root: HTMLElement = document.documentElement): ColorMode {
  return root.getAttribute('data-color-mode') === 'dark' ? 'dark' : 'light';
}

export async function enableTheming(contextColorMode?: unknown): Promise<void> {
  try {
    await view.theme.enable();
  } catch {
    // An older host without theming: fall through to the context's colour mode below.
  }
  const root = document.documentElement;
  if (root.hasAttribute('data-color-mode')) return;
  const mode: ColorMode =
    contextColorMode === 'dark' || contextColorMode === 'light'
      ? contextColorMode
      : typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches
        ? 'dark'
        : 'light';
  root.setAttribute('data-color-mode', mode);
}
