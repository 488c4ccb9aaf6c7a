import path from "node:path";
import { fileURLToPath } from "node:url";
import { benchProxy } from "./proxy.js";
import { proxyReport } from "./proxy-report.js";

// `npm run bench:proxy`: only the proxy's part of `npm run bench` (pgbench through rolec proxy,
// PgBouncer, and straight to PostgreSQL). ROLEC_BENCH_PROXY_SECONDS per run (default 10).
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const pgUrl = process.env.ROLEC_BENCH_PG_URL ?? process.env.ROLEC_TEST_PG_URL;
if (!pgUrl) throw new Error("set ROLEC_BENCH_PG_URL (or ROLEC_TEST_PG_URL) to a PostgreSQL superuser URL");
const seconds = Number(process.env.ROLEC_BENCH_PROXY_SECONDS ?? 10);
if (!Number.isInteger(seconds) || seconds < 1) throw new Error(`ROLEC_BENCH_PROXY_SECONDS must be a whole number of seconds, 1 or more`);
console.log(proxyReport(await benchProxy(root, pgUrl, seconds)));
