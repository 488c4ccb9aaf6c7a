/**
 * A large, realistic-looking .roles program for benchmarks: `schemas` schemas of tables with 20
 * columns each (one in ten append-only, plus views and sequences), and `roles` roles mixing table,
 * column, wildcard and except grants, with memberships forming a DAG. Deterministic for a given size.
 */
export function generateSpec(tables: number, schemas = 20, roles = 200): string {
  const out: string[] = [];
  const perSchema = Math.ceil(tables / schemas);
  const columns = Array.from({ length: 20 }, (_, i) => (i === 0 ? "id" : `col_${i}`));
  for (let s = 0; s < schemas; s++) {
    out.push(`schema s${s} {`);
    for (let t = 0; t < perSchema && s * perSchema + t < tables; t++) {
      out.push(`  ${t % 10 === 9 ? "append_only " : ""}table t${t} (${columns.join(", ")})`);
      if (t % 25 === 0) out.push(`  view v${t} (id, col_1, col_2)`, `  sequence q${t}`);
    }
    out.push("}");
  }
  // Tables whose number ends in 9 are append-only; updates go to their neighbours.
  const writable = (i: number) => (i % 10 === 9 ? i - 1 : i);
  for (let r = 0; r < roles; r++) {
    out.push(`role r${r}${r % 4 === 0 ? " login" : ""} {`);
    const parents = [r - 1, r - 7].filter((p) => p >= 0 && r % 3 === 0);
    if (parents.length > 0) out.push(`  member of ${parents.map((p) => `r${p}`).join(", ")}`);
    const s = r % schemas;
    switch (r % 5) {
      case 0:
        out.push(`  select on s${s}.* except s${s}.t0(col_1, col_2), s${s}.t1`);
        break;
      case 1:
        out.push(`  select, insert, update on s${s}.t${writable(r % perSchema)}`, `  usage on s${s}.q0`);
        break;
      case 2:
        out.push(`  select (id, col_3, col_4), update (col_4) on s${s}.t${writable((r * 7) % perSchema)}`);
        break;
      case 3:
        out.push(`  all on s${s}.*`);
        break;
      default:
        out.push(`  insert on s${s}.t9`, `  select on s${(s + 1) % schemas}.*`);
    }
    out.push("}");
  }
  return out.join("\n") + "\n";
}
