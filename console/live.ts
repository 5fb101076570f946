/**
 * Live updates: one EventSource on `GET /stream`, which says `change` whenever the runtime did something;
 * each view then reads again what it shows. A load never overlaps itself: changes that arrive during one are
 * folded into a single load after it.
 */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";

type Listener = () => void;
const listeners = new Set<Listener>();
const statusListeners = new Set<(live: boolean) => void>();
let source: EventSource | undefined;

function connect(): void {
  if (source) return;
  source = new EventSource("/stream");
  source.addEventListener("change", () => {
    for (const listener of listeners) listener();
  });
  source.addEventListener("open", () => {
    for (const listener of statusListeners) listener(true);
    // Whatever happened while the stream was down is read again.
    for (const listener of listeners) listener();
  });
  source.addEventListener("error", () => {
    for (const listener of statusListeners) listener(false);
  });
}

export function onChange(listener: Listener): () => void {
  connect();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Whether the stream is connected, for the header's indicator. */
export function useLiveStatus(): boolean {
  const [live, setLive] = useState(false);
  useEffect(() => {
    connect();
    statusListeners.add(setLive);
    return () => statusListeners.delete(setLive);
  }, []);
  return live;
}

export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

/** `load()` now, again whenever `deps` change, and again on every change the runtime reports. */
export function useLive<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const running = useRef(false);
  const again = useRef(false);
  const latest = useRef(load);
  latest.current = load;

  const run = useCallback(async () => {
    if (running.current) {
      again.current = true;
      return;
    }
    running.current = true;
    do {
      again.current = false;
      try {
        const data = await latest.current();
        setState({ data, loading: false });
      } catch (error) {
        setState((previous) => ({ ...previous, error: error as Error, loading: false }));
      }
    } while (again.current);
    running.current = false;
  }, []);

  useEffect(() => {
    setState({ loading: true });
    void run();
  }, deps);
  useEffect(() => onChange(() => void run()), [run]);
  return { data: state.data, error: state.error, loading: state.loading, reload: () => void run() };
}
