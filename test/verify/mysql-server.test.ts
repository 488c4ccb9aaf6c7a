import test from "ava";
import { quoteMysqlQualified, renderMysql } from "../../src/emit/index.js";
import { openMysql, runMysqlScript, verified, verifyMysql } from "../../src/verify/index.js";
import { serverUrl, withMysqlLock } from "../helpers/databases.js";
import { exampleNames, exampleProgram, programOf } from "../helpers/program.js";

// The MySQL/MariaDB script proven on the server (ROLEC_TEST_MYSQL_URL): applied twice to scratch
// databases, then every account (and a probe account per role, holding it as its default role)
// runs a real SELECT, INSERT and UPDATE per column and a DELETE per object.
const url = serverUrl("ROLEC_TEST_MYSQL_URL");
const serverTest = url ? test.serial : test.skip;

for (const name of exampleNames) {
  serverTest(`the MySQL script of example ${name} verifies on the MySQL/MariaDB server, applied twice`, async (t) => {
    const program = await exampleProgram(name, { databases: ["mysql"] });
    const report = await withMysqlLock(url!, () => verifyMysql(program.model, url!));
    t.true(verified(report), JSON.stringify(report, null, 1).slice(0, 3000));
    t.true(report.statementChecks > 100);
  });
}

const program = programOf(
  `schema s {
  table customers (id, email, ssn)
  append_only table log (id, actor, what)
}
role reader { select on s.customers except s.customers(ssn) }
role app login {
  member of reader
  insert on s.log
  update (email) on s.customers
}
role auditor login { select on s.log }
role writer { member of reader
  insert on s.customers }
`,
  { databases: ["mysql"] },
);

serverTest("the untouched script of a test program verifies", async (t) => {
  const report = await withMysqlLock(url!, () => verifyMysql(program.model, url!));
  t.true(verified(report), JSON.stringify(report, null, 1).slice(0, 3000));
});

serverTest("an extra grant is caught, for the role and for the account that holds it by default", async (t) => {
  const report = await withMysqlLock(url!, () =>
    verifyMysql(program.model, url!, { transformScript: (s, db) => `${s}\nGRANT SELECT (\`ssn\`) ON ${quoteMysqlQualified(db.s!, "customers")} TO \`reader\`;\n` }),
  );
  const ssn = report.mismatches.filter((m) => m.verb === "select" && m.column === "ssn");
  t.deepEqual(ssn.map((m) => `${m.role} ${m.actual}`).sort(), ["app allowed", "reader allowed", "writer allowed"]);
});

serverTest("a missing grant is caught", async (t) => {
  const report = await withMysqlLock(url!, () =>
    verifyMysql(program.model, url!, { transformScript: (s) => s.replace(/^GRANT INSERT ON .*`log` TO .*;$/m, "") }),
  );
  t.true(report.mismatches.some((m) => m.role === "app" && m.verb === "insert" && m.object === "s.log" && m.actual === "denied"), JSON.stringify(report.mismatches));
});

serverTest("a dropped append-only trigger is caught, and root's DELETE then goes through", async (t) => {
  const report = await withMysqlLock(url!, () =>
    verifyMysql(program.model, url!, { transformScript: (s, db) => `${s}\nDROP TRIGGER ${quoteMysqlQualified(db.s!, "rolec_append_only_delete_log")};\n` }),
  );
  t.deepEqual(
    report.appendOnlyMismatches.map((m) => `${m.table} ${m.what} ${m.actual}`),
    ["s.log BEFORE DELETE trigger missing", "s.log DELETE by root allowed"],
  );
});

