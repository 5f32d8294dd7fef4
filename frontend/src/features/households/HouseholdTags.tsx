// A household's category as a tag in Chinese (with its monitoring type for 监测户), and its head's
// name with the Tibetan spelling marked `lang="bo"`.
import { Tag } from "antd";
import { useTranslation } from "react-i18next";
import { CATEGORY_CLASS } from "./api";

export function CategoryTag({ category, monitoringType }: { category: string; monitoringType?: string | null }) {
  const { t } = useTranslation();
  return (
    <Tag className={CATEGORY_CLASS[category] ?? ""} data-testid="category-tag" data-category={category} style={{ marginInlineEnd: 4 }}>
      {t(`household.categories.${category}`, { defaultValue: category })}
      {category === "monitored" && monitoringType ? ` · ${t(`household.monitoring.${monitoringType}`, { defaultValue: monitoringType })}` : ""}
    </Tag>
  );
}

export function HeadName({ name, nameBo }: { name: string; nameBo?: string | null }) {
  return (
    <span>
      {name}
      {nameBo ? (
        <>
          {" "}
          <span lang="bo" className="bo">
            {nameBo}
          </span>
        </>
      ) : null}
    </span>
  );
}
