import type { FormRule } from "antd";

/**
 * "Required" for a Select: antd's `required: true` puts `aria-required` on the Select's wrapper div,
 * where ARIA does not allow it (axe: aria-allowed-attr). A validator checks the same without it.
 */
export function requiredChoice(message: string): FormRule {
  return {
    validator: (_rule, value: unknown) =>
      value === undefined || value === null || value === "" ? Promise.reject(new Error(message)) : Promise.resolve(),
  };
}
