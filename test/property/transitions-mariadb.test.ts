import test from "ava";
import { connectMysql } from "../../src/engine/mysql/index.js";
import { openMysql } from "../../src/engine/mysql/index.js";
import { serverUrl, withMysqlLock } from "../helpers/databases.js";
import { mysqlClient } from "../helpers/mysql-client.js";
import { dropByPrefix, mysqlTransition } from "./transitions/mysql-transition.js";
import { checkTransitions, runRolePrefix, runSchemaPrefix } from "./transitions/run-property.js";

// Transitions on MariaDB: apply A, drift by hand, B's plan run statement by statement (checking
// after each that nothing A and B both grant was lost), and the migrations for A then B run by
// the mariadb client; each must leave exactly what the reference evaluator says B allows, and an
// empty plan. Accounts and roles are server-wide: the case's are dropped around it, and a sweep
// drops everything this run made, whatever happened.
const url = serverUrl("ROLEC_TEST_MYSQL_URL");
const serverTest = url && mysqlClient ? test.serial : test.serial.skip;

serverTest("MariaDB: from A with drift to B, by apply statement by statement and by migrations through the mariadb client, the server enforces exactly what B says", async (t) => {
  await withMysqlLock(url!, async () => {
    const root = await connectMysql(url!, "the test server");
    const checker = await openMysql(url!);
    try {
      await checkTransitions(t, "MariaDB", "mysql", (tc, caseSeed) => mysqlTransition(tc, { url: url!, root, checker, probes: 16 }, caseSeed));
    } finally {
      await dropByPrefix(root, runRolePrefix, runSchemaPrefix).catch(() => undefined);
      await checker.close();
      await root.close();
    }
  });
});
