import test from "ava";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import pg from "pg";
import { decide, loadSqlParser, readAllowlist } from "../../src/enforce/index.js";
import { openPgServer, quoteIdent, quoteLiteral } from "../../src/engine/postgres/index.js";
import { scratchSchemaSql } from "../../src/engine/postgres/verify/scratch-schema.js";
import { renderAllowlist } from "../../src/emit/allowlist/render-allowlist.js";
import { serverUrl, withScratchDatabase } from "../helpers/databases.js";
import { rolec, tempDir } from "../helpers/cli.js";
import { psqlFile, startProxyProcess, upstreamOf } from "../helpers/proxy.js";
import { programSource } from "../property/program-generator.js";
import { caseArb, modelOf, runAs, type Outcome } from "../property/statement-generator.js";

// The proxy against PostgreSQL itself, with the decision library's differential test's random
// programs and statements (hostile role and object names included): each statement runs as its
// role through `rolec proxy` (by turns in the simple and the extended query protocol, in a
// transaction rolled back) and directly on the server under SET ROLE. Through the proxy:
// - nothing the server refuses for a privilege gets through (zero false allows);
// - the proxy's verdict is the library's (a statement that changes the session is also refused in the extended protocol, as documented);
// - what it lets through has the outcome it has on the server directly.
const runs = Number(process.env.ROLEC_PROPERTY_RUNS ?? 3);
const seed = process.env.ROLEC_PROPERTY_SEED === "random" ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.ROLEC_PROPERTY_SEED ?? 20261205);
const statementsPerProgram = 40;
const url = serverUrl("ROLEC_TEST_PG_URL");
const serverTest = url ? test.serial : test.serial.skip;

type ProxyOutcome = "allowed" | "denied by the proxy" | "refused by the server" | "error";

const pathSql = (searchPath: readonly string[]) => `SET search_path TO ${searchPath.map((s) => (s === "$user" ? quoteLiteral(s) : quoteIdent(s))).join(", ")}`;

serverTest("through rolec proxy, in both query protocols, statements get the library's verdict and the server's own outcome", async (t) => {
  t.timeout(Math.max(300_000, runs * 90_000));
  await loadSqlParser();
  const counts = { statements: 0, allowed: 0, denied: 0, extendedSessionRule: 0 };
  const details = await fc.check(
    fc.asyncProperty(caseArb(statementsPerProgram), async ([program, statements]) => {
      const source = programSource(program);
      const model = modelOf(source);
      const allowlist = readAllowlist(renderAllowlist(model));
      const dir = tempDir();
      mkdirSync(path.join(dir, "src"));
      writeFileSync(path.join(dir, "src", "generated.roles"), source);
      const compiled = await rolec(["compile", path.join(dir, "src"), "--out", path.join(dir, "artifacts")]);
      if (compiled.code !== 0) throw new Error(`compile: ${compiled.stderr}`);
      const roles = program.roles.map((r) => r.name);
      await withScratchDatabase(url!, roles, async (databaseUrl) => {
        writeFileSync(path.join(dir, "objects.sql"), scratchSchemaSql(model).sql);
        psqlFile(databaseUrl, path.join(dir, "objects.sql"));
        psqlFile(databaseUrl, path.join(dir, "artifacts", "postgres.sql"));
        // Every role logs in through the proxy, whatever account options the program gave it.
        writeFileSync(path.join(dir, "login.sql"), roles.map((r) => `ALTER ROLE ${quoteIdent(r)} LOGIN CONNECTION LIMIT -1 VALID UNTIL 'infinity';`).join("\n"));
        psqlFile(databaseUrl, path.join(dir, "login.sql"));
        const proxy = await startProxyProcess([path.join(dir, "artifacts"), "--listen", "127.0.0.1:0", "--upstream", upstreamOf(databaseUrl), "--audit-log", path.join(dir, "audit.log"), "--auth", "trust"]);
        const direct = await openPgServer(databaseUrl);
        // A fresh session on each side for each statement: the outcome of some (currval, a cursor) depends on what ran before in the session.
        const connect = async (role: string) => {
          const c = new pg.Client({ host: "127.0.0.1", port: proxy.port, user: role, database: new URL(databaseUrl).pathname.slice(1) });
          c.on("error", () => undefined);
          await c.connect();
          return c;
        };
        try {
          let index = 0;
          for (const [role, { sql, searchPath = ["$user", "public"] }] of statements) {
            // node-postgres sends no Sync after a COPY FROM STDIN it has no data for fails in the
            // extended protocol, and waits for the server forever (directly as through the proxy).
            const extended = index++ % 2 === 1 && !/\bFROM\s+STDIN\b/i.test(sql);
            const c = await connect(role);
            let through: Awaited<ReturnType<typeof outcomeOf>>;
            try {
              await c.query(pathSql(searchPath));
              await c.query("BEGIN");
              through = await outcomeOf(c.query(extended ? ({ text: sql, queryMode: "extended" } as pg.QueryConfig) : sql));
              await c.query("ROLLBACK");
            } finally {
              await c.end().catch(() => undefined);
            }
            await direct.exec("DISCARD ALL");
            const onServer: Outcome = await runAs(direct, role, sql, searchPath);
            const decision = decide(allowlist, { role, searchPath, inTransaction: true }, sql);
            counts.statements++;
            const where = `${role} ran ${JSON.stringify(sql)} (${extended ? "extended" : "simple"} protocol, search path ${searchPath.join(", ")})`;
            if (through.outcome === "refused by the server") throw new Error(`false allow through the proxy: ${where}`);
            if (through.outcome === "denied by the proxy") {
              counts.denied++;
              if (!decision.allowed) continue;
              if (extended && /refused in the extended query protocol/.test(through.message)) {
                counts.extendedSessionRule++;
                continue;
              }
              throw new Error(`the proxy denied what the library allows: ${where}: ${through.message}`);
            }
            if (!decision.allowed) throw new Error(`the proxy let through what the library denies (${decision.reason}): ${where}`);
            counts.allowed++;
            // Several statements in one string are not one prepared statement: the server says so in the extended protocol.
            if (extended && through.code === "42601" && /multiple commands/.test(through.message)) continue;
            if (through.outcome !== onServer) throw new Error(`through the proxy ${through.outcome} (${through.message}), directly ${onServer}: ${where}`);
          }
        } finally {
          await direct.close();
          await proxy.stop();
        }
      });
    }),
    { numRuns: runs, seed, endOnFailure: true },
  );
  t.log(`${details.numRuns} programs, ${counts.statements} statements through the proxy, seed ${seed}: allowed ${counts.allowed}, denied ${counts.denied} (of which ${counts.extendedSessionRule} by the extended-protocol rule)`);
  if (details.failed) {
    const [[program] = []] = details.counterexample ?? [];
    t.fail(`seed ${seed}: ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}\n---- program ----\n${program ? programSource(program) : "(none)"}`);
  } else {
    t.true(counts.allowed > 0 && counts.denied > 0, "statements both pass and are denied");
  }
});

async function outcomeOf(query: Promise<unknown>): Promise<{ outcome: ProxyOutcome; code?: string; message: string }> {
  try {
    await query;
    return { outcome: "allowed", message: "" };
  } catch (error) {
    const { code, message, hint } = error as { code?: string; message: string; hint?: string };
    if (code === "42501") return { outcome: hint?.includes("rolec proxy") ? "denied by the proxy" : "refused by the server", code, message };
    return { outcome: "error", ...(code !== undefined ? { code } : {}), message };
  }
}