serverTest("the script converges drift: database-wide, global, extra column and table grants, grant options and memberships", async (t) => {
  const drift = (db: string) => `
    CREATE ROLE IF NOT EXISTS \`rolec_test_extra\`;
    GRANT SELECT ON ${quoteMysqlQualified(db, "customers")} TO \`rolec_test_extra\`;
    GRANT \`rolec_test_extra\` TO \`reader\` WITH ADMIN OPTION;
    GRANT \`writer\` TO \`app\`@\`%\`;
    GRANT \`reader\` TO \`auditor\`@\`%\` WITH ADMIN OPTION;
    GRANT \`reader\` TO \`writer\` WITH ADMIN OPTION;
    GRANT ALL PRIVILEGES ON \`${db}\`.* TO \`app\`@\`%\` WITH GRANT OPTION;
    GRANT PROCESS, SELECT ON *.* TO \`auditor\`@\`%\`;
    GRANT SELECT (\`ssn\`), UPDATE (\`ssn\`) ON ${quoteMysqlQualified(db, "customers")} TO \`writer\`;
    GRANT DELETE, DROP, ALTER ON ${quoteMysqlQualified(db, "log")} TO \`reader\` WITH GRANT OPTION;
    SET DEFAULT ROLE NONE FOR \`app\`@\`%\`;
    GRANT SELECT ON ${quoteMysqlQualified(db, "customers")} TO PUBLIC;
    GRANT INSERT ON \`${db}\`.* TO PUBLIC;
  `;
  try {
    const drifted = await withMysqlLock(url!, () => verifyMysql(program.model, url!, { transformScript: (s, db) => s + drift(db.s!) }));
    const found = drifted.roleMismatches.map((m) => `${m.role} ${m.what}`);
    for (const expected of [
      "reader member of rolec_test_extra",
      "app member of writer",
      "writer admin option on reader",
      "auditor member of reader",
      "app database-wide grant on s",
      "auditor global privileges",
      "reader DELETE on s.log",
      "reader DROP on s.log",
      "reader ALTER on s.log",
      "reader GRANT on s.log",
      "PUBLIC SELECT on s.customers",
      "PUBLIC database-wide grant on s",
    ]) {
      t.true(found.includes(expected), `${expected} is reported: ${found.join("; ")}`);
    }
    t.true(drifted.mismatches.some((m) => m.role === "writer" && m.column === "ssn"), "the extra column grant is probed");
    const report = await withMysqlLock(url!, () => verifyMysql(program.model, url!, { transformScript: (s, db) => s + drift(db.s!) + s }));
    t.true(verified(report), JSON.stringify(report, null, 1).slice(0, 3000));
  } finally {
    const admin = await openMysql(url!);
    await admin.query("DROP ROLE IF EXISTS `rolec_test_extra`").finally(() => admin.close());
  }
});

serverTest("a script stopped halfway and run again ends exactly where one full run does", async (t) => {
  const sections = ["-- Roles and accounts", "-- Memberships", "-- Object privileges", "-- Append-only tables", "-- Now that everything"];
  for (const section of sections) {
    const report = await withMysqlLock(url!, () =>
      verifyMysql(program.model, url!, { transformScript: (s) => `${s.slice(0, s.indexOf(section))}\n${s}` }),
    );
    t.true(verified(report), `stopped before "${section}": ${JSON.stringify(report, null, 1).slice(0, 2000)}`);
  }
});

serverTest("the script stops before changing anything when a declared table is missing", async (t) => {
  const report = await withMysqlLock(url!, () =>
    verifyMysql(program.model, url!, { transformScript: (s, db) => `DROP TABLE ${quoteMysqlQualified(db.s!, "customers")};\n${s}` }),
  );
  t.regex(report.scriptError ?? "", /the \.roles files declare tables or views that do not exist: rolec_verify_\w+\.customers/);
});

serverTest("the script refuses a foreign key that would cascade into an append-only table", async (t) => {
  const report = await withMysqlLock(url!, () =>
    verifyMysql(program.model, url!, {
      transformScript: (s, db) => `SET SESSION foreign_key_checks = 0;
CREATE TABLE ${quoteMysqlQualified(db.s!, "people")} (name VARCHAR(64) PRIMARY KEY);
ALTER TABLE ${quoteMysqlQualified(db.s!, "log")} ADD CONSTRAINT \`log_actor\` FOREIGN KEY (\`actor\`) REFERENCES ${quoteMysqlQualified(db.s!, "people")} (name) ON DELETE CASCADE;
SET SESSION foreign_key_checks = 1;
${s}`,
    }),
  );
  t.regex(report.scriptError ?? "", /foreign keys would change append-only tables without firing their triggers: log_actor on rolec_verify_\w+\.log \(ON DELETE CASCADE, ON UPDATE RESTRICT\)/);
});

// Names built to break naive SQL generation on MySQL: quotes of every kind, backticks,
// backslashes, comment and statement separators, unicode and bidi marks, reserved words, 63-byte
// names. The schema is a real database of that name; a canary table must survive.
const hostileSchema = "app'; DROP TABLE rolec_canary.alive; --";
const hostileTables = ["a`b", "select", "has space", "ünïcödé", "\u202eevil", "x".repeat(63), "back\\slash"];
const hostileColumns = ["c`1", "--", "/* c */", "back\\slash", "user", "q'uote", 'dq"uote'];
const hostileRoles = ["Robert'); DROP USER root;--", "b`tick", "MixedCase", "ß".repeat(31) + "a"];
const hostileSource = `schema ${fmt(hostileSchema)} {
${hostileTables.map((n) => `  table ${fmt(n)} (${hostileColumns.map(fmt).join(", ")})`).join("\n")}
  append_only table ${fmt("log'; --")} (${hostileColumns.map(fmt).join(", ")})
}
role ${fmt(hostileRoles[0]!)} {
  select on ${fmt(hostileSchema)}.* except ${fmt(hostileSchema)}.${fmt(hostileTables[0]!)}(${fmt(hostileColumns[1]!)})
}
role ${fmt(hostileRoles[1]!)} login host "local\`host'" {
  member of ${fmt(hostileRoles[0]!)}
  insert (${fmt(hostileColumns[0]!)}) on ${fmt(hostileSchema)}.${fmt(hostileTables[1]!)}
  insert on ${fmt(hostileSchema)}.${fmt("log'; --")}
}
role ${fmt(hostileRoles[2]!)} login { member of ${fmt(hostileRoles[0]!)} }
role ${fmt(hostileRoles[3]!)} { update (${fmt(hostileColumns[3]!)}) on ${fmt(hostileSchema)}.${fmt(hostileTables[6]!)} }
`;

