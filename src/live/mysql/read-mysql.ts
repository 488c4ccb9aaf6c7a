import type { MysqlSession } from "../../verify/mysql/mysql-session.js";
import { sortState, type MembershipFact, type PrivilegeFact, type RoleState } from "../permission-state.js";
import type { LiveObject, LiveTrigger } from "../live-database.js";

/** An account or role as MySQL names it: roles have host '' on MariaDB and '%' on MySQL 8. */
export interface MysqlPrincipal {
  readonly user: string;
  readonly host: string;
  readonly isRole: boolean;
  readonly defaultRole: string | null;
  readonly maxUserConnections: number;
}

/** Database-wide and global grants reach every table they cover, audit tables included. */
export interface WideGrant {
  readonly user: string;
  readonly host: string;
  /** Null: global (`*.*`). */
  readonly database: string | null;
  readonly privileges: readonly string[];
  readonly grantOption: boolean;
}

export interface MysqlLive {
  readonly mariadb: boolean;
  readonly principals: readonly MysqlPrincipal[];
  /** Role grants: `parent` granted to the account or role `child`@`childHost`. */
  readonly edges: readonly (MembershipFact & { readonly childHost: string })[];
  /** Table and column privileges; grantee is `user`, its host in `granteeHost`. */
  readonly privileges: readonly (PrivilegeFact & { readonly granteeHost: string })[];
  readonly wide: readonly WideGrant[];
  readonly objects: readonly LiveObject[];
  readonly queries: number;
}

const tablePrivileges: Record<string, string> = {
  Select: "select",
  Insert: "insert",
  Update: "update",
  Delete: "delete",
  Create: "create",
  Drop: "drop",
  References: "references",
  Index: "index",
  Alter: "alter",
  "Create View": "create view",
  "Show view": "show view",
  Trigger: "trigger",
  "Delete versioning rows": "delete history",
};
const globalColumns = [
  "Select", "Insert", "Update", "Delete", "Create", "Drop", "Reload", "Shutdown", "Process", "File", "References", "Index", "Alter",
  "Show_db", "Super", "Create_tmp_table", "Lock_tables", "Execute", "Repl_slave", "Repl_client", "Create_view", "Show_view",
  "Create_routine", "Alter_routine", "Create_user", "Event", "Trigger",
];

/**
 * Reads a MySQL 8 or MariaDB server's accounts, roles, role grants and default roles, and the
 * table and column privileges on the databases named, from the grant tables themselves, in a
 * fixed number of queries. Database-wide and global grants are read too: they cannot be revoked
 * per table, so a plan reports and revokes them whole.
 */
