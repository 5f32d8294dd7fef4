// 村务公开栏: a village's public disclosure board, readable on a phone without logging in. Plain
// HTML and CSS like the login page (no antd): the board is what villagers open from a QR code on a
// weak link. Only published disclosures (and withdrawn ones, as withdrawn with the reason) come
// from the server; it holds no personal data.
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router-dom";
import { fetchBoard, type BoardFailure, type PublicBoard, type PublicDisclosure } from "./publicApi";
import "./publicBoard.css";

function Item({ d }: { d: PublicDisclosure }) {
  const { t } = useTranslation();
  const withdrawn = d.status === "withdrawn";
  return (
    <li className="board-item" data-testid="board-item">
      <div className="board-meta">
        <span className="board-tag">{t(`publicBoard.category.${d.category}`, { defaultValue: d.category })}</span>
        {withdrawn && <span className="board-tag withdrawn">{t("publicBoard.withdrawn")}</span>}
      </div>
      <h2>{d.title}</h2>
      <div className="board-meta">
        <span>
          {t("publicBoard.period")}：{d.period_from === d.period_to ? d.period_from : `${d.period_from} 至 ${d.period_to}`}
        </span>
        {d.published_on && (
          <span>
            {t("publicBoard.published")}：{d.published_on}
          </span>
        )}
      </div>
      {withdrawn ? (
        <p className="board-withdrawn">
          {t("publicBoard.reason")}：{d.withdrawal_reason}
          {d.withdrawn_on ? `（${d.withdrawn_on}）` : ""}
        </p>
      ) : (
        <p className="board-body">{d.body}</p>
      )}
    </li>
  );
}

export default function PublicBoardPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const villageId = Number(id);
  const [board, setBoard] = useState<PublicBoard | null>(null);
  const [items, setItems] = useState<PublicDisclosure[]>([]);
  const [failure, setFailure] = useState<BoardFailure | null>(null);
  const [loading, setLoading] = useState(true);

  const load = useCallback(
    async (cursor?: string) => {
      if (!Number.isInteger(villageId) || villageId <= 0) {
        setFailure("not_found");
        setLoading(false);
        return;
      }
      setLoading(true);
      const result = await fetchBoard(villageId, cursor);
      if ("board" in result) {
        setBoard(result.board);
        setItems((prev) => (cursor ? [...prev, ...result.board.items] : result.board.items));
        setFailure(null);
      } else {
        setFailure(result.failure);
      }
      setLoading(false);
    },
    [villageId],
  );

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    document.title = board ? t("publicBoard.villageTitle", { name: board.village.name }) : t("publicBoard.title");
  }, [board, t]);

  return (
    <main className="board" data-testid="public-board">
      <header className="board-head">
        <h1>
          {board ? t("publicBoard.villageTitle", { name: board.village.name }) : t("publicBoard.title")}
          {board?.village.name_bo && (
            <span lang="bo" className="bo">
              {board.village.name_bo}
            </span>
          )}
        </h1>
        <p>{t("publicBoard.intro")}</p>
      </header>
      {failure && (
        <p className="board-note" role="alert" data-testid="board-failure">
          {t(`publicBoard.failure.${failure}`)}
        </p>
      )}
      {board && items.length === 0 && !failure && <p className="board-note">{t("publicBoard.empty")}</p>}
      <ul className="board-list" aria-label={t("publicBoard.title")}>
        {items.map((d) => (
          <Item key={d.id} d={d} />
        ))}
      </ul>
      {loading && <p className="board-note">{t("common.loading")}</p>}
      {!loading && board?.next_cursor && (
        <button type="button" className="board-more" data-testid="board-more" onClick={() => void load(board.next_cursor ?? undefined)}>
          {t("publicBoard.more")}
        </button>
      )}
    </main>
  );
}
