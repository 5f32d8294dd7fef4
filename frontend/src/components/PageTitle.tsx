import { useEffect, useRef, type ReactNode } from "react";
import { useLocation } from "react-router-dom";

/**
 * The page's one h1. After each route change focus moves here (tabIndex -1), so a screen reader
 * announces the new page and keyboard users start from its top. A plain `h1` (antd's Typography
 * brings its copy, edit and ellipsis machinery to every first page).
 */
export function PageTitle({ children, extra }: { children: ReactNode; extra?: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const { pathname } = useLocation();
  useEffect(() => {
    // Never take focus from someone typing or choosing in the header (e.g. the language menu).
    const active = document.activeElement;
    if (active instanceof HTMLElement && active !== document.body && (active.closest(".app-header") || active.matches("input, textarea, select"))) return;
    ref.current?.focus({ preventScroll: true });
  }, [pathname]);
  return (
    <div className="page-toolbar">
      <h1 ref={ref} tabIndex={-1} className="grow page-title" data-testid="page-title">
        {children}
      </h1>
      {extra}
    </div>
  );
}