export async function readMysql(session: MysqlSession, databases: readonly string[], triggerPrefix: string): Promise<MysqlLive> {
  const dbs = [...databases, "\u0000"];
  const [{ v }] = (await session.query<{ v: string }>("SELECT VERSION() AS v")) as [{ v: string }];
  const mariadb = v.includes("MariaDB");
  const principals = mariadb
    ? await session.query<{ user: string; host: string; is_role: string; default_role: string; max_user_connections: number }>(
        "SELECT User AS user, Host AS host, is_role, default_role, max_user_connections FROM mysql.user",
      )
    : await session.query<{ user: string; host: string; is_role: string; default_role: string | null; max_user_connections: number }>(
        `SELECT u.User AS user, u.Host AS host, IF(u.account_locked = 'Y' AND u.authentication_string = '', 'Y', 'N') AS is_role,
                (SELECT MIN(d.DEFAULT_ROLE_USER) FROM mysql.default_roles d WHERE d.USER = u.User AND d.HOST = u.Host) AS default_role,
                u.max_user_connections FROM mysql.user u`,
      );
  const edges = await session.query<{ parent: string; child: string; host: string; admin: number }>(
    mariadb
      ? "SELECT Role AS parent, User AS child, Host AS host, Admin_option = 'Y' AS admin FROM mysql.roles_mapping"
      : "SELECT FROM_USER AS parent, TO_USER AS child, TO_HOST AS host, WITH_ADMIN_OPTION = 'Y' AS admin FROM mysql.role_edges",
  );
  const tables = await session.query<{ User: string; Host: string; Db: string; Table_name: string; Table_priv: string }>(
    "SELECT User, Host, Db, Table_name, Table_priv FROM mysql.tables_priv WHERE Db IN (?)",
    [dbs],
  );
  const columns = await session.query<{ User: string; Host: string; Db: string; Table_name: string; Column_name: string; Column_priv: string }>(
    "SELECT User, Host, Db, Table_name, Column_name, Column_priv FROM mysql.columns_priv WHERE Db IN (?)",
    [dbs],
  );
  const dbGrants = await session.query<Record<string, string>>("SELECT * FROM mysql.db WHERE Db IN (?)", [dbs]);
  const globals = await session.query<Record<string, string>>(
    `SELECT User, Host, Grant_priv, ${globalColumns.map((c) => `${c}_priv`).join(", ")} FROM mysql.user`,
  );
  const objectRows = await session.query<{ db: string; name: string; type: string; columns: string | string[] | null }>(
    `SELECT t.TABLE_SCHEMA AS db, t.TABLE_NAME AS name, t.TABLE_TYPE AS type,
            (SELECT JSON_ARRAYAGG(c.COLUMN_NAME) FROM (SELECT COLUMN_NAME FROM information_schema.COLUMNS c2
               WHERE c2.TABLE_SCHEMA = t.TABLE_SCHEMA AND c2.TABLE_NAME = t.TABLE_NAME ORDER BY c2.ORDINAL_POSITION) c) AS columns
     FROM information_schema.TABLES t WHERE t.TABLE_SCHEMA IN (?)`,
    [dbs],
  );
  const triggerRows = await session.query<{ db: string; name: string; trigger: string; definer: string; event: string }>(
    `SELECT EVENT_OBJECT_SCHEMA AS db, EVENT_OBJECT_TABLE AS name, TRIGGER_NAME AS \`trigger\`, DEFINER AS definer, EVENT_MANIPULATION AS event
     FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA IN (?) AND TRIGGER_NAME LIKE ?`,
    [dbs, `${triggerPrefix}%`],
  );

  const objects: LiveObject[] = objectRows.map((o) => {
    const cols = typeof o.columns === "string" ? (JSON.parse(o.columns) as string[]) : (o.columns ?? []);
    const triggers: LiveTrigger[] = triggerRows
      .filter((t) => t.db === o.db && t.name === o.name)
      .map((t) => ({ name: t.trigger, enabled: "always", function: t.event, functionOwner: t.definer }));
    return { schema: o.db, name: o.name, kind: o.type === "VIEW" ? "view" : "table", owner: "", columns: cols, parent: null, isPartition: false, triggers };
  });
  const kindOf = new Map(objects.map((o) => [`${o.schema}\u0000${o.name}`, o.kind]));

  const privileges: (PrivilegeFact & { granteeHost: string })[] = [];
  for (const t of tables) {
    const privs = t.Table_priv.split(",").filter(Boolean);
    const grantable = privs.includes("Grant");
    for (const p of privs) {
      const verb = tablePrivileges[p];
      if (!verb) continue;
      privileges.push({ grantee: t.User, granteeHost: t.Host, schema: t.Db, name: t.Table_name, kind: kindOf.get(`${t.Db}\u0000${t.Table_name}`) ?? "table", verb: verb as PrivilegeFact["verb"], column: null, grantable });
    }
  }
  for (const c of columns) {
    for (const p of c.Column_priv.split(",").filter(Boolean)) {
      const verb = tablePrivileges[p];
      if (!verb) continue;
      privileges.push({ grantee: c.User, granteeHost: c.Host, schema: c.Db, name: c.Table_name, kind: kindOf.get(`${c.Db}\u0000${c.Table_name}`) ?? "table", verb: verb as PrivilegeFact["verb"], column: c.Column_name, grantable: false });
    }
  }
  const wide: WideGrant[] = [];
  for (const d of dbGrants) {
    const held = Object.keys(d).filter((k) => k.endsWith("_priv") && k !== "Grant_priv" && d[k] === "Y").map((k) => k.slice(0, -5).replaceAll("_", " ").toUpperCase());
    if (held.length > 0 || d.Grant_priv === "Y") wide.push({ user: d.User!, host: d.Host!, database: d.Db!, privileges: held, grantOption: d.Grant_priv === "Y" });
  }
  for (const g of globals) {
    const held = globalColumns.filter((c) => g[`${c}_priv`] === "Y").map((c) => c.replaceAll("_", " ").toUpperCase());
    if (held.length > 0 || g.Grant_priv === "Y") wide.push({ user: g.User!, host: g.Host!, database: null, privileges: held, grantOption: g.Grant_priv === "Y" });
  }
  const sorted = sortState({
    roles: [] as RoleState[],
    memberships: edges.map((e) => ({ parent: e.parent, child: e.child, admin: Number(e.admin) === 1, inherit: true, childHost: e.host })),
    privileges,
    schemaPrivileges: [],
  });
  return {
    mariadb,
    principals: principals.map((p) => ({ user: p.user, host: p.host, isRole: p.is_role === "Y", defaultRole: p.default_role || null, maxUserConnections: Number(p.max_user_connections) })),
    edges: sorted.memberships as MysqlLive["edges"],
    privileges: sorted.privileges as MysqlLive["privileges"],
    wide,
    objects,
    queries: 10,
  };
}
