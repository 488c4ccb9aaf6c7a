import { NotUnderstood } from "./needs.js";

/**
 * A relation name given as text (`nextval('app.orders_id_seq')`), read as PostgreSQL reads a
 * regclass: dot-separated names, each folded to lower case unless double-quoted (a quote inside
 * doubled). One name: [undefined, name]; two: [schema, name]. Anything else is not understood.
 */
export function parseQualifiedName(text: string): [string | undefined, string] {
  const parts: string[] = [];
  let i = 0;
  for (;;) {
    let part = "";
    if (text[i] === '"') {
      for (i++; ; i++) {
        if (i >= text.length) throw new NotUnderstood("unknown-name", `the name ${JSON.stringify(text)} has an unclosed quote`);
        if (text[i] === '"') {
          if (text[i + 1] !== '"') break;
          i++;
        }
        part += text[i];
      }
      i++;
    } else {
      const start = i;
      while (i < text.length && text[i] !== ".") i++;
      part = text.slice(start, i).trim();
      // PostgreSQL folds unquoted names to lower case; one that would need more than that is not guessed at.
      if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(part)) throw new NotUnderstood("unknown-name", `the name ${JSON.stringify(text)} is not understood`);
      part = part.toLowerCase();
    }
    parts.push(part);
    if (i >= text.length) break;
    if (text[i] !== ".") throw new NotUnderstood("unknown-name", `the name ${JSON.stringify(text)} is not understood`);
    i++;
  }
  if (parts.length === 1) return [undefined, parts[0]!];
  if (parts.length === 2) return [parts[0], parts[1]!];
  throw new NotUnderstood("unknown-name", `the name ${JSON.stringify(text)} is not understood`);
}
