// A keyboard shortcut on the case page asks a panel to open its dialog by bumping a
// counter the panel receives as a prop; 0 means "never asked".
import { useEffect } from 'preact/hooks';

export function useOpenOnRequest(request: number | undefined, open: () => void): void {
  useEffect(() => {
    if (request) open();
    // Only a new request opens the dialog, not a new `open` function on every render.
  }, [request]);
}
