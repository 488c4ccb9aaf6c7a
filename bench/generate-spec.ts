/**
 * A large, realistic-looking .roles program for benchmarks: `schemas` schemas of tables with 20
 * columns each (one in ten append-only, plus views and sequences), and `roles` roles mixing table,
 * column, wildcard and except grants, with memberships forming a DAG. Deterministic for a given size.
 */
export function generateSpec(tables: number, schemas = 20, roles = 200, names: { schema: string; role: string } = { schema: "s", role: "r" }): string {
  const out: string[] = [];
  const perSchema = Math.ceil(tables / schemas);
  const columns = Array.from({ length: 20 }, (_, i) => (i === 0 ? "id" : `col_${i}`));
  for (let s = 0; s < schemas; s++) {
    out.push(`schema ${names.schema}${s} {`);
    for (let t = 0; t < perSchema && s * perSchema + t < tables; t++) {
      out.push(`  ${t % 10 === 9 ? "append_only " : ""}table t${t} (${columns.join(", ")})`);
      if (t % 25 === 0) out.push(`  view v${t} (id, col_1, col_2)`, `  sequence q${t}`);
    }
    out.push("}");
  }
  // Tables whose number ends in 9 are append-only; updates go to their neighbours.
  const writable = (i: number) => (i % 10 === 9 ? i - 1 : i);
  for (let r = 0; r < roles; r++) {
    out.push(`role ${names.role}${r}${r % 4 === 0 ? " login" : ""} {`);
    const parents = [r - 1, r - 7].filter((p) => p >= 0 && r % 3 === 0 && p % 4 !== 0);
    if (parents.length > 0) out.push(`  member of ${parents.map((p) => `${names.role}${p}`).join(", ")}`);
    const s = r % schemas;
    const S = (n: number) => `${names.schema}${n}`;
    switch (r % 5) {
      case 0:
        out.push(`  select on ${S(s)}.* except ${S(s)}.t0(col_1, col_2), ${S(s)}.t1`);
        break;
      case 1:
        out.push(`  select, insert, update on ${S(s)}.t${writable(r % perSchema)}`, `  usage on ${S(s)}.q0`);
        break;
      case 2:
        out.push(`  select (id, col_3, col_4), update (col_4) on ${S(s)}.t${writable((r * 7) % perSchema)}`);
        break;
      case 3:
        out.push(`  all on ${S(s)}.*`);
        break;
      default:
        out.push(`  insert on ${S(s)}.t9`, `  select on ${S((s + 1) % schemas)}.*`);
    }
    out.push("}");
  }
  return out.join("\n") + "\n";
}
