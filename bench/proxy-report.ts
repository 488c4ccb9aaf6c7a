import type { ProxyBenchResult } from "./proxy.js";

/** The proxy bench as Markdown: one table per workload, and the targets checked. */
export function proxyReport(result: ProxyBenchResult): string {
  const lines: string[] = [];
  const workloads = [...new Set(result.rows.map((r) => r.workload))];
  for (const workload of workloads) {
    lines.push(`\n| ${workload} | clients | tps | p50 ms | p99 ms |`, "|---|---:|---:|---:|---:|");
    for (const r of result.rows.filter((row) => row.workload === workload)) lines.push(`| ${r.target} | ${r.clients} | ${r.tps.toFixed(0)} | ${r.p50ms.toFixed(3)} | ${r.p99ms.toFixed(3)} |`);
  }
  const find = (workload: string, clients: number, target: string) => result.rows.find((r) => r.workload === workload && r.clients === clients && r.target.startsWith(target));
  const selectOnly = "select-only, extended protocol";
  const direct1 = find(selectOnly, 1, "PostgreSQL");
  const proxy1 = find(selectOnly, 1, "rolec proxy (--audit-fsync entry)");
  const proxy1None = find(selectOnly, 1, "rolec proxy (--audit-fsync none)");
  const bouncer8 = find(selectOnly, 8, "PgBouncer");
  const proxy8 = find(selectOnly, 8, "rolec proxy (--audit-fsync entry)");
  const proxy8None = find(selectOnly, 8, "rolec proxy (--audit-fsync none)");
  lines.push("");
  if (direct1 && proxy1 && proxy1None) {
    lines.push(`- p50 added per cached statement (select-only, 1 client, over PostgreSQL directly): ${((proxy1.p50ms - direct1.p50ms) * 1000).toFixed(0)} µs with --audit-fsync entry, ${((proxy1None.p50ms - direct1.p50ms) * 1000).toFixed(0)} µs with none (target < 100 µs)`);
  }
  if (bouncer8 && proxy8 && proxy8None) {
    lines.push(`- throughput with 8 clients as a share of PgBouncer's: ${((proxy8.tps / bouncer8.tps) * 100).toFixed(0)} % with --audit-fsync entry, ${((proxy8None.tps / bouncer8.tps) * 100).toFixed(0)} % with none (target ≥ 80 %)`);
  }
  if (result.memoryPerConnectionKb !== undefined) lines.push(`- the proxy's memory per connection (32 clients, resident, above idle): ${result.memoryPerConnectionKb.toFixed(0)} KiB`);
  for (const note of result.notes) lines.push(`- note: ${note}`);
  return lines.join("\n");
}
