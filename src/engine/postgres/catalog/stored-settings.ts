import { listParameters, type RoleSetting } from "../../../model/role-settings.js";

/**
 * A role's settings as pg_db_role_setting.setconfig keeps them, `name=value` each, read back into
 * parameters and values. PostgreSQL stores a list parameter's items joined by ", ", each quoted as
 * an identifier where it needs quotes (`search_path="$user", app`), and any other value as given.
 */
export function parseStoredSettings(setconfig: readonly string[] | null): RoleSetting[] {
  return (setconfig ?? [])
    .map((entry) => {
      const at = entry.indexOf("=");
      const parameter = entry.slice(0, at).toLowerCase();
      const text = entry.slice(at + 1);
      return { parameter, values: listParameters.has(parameter) ? splitIdentifierList(text) : [text] };
    })
    .sort((a, b) => (a.parameter < b.parameter ? -1 : a.parameter > b.parameter ? 1 : 0));
}

/** `"$user", app` → `$user`, `app`: items are separated by commas, and a quoted one may hold anything, `""` for a quote. */
function splitIdentifierList(text: string): string[] {
  const items: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (text[i] === " ") i++;
    let item = "";
    if (text[i] === '"') {
      i++;
      while (i < text.length) {
        if (text[i] === '"' && text[i + 1] === '"') {
          item += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else item += text[i++];
      }
      while (i < text.length && text[i] !== ",") i++;
    } else {
      const end = text.indexOf(",", i);
      item = (end === -1 ? text.slice(i) : text.slice(i, end)).trim();
      i = end === -1 ? text.length : end;
    }
    items.push(item);
    if (text[i] === ",") i++;
  }
  return items;
}

/** The one text a setting is compared and shown by: `statement_timeout=5s`, `search_path=$user, app`. */
export function settingText(setting: RoleSetting): string {
  return `${setting.parameter}=${setting.values.join(", ")}`;
}
