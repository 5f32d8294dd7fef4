import { Typography } from "antd";
import type { ReactNode } from "react";

export function PageTitle({ children, extra }: { children: ReactNode; extra?: ReactNode }) {
  return (
    <div className="page-toolbar">
      <Typography.Title level={4} style={{ margin: 0 }} className="grow" data-testid="page-title">
        {children}
      </Typography.Title>
      {extra}
    </div>
  );
}
