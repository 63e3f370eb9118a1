// Loads something once its inputs are known and keeps the answer, the error or the fact
// that it is still loading. A newer load wins over an older one that answers late.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  setData: (update: (previous: T | undefined) => T) => void;
}

export function useAsync<T>(load: () => Promise<T>, inputs: readonly unknown[]): AsyncState<T> {
  const [data, setDataState] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);

  useEffect(() => {
    const ticket = ++latest.current;
    setLoading(true);
    load().then(
      (value) => {
        if (ticket !== latest.current) return;
        setDataState(value);
        setError(null);
        setLoading(false);
      },
      (reason: unknown) => {
        if (ticket !== latest.current) return;
        setError(reason);
        setLoading(false);
      },
    );
  }, [...inputs, generation]); // `load` is new on every render; `inputs` say when it matters

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const setData = useCallback((update: (previous: T | undefined) => T) => setDataState(update), []);
  return { data, error, loading, reload, setData };
}
