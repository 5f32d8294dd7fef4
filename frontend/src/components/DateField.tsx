import { DatePicker, Form, type FormItemProps } from "antd";
import dayjs, { type Dayjs } from "dayjs";

/** A date form field whose value is the API's plain `YYYY-MM-DD` string (JSON-safe for drafts). */
export function DateField(props: FormItemProps & { allowClear?: boolean; testId?: string }) {
  const { allowClear, testId, ...item } = props;
  return (
    <Form.Item
      {...item}
      getValueProps={(value: string | null | undefined) => ({ value: value ? dayjs(value, "YYYY-MM-DD") : null })}
      normalize={(value: Dayjs | null) => (value ? value.format("YYYY-MM-DD") : null)}
    >
      <DatePicker style={{ width: "100%" }} allowClear={allowClear ?? true} data-testid={testId} />
    </Form.Item>
  );
}
