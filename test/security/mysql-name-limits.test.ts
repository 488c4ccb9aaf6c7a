import test from "ava";
import { renderMysql } from "../../src/engine/mysql/index.js";
import { planOnMysql } from "../../src/engine/mysql/index.js";
import { openMysql, runMysqlScript } from "../../src/engine/mysql/index.js";
import { serverUrl, withMysqlLock } from "../helpers/databases.js";
import { programOf } from "../helpers/program.js";
import { hostileProgram } from "./hostile-name-corpus.js";
import { createMysqlObjects, dropMysqlProgram } from "./mysql-program.js";

// `check --target mysql` must refuse every name MariaDB would refuse at run time, in every place
// a name takes (database, table, view, column, role, account, host), so that a script never
// stops halfway on a name. Each candidate ends the names it is put in, so trailing characters
// stay trailing; a name the check takes must then work on the server.
const url = serverUrl("ROLEC_TEST_MYSQL_URL");
const serverTest = url ? test.serial : test.serial.skip;

const everyPlace = ["schema (a MySQL database) name", "table name", "view name", "column name", "role name", "host"];
const refusedIn: Record<string, readonly string[]> = { "trail ": everyPlace, "emoji🎉": everyPlace, "at@": ["host"] };
const refused = Object.keys(refusedIn);
const accepted = [" lead", "in ner", "nbsp\u00a0", "ideo\u3000", "a.b", "a/b", "ß", "日本", "\u202eevil", "zero\u200b", "%_", "'q", "`b", '"d'];

test("the MySQL check refuses names MariaDB refuses, in every place", (t) => {
  for (const candidate of refused) {
    const program = programOf(hostileProgram([candidate], "mysql", "").files, { databases: ["mysql"] });
    const errors = program.diagnostics.filter((d) => d.severity === "error");
    for (const place of refusedIn[candidate]!) t.true(errors.some((e) => e.message.startsWith(place)), `${JSON.stringify(candidate)} in a ${place}`);
  }
});

serverTest("every name the MySQL check takes works on the server, in every place", async (t) => {
  const program = programOf(hostileProgram(accepted, "mysql", "").files, { databases: ["mysql"] });
  t.deepEqual(program.diagnostics.filter((d) => d.severity === "error").map((d) => d.message), []);
  await withMysqlLock(url!, async () => {
    const admin = await openMysql(url!);
    try {
      await dropMysqlProgram(admin, program.model);
      await createMysqlObjects(admin, program.model);
      await runMysqlScript(renderMysql(program.model), admin);
      const after = await planOnMysql(program.model, admin);
      t.deepEqual(after.plan.changes.map((c) => `${c.kind} ${JSON.stringify(c.role)}`), []);
    } finally {
      await dropMysqlProgram(admin, program.model).catch(() => undefined);
      await admin.close();
    }
  });
});

serverTest("the names the check refuses do fail on the server, so the check is not stricter than it needs to be", async (t) => {
  await withMysqlLock(url!, async () => {
    const admin = await openMysql(url!);
    try {
      for (const candidate of refused) {
        // Rendered despite the errors: each must make the script fail, or leave the server different from the program.
        const program = programOf(hostileProgram([candidate], "mysql", "").files, { databases: ["mysql"] });
        await dropMysqlProgram(admin, program.model);
        let failed = false;
        try {
          await createMysqlObjects(admin, program.model);
          await runMysqlScript(renderMysql(program.model), admin);
          failed = (await planOnMysql(program.model, admin)).plan.changes.length > 0;
        } catch {
          failed = true;
        } finally {
          await dropMysqlProgram(admin, program.model).catch(() => undefined);
        }
        t.true(failed, JSON.stringify(candidate));
      }
    } finally {
      await admin.close();
    }
  });
});
