import { useEffect } from 'react';

/** Sets the document title to "<page> · 鹭岛 Ludao" while the page is shown. */
export function useTitle(page: string): void {
  useEffect(() => {
    document.title = page ? `${page} · 鹭岛 Ludao` : '鹭岛 Ludao';
  }, [page]);
}

/** A component that only sets the document title (for pages whose frame decides it). */
export function Title({ text }: { text: string }): null {
  useTitle(text);
  return null;
}
