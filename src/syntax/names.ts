const bareName = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/** Whether a name can be written without quotes in a `.roles` file. */
export function isBareName(value: string): boolean {
  return bareName.test(value);
}

/** A name as the formatter and messages write it: bare where it can be, otherwise in double quotes. */
export function formatName(value: string): string {
  return isBareName(value) ? value : `"${value.replaceAll('"', '""')}"`;
}
