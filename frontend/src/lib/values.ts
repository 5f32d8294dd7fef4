/** `""` from a cleared input means "no value". */
export function blankToNull<T>(value: T | "" | undefined): T | null {
  return value === "" || value === undefined ? null : value;
}