function fmt(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

serverTest("hostile names compile to a MySQL script that creates and grants exactly those names", async (t) => {
  const hostile = programOf(hostileSource, { databases: ["mysql"] });
  t.deepEqual(hostile.diagnostics.filter((d) => d.severity === "error"), []);
  await withMysqlLock(url!, async () => {
    const admin = await openMysql(url!);
    const q = (n: string) => `\`${n.replaceAll("`", "``")}\``;
    try {
      await admin.query("CREATE DATABASE IF NOT EXISTS rolec_canary");
      await admin.query("CREATE TABLE IF NOT EXISTS rolec_canary.alive (x INT)");
      await admin.query(`DROP DATABASE IF EXISTS ${q(hostileSchema)}`);
      await admin.query(`CREATE DATABASE ${q(hostileSchema)}`);
      for (const table of [...hostileTables, "log'; --"]) {
        await admin.query(`CREATE TABLE ${q(hostileSchema)}.${q(table)} (${hostileColumns.map((c) => `${q(c)} VARCHAR(8)`).join(", ")})`);
      }
      const script = renderMysql(hostile.model);
      await runMysqlScript(script, admin);
      await runMysqlScript(script, admin);
      t.deepEqual(await admin.query("SELECT COUNT(*) AS n FROM rolec_canary.alive"), [{ n: 0 }], "the canary table is still there");
      const users = await admin.query<{ User: string; Host: string }>("SELECT User, Host FROM mysql.user WHERE User IN (?) ORDER BY User, Host", [hostileRoles]);
      t.deepEqual(
        users.map((u) => `${u.User}@${u.Host}`),
        [`${hostileRoles[2]}@%`, `${hostileRoles[0]}@`, `${hostileRoles[1]}@local\`host'`, `${hostileRoles[3]}@`].sort(),
      );
      const columns = await admin.query<{ User: string; Table_name: string; Column_name: string; Column_priv: string }>(
        "SELECT User, Table_name, Column_name, Column_priv FROM mysql.columns_priv WHERE Db = ? ORDER BY User, Table_name, Column_name",
        [hostileSchema],
      );
      t.true(columns.some((c) => c.User === hostileRoles[3] && c.Table_name === "back\\slash" && c.Column_name === "back\\slash" && c.Column_priv === "Update"));
      t.true(columns.some((c) => c.User === hostileRoles[1] && c.Table_name === "select" && c.Column_name === "c`1" && c.Column_priv === "Insert"));
      t.false(columns.some((c) => c.User === hostileRoles[0] && c.Table_name === "a`b" && c.Column_name === "--"), "the excluded column is not granted");
      const triggers = await admin.query<{ TRIGGER_NAME: string }>("SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = ? ORDER BY 1", [hostileSchema]);
      t.deepEqual(triggers.map((r) => r.TRIGGER_NAME), ["rolec_append_only_delete_log'; --", "rolec_append_only_update_log'; --"]);
      await admin.query(`INSERT INTO ${q(hostileSchema)}.${q("log'; --")} (${q("user")}) VALUES ('row')`);
      const refused = await admin.query(`DELETE FROM ${q(hostileSchema)}.${q("log'; --")}`).then(() => undefined, (e: { sqlState?: string; message?: string }) => e);
      t.is(refused?.sqlState, "45000");
      t.true(refused?.message?.includes(`${hostileSchema}.log'; --`));
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${q(hostileSchema)}`);
      await admin.query("DROP DATABASE IF EXISTS rolec_canary");
      for (const role of hostile.model.roles) {
        await admin.query(role.login ? `DROP USER IF EXISTS ${q(role.name)}@${q(role.host)}` : `DROP ROLE IF EXISTS ${q(role.name)}`);
        await admin.query(`DROP ROLE IF EXISTS ${q(`rolec_login_${role.name}`)}`);
      }
      await admin.query("DROP USER IF EXISTS `rolec_append_only`@`localhost`");
      await admin.query("DROP DATABASE IF EXISTS `rolec`");
      await admin.close();
    }
  });
});
