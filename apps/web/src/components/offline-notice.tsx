import { useSyncExternalStore } from 'react';
import { Notice } from './ui.tsx';

const subscribe = (fn: () => void) => {
  window.addEventListener('online', fn);
  window.addEventListener('offline', fn);
  return () => {
    window.removeEventListener('online', fn);
    window.removeEventListener('offline', fn);
  };
};

/** Says so while the browser is offline: the app shell still opens from the service worker's cache. */
export function OfflineNotice() {
  const online = useSyncExternalStore(subscribe, () => navigator.onLine);
  if (online) return null;
  return (
    <div style={{ margin: '12px auto 0', padding: '0 16px', maxWidth: 1200 }} data-testid="offline">
      <Notice kind="warn" title="You are offline">
        The app opened from this device. Your data appears once the connection returns; a recording keeps its
        samples here until then and sends them when it is back.
      </Notice>
    </div>
  );
}
