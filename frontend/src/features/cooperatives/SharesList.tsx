// Each member's share of a distribution (stored, or the planner's preview): what the member gets
// in all, split into the part by trade volume and the part by capital, and the shares' total
// beside the distributable surplus (they are equal to the fen: the server splits by largest
// remainder). A list rather than a wide table, so it reads on a 360 px phone.
import { Typography } from "antd";
import { useTranslation } from "react-i18next";
import { formatYuan } from "../../lib/amounts";
import { sharesTotal, type Distribution } from "./api";
import { Yuan } from "./CoopParts";

export function SharesList({ plan, testId = "coop-shares" }: { plan: Distribution; testId?: string }) {
  const { t, i18n } = useTranslation();
  const yuan = (fen: number) => formatYuan(fen, i18n.language);
  const total = sharesTotal(plan.shares);
  return (
    <div data-testid={testId}>
      <ol className="coop-shares">
        {plan.shares.map((s) => (
          <li key={s.member_id} data-testid="coop-share" data-member-id={s.member_id} data-total-fen={s.total_fen}>
            <div className="coop-share-head">
              <span className="coop-share-name">{s.name}</span>
              <strong>
                <Yuan fen={s.total_fen} />
              </strong>
            </div>
            <Typography.Text type="secondary" style={{ fontSize: 13 }}>
              {t("coop.shareParts", { trade: yuan(s.by_trade_fen), capital: yuan(s.by_capital_fen) })}
              <br />
              {t("coop.shareDetail", { trade: yuan(s.trade_fen), capital: yuan(s.capital_fen) })}
            </Typography.Text>
          </li>
        ))}
      </ol>
      <div className="coop-share-head coop-shares-total" data-testid={`${testId}-total`} data-fen={total}>
        <span>{t("coop.sharesTotal")}</span>
        <strong>
          <Yuan fen={total} />
        </strong>
      </div>
      <Typography.Text type={total === plan.distributable_fen ? "success" : "danger"} data-testid={`${testId}-check`}>
        {t(total === plan.distributable_fen ? "coopPlan.sharesSum" : "coopPlan.sharesMismatch", { amount: yuan(total) })}
      </Typography.Text>
    </div>
  );
}
