import { readFileSync } from "node:fs";
import { mysqlNames } from "../../../src/engine/mysql/index.js";
import { applyOnMysql, planOnMysql } from "../../../src/engine/mysql/index.js";
import type { MysqlSession } from "../../../src/engine/mysql/index.js";
import { runWithMysqlClient } from "../../helpers/mysql-client.js";
import { referenceOf, type Reference } from "../reference-evaluator.js";
import type { Transition } from "../transition-generator.js";
import { mysqlDriftStatements } from "./drift-sql.js";
import { expectNoMismatches } from "./mismatch.js";
import { mysqlPrivilegeMismatches, mysqlRoleMismatches } from "./mysql-catalog.js";
import { readGrants } from "./mysql-grant-tables.js";
import { mysqlProbeMismatches, mysqlProbes } from "./mysql-probes.js";
import { mysqlObjectsSql } from "./objects-sql.js";
import { myGrantee, myIdent } from "./quote.js";
import { applyStepByStep } from "./mysql-step-by-step.js";
import { expectEmptyPlan, modelOf, withMigrations } from "./rolec-steps.js";
import { sample } from "./run-property.js";

export interface MysqlEnvironment {
  readonly url: string;
  /** rolec's own kind of session (connectMysql), as apply uses. */
  readonly root: MysqlSession;
  /** A second connection that reads the grant tables while the first runs a plan. */
  readonly checker: MysqlSession;
  /** How many real statements to run per check. */
  readonly probes: number;
}

const yes = async () => true;

/**
 * One transition on MariaDB. Apply A, drift, then B's plan run one statement at a time as apply
 * runs it (MySQL commits each statement): after every statement, each privilege both A and B
 * grant must still be held; at the end the server enforces exactly what the reference says of B
 * and the next plan is empty. Then the migrations for A and B, run in order by the mariadb client
 * on a server without the case's accounts and databases: the same.
 */
export async function mysqlTransition(tc: Transition, env: MysqlEnvironment, caseSeed: string): Promise<void> {
  const { root } = env;
  const modelA = modelOf(tc.a, "mysql");
  const modelB = modelOf(tc.b, "mysql");
  const refA = referenceOf(tc.a, "mysql");
  const refB = referenceOf(tc.b, "mysql");
  try {
    await dropCase(root, tc);
    for (const sql of mysqlObjectsSql(tc.a, tc.baseSchema)) await root.query(sql);
    const appliedA = await applyOnMysql(modelA, root, { confirm: yes });
    if (appliedA.kind === "blocked") throw new Error(`apply A: blocked: ${appliedA.planned.plan.blockers.map((b) => b.what).join("; ")}`);
    expectNoMismatches("after apply A", mysqlPrivilegeMismatches(await readGrants(env.checker), refA));
    for (const sql of mysqlDriftStatements(tc.drift)) await root.query(sql);

    await applyStepByStep(root, env.checker, modelB, refA, refB);
    await expectEnforced("after apply B", env, refB, tc, caseSeed);
    expectEmptyPlan("plan after apply B", (await planOnMysql(modelB, root)).plan);

    await dropCase(root, tc);
    for (const sql of mysqlObjectsSql(tc.a, tc.baseSchema)) await root.query(sql);
    await withMigrations(modelA, modelB, "mariadb", async (files) => {
      for (const file of files) {
        const run = await runWithMysqlClient(env.url, readFileSync(file, "utf8"));
        if (run.status !== 0) throw new Error(`the mariadb client stopped on ${file} (exit ${run.status}): ${run.stderr}`);
      }
    });
    await expectEnforced("after the migrations for A and B", env, refB, tc, `${caseSeed}migrations`);
    expectEmptyPlan("plan after the migrations", (await planOnMysql(modelB, root)).plan);
    // apply, on what the migrations left, finds nothing to do either.
    if ((await applyOnMysql(modelB, root, { confirm: yes })).kind !== "nothing to do") throw new Error("apply after the migrations found something to do");
  } finally {
    await dropCase(root, tc);
  }
}

async function expectEnforced(step: string, env: MysqlEnvironment, reference: Reference, tc: Transition, caseSeed: string): Promise<void> {
  const g = await readGrants(env.checker);
  expectNoMismatches(`${step}, the grant tables`, [...mysqlPrivilegeMismatches(g, reference), ...mysqlRoleMismatches(g, reference)]);
  const probes = sample(mysqlProbes(reference), env.probes, caseSeed);
  expectNoMismatches(`${step}, real statements`, await mysqlProbeMismatches(env.root, env.url, reference, probes, `${tc.names.rolePrefix}probe`));
}

/** Drops every account, role and database of the case (and rolec's definer and helper database, which the case may have made). */
export async function dropCase(root: MysqlSession, tc: Pick<Transition, "names">): Promise<void> {
  await dropByPrefix(root, tc.names.rolePrefix, tc.names.schemaPrefix);
}

export async function dropByPrefix(root: MysqlSession, rolePrefix: string, schemaPrefix: string): Promise<void> {
  const principals = await root.query<{ User: string; Host: string; is_role: string }>("SELECT User, Host, is_role FROM mysql.user");
  for (const p of principals) {
    const ours = p.User.startsWith(rolePrefix) || p.User.startsWith(`${mysqlNames.loginRolePrefix}${rolePrefix}`) || (p.User === mysqlNames.definer.name && p.Host === mysqlNames.definer.host);
    if (ours) await root.query(p.is_role === "Y" ? `DROP ROLE ${myIdent(p.User)}` : `DROP USER ${myGrantee(p.User, p.Host)}`);
  }
  const databases = await root.query<{ name: string }>("SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA");
  for (const { name } of databases) {
    if (name.startsWith(schemaPrefix) || name === mysqlNames.helperDatabase) await root.query(`DROP DATABASE ${myIdent(name)}`);
  }
}
