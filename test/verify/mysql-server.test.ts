import test from "ava";
import { quoteMysqlQualified } from "../../src/emit/index.js";
import { openMysql, verified, verifyMysql } from "../../src/verify/index.js";
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
