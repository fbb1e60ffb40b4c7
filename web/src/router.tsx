// A tiny history-based router: the path as state, navigate() and <Link>. No dependencies.
import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react';

const NAVIGATE_EVENT = 'ludao:navigate';

function subscribe(listener: () => void): () => void {
  window.addEventListener('popstate', listener);
  window.addEventListener(NAVIGATE_EVENT, listener);
  return () => {
    window.removeEventListener('popstate', listener);
    window.removeEventListener(NAVIGATE_EVENT, listener);
  };
}

/** The current path (without query or hash); re-renders on navigation. */
export function usePath(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

/** Goes to a path inside the app, adding a history entry (or replacing the current one). */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === window.location.pathname + window.location.search) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.scrollTo(0, 0);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

/** A link that navigates inside the app; modified clicks (new tab, …) behave as usual. */
export function Link({ to, children, onClick, ...rest }: { to: string; children: ReactNode } & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'>) {
  const path = usePath();
  function handleClick(event: MouseEvent<HTMLAnchorElement>): void {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  }
  return (
    <a href={to} aria-current={path === to ? 'page' : undefined} onClick={handleClick} {...rest}>
      {children}
    </a>
  );
}

/**
 * The decoded segments of a path below `base` (`[]` for `base` itself), or null when the path is
 * not below it or a segment is not valid percent-encoding.
 *
 * @example
 * pathSegments('/citizen/consents', '/citizen'); // ['consents']
 */
export function pathSegments(path: string, base: string): string[] | null {
  if (path !== base && !path.startsWith(`${base}/`)) return null;
  try {
    return path.slice(base.length).split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return null;
  }
}
