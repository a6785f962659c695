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

/**
 * Like useAsync, and asks again every `ms` while `again(answer)` says the work behind it is still
 * going (a computation in the queue). The last answer stays shown while the next is on its way; a
 * failure stops the asking until `reload()`.
 */
export function usePolled<T>(load: () => Promise<T>, key: string, again: (data: T) => boolean, ms: number): Loaded<T> {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const [nonce, setNonce] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const againRef = useRef(again);
  againRef.current = again;
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = () => {
      loadRef.current().then(
        (data) => {
          if (stopped) return;
          setState({ status: 'ready', data });
          if (againRef.current(data)) timer = setTimeout(ask, ms);
        },
        (error: unknown) => {
          if (!stopped) setState((previous) => ({ status: 'error', error, data: previous.data }));
        },
      );
    };
    setState((previous) => ({ status: 'loading', data: previous.data }));
    ask();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [key, nonce, ms]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { ...state, reload };
}
