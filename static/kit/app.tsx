/**
 * Starts an app: theming first (so nothing flashes in the wrong colours), then the Forge context,
 * then the app itself, with a loading and an error state of its own.
 */
import { createContext, useContext, useEffect, useState, type ComponentType } from 'react';
import { createRoot } from 'react-dom/client';
import { loadFrameContext, type FrameContext } from './bridge';
import { ErrorBanner, Spinner } from './components';
import { localeFromContext, type Locale } from './format';
import { enableTheming } from './theme';
import './kit.css';

export interface AppEnvironment {
  readonly context: FrameContext;
  readonly locale: Locale;
}

const EnvironmentContext = createContext<AppEnvironment | null>(null);

export function useEnvironment(): AppEnvironment {
  const environment = useContext(EnvironmentContext);
  if (!environment) throw new Error('useEnvironment outside an app started with mountApp');
  return environment;
}

function Boot({ App }: { App: ComponentType }) {
  const [state, setState] = useState<{ status: 'loading' } | { status: 'ready'; environment: AppEnvironment } | { status: 'error'; error: unknown }>({
    status: 'loading',
  });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let cancelled = false;
    (async () => {
      const context = await loadFrameContext();
      await enableTheming(context.colorMode);
      if (!cancelled) setState({ status: 'ready', environment: { context, locale: localeFromContext(context) } });
    })().catch((error: unknown) => {
      void enableTheming();
      if (!cancelled) setState({ status: 'error', error });
    });
    return () => {
      cancelled = true;
    };
  }, [attempt]);
  if (state.status === 'loading') return <Spinner label="Loading Scrum Role Guard" />;
  if (state.status === 'error') {
    return <ErrorBanner title="Scrum Role Guard could not start" error={state.error} onRetry={() => setAttempt((n) => n + 1)} />;
  }
  return (
    <EnvironmentContext.Provider value={state.environment}>
      <App />
    </EnvironmentContext.Provider>
  );
}

export function mountApp(App: ComponentType, options: { compact?: boolean } = {}): void {
  if (options.compact) document.body.classList.add('srg-compact');
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root element');
  createRoot(root).render(<Boot App={App} />);
}
