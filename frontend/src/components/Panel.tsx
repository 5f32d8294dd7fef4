import { useId, type ReactNode } from "react";

/**
 * A titled section drawn like antd's small `Card`, without it: antd's `Card` brings `Tabs` and,
 * through their overflow menu, `Menu` (≈ 22 KB Brotli) to the home pages a phone opens first.
 */
export function Panel({ title, extra, testId, className, children }: { title: string; extra?: ReactNode; testId?: string; className?: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className={className ? `panel ${className}` : "panel"} aria-labelledby={id} data-testid={testId}>
      <div className="panel-head">
        <h2 id={id} className="panel-title">
          {title}
        </h2>
        {extra && <div className="panel-extra">{extra}</div>}
      </div>
      <div className="panel-body">{children}</div>
    </section>
  );
}
