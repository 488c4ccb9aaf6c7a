import type { Engine } from "../engine.js";
import { mysqlCapabilities } from "./capabilities.js";
import { planMysqlMigration } from "./migration-plan.js";
import { mysqlCommentText } from "./quote.js";
import { renderMysql } from "./script/render-mysql.js";
import { reloadGrantTables } from "./statements.js";

/**
 * MySQL and MariaDB: one compiled script and one planner for both; a migration, which has no
 * server to ask, is written for the one its target names. Drivers load on first use.
 */
export const mysqlEngine: Engine = {
  name: "mysql",
  title: "MySQL/MariaDB",
  capabilities: mysqlCapabilities,
  scriptFile: "mysql.sql",
  renderScript: (model) => [renderMysql(model)],
  async connect(connection) {
    const { openMysqlLive } = await import("./live-session.js");
    return openMysqlLive(connection);
  },
  async pull(connection, schemas) {
    const { pullMysqlServer } = await import("./catalog/pull-mysql.js");
    return pullMysqlServer(connection, schemas);
  },
  async verify(model, options) {
    const { verifyMysqlCommand } = await import("./verify/verify-mysql.js");
    return verifyMysqlCommand(model, options);
  },
  migrations: {
    plan: (previous, current, target, options) => planMysqlMigration(previous, current, target === "mariadb", options),
    transactional: false,
    howToRun: "Run it as root. MySQL commits each statement as it runs: everything that grants comes before anything that revokes.",
    preamble: () => [],
    closing: reloadGrantTables,
    commentText: mysqlCommentText,
  },
};
