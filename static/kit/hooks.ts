/** Small hooks the three apps share. */
import { useCallback, useEffect, useRef, useState } from 'react';

export type AsyncState<T> =
  | { readonly status: 'loading'; readonly data?: T }
  | { readonly status: 'ready'; readonly data: T }
  | { readonly status: 'error'; readonly error: unknown; readonly data?: T };

/** A load's state, and how to run it again. */
export type Loaded<T> = AsyncState<T> & { readonly reload: () => void };

/**
 * Runs `load` when `key` changes and on `reload()`. An answer that arrives after a newer request
 * started is dropped, so a slow first page never overwrites a fast second one.
 */
export function useAsync<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const [nonce, setNonce] = useState(0);
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const mine = ++generation.current;
    setState((previous) => ({ status: 'loading', data: previous.data }));
    loadRef.current().then(
      (data) => {
        if (generation.current === mine) setState({ status: 'ready', data });
      },
      (error: unknown) => {
        if (generation.current === mine) setState((previous) => ({ status: 'error', error, data: previous.data }));
      },
    );
  }, [key, nonce]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { ...state, reload };
}

/** The value, once it has stopped changing for `ms` (search boxes). */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
