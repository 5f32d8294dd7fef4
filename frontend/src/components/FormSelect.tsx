// antd's Form.Item gives its control `aria-required`; a Select puts every aria-* prop on its outer
// <div>, where `aria-required` is not allowed (axe: aria-allowed-attr, critical). The label's
// asterisk and the validation message say the same, so the attribute is dropped here.
import { Select, type SelectProps } from "antd";

export function FormSelect<T>(props: SelectProps<T> & { "aria-required"?: unknown }) {
  const rest = { ...props };
  delete rest["aria-required"];
  return <Select<T> {...rest} />;
}
