import { mysqlNames, quoteMysqlGrantee, quoteMysqlIdent, quoteMysqlQualified } from "../../src/engine/mysql/index.js";
import type { Model } from "../../src/model/ir.js";
import type { MysqlSession } from "../../src/engine/mysql/index.js";

/** Creates a program's databases, tables and views on MySQL/MariaDB, so its script has something to grant on. */
export async function createMysqlObjects(admin: MysqlSession, model: Model): Promise<void> {
  for (const schema of new Set(model.objects.map((o) => o.schema))) await admin.query(`CREATE DATABASE ${quoteMysqlIdent(schema)}`);
  for (const o of model.objects) {
    const columns = o.columns.map((c) => `${quoteMysqlIdent(c)} VARCHAR(8)`).join(", ");
    if (o.kind === "table") await admin.query(`CREATE TABLE ${quoteMysqlQualified(o.schema, o.name)} (${columns})`);
  }
  for (const o of model.objects.filter((o) => o.kind === "view")) {
    const table = model.objects.find((t) => t.schema === o.schema && t.kind === "table" && !t.appendOnly)!;
    await admin.query(`CREATE VIEW ${quoteMysqlQualified(o.schema, o.name)} AS SELECT ${o.columns.map(quoteMysqlIdent).join(", ")} FROM ${quoteMysqlQualified(table.schema, table.name)}`);
  }
}

/**
 * Drops the program's databases and principals. The principals are found in the grant tables
 * rather than named: a script run by the mariadb client may have created them with a CRLF
 * turned into LF, and MariaDB cuts a trailing space off, so a DROP by the declared name would
 * miss them. A database name the server refuses cannot exist, so its DROP failing is ignored.
 */
export async function dropMysqlProgram(admin: MysqlSession, model: Model): Promise<void> {
  for (const schema of new Set(model.objects.map((o) => o.schema))) await admin.query(`DROP DATABASE IF EXISTS ${quoteMysqlIdent(schema)}`).catch(() => undefined);
  const withoutCr = (name: string) => name.replaceAll("\r", "").replace(/ +$/, "");
  const names = new Set(model.roles.flatMap((r) => [r.name, `rolec_login_${r.name}`]).map(withoutCr));
  const principals = await admin.query<{ User: string; Host: string; is_role: string }>("SELECT User, Host, is_role FROM mysql.user");
  for (const p of principals.filter((p) => names.has(withoutCr(p.User)))) {
    await admin.query(p.is_role === "Y" ? `DROP ROLE ${quoteMysqlIdent(p.User)}` : `DROP USER ${quoteMysqlIdent(p.User)}@${quoteMysqlIdent(p.Host)}`);
  }
  // The account the script defines append-only triggers with.
  await admin.query(`DROP USER IF EXISTS ${quoteMysqlGrantee(mysqlNames.definer.name, mysqlNames.definer.host)}`);
  await admin.query("DROP DATABASE IF EXISTS rcanary");
  await admin.query("DROP DATABASE IF EXISTS rolec");
}
