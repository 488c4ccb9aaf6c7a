import { serverVerbOrder, type ServerVerb } from "../../model/verbs.js";

/**
 * The server privileges the language grants (`process on server`), as MySQL/MariaDB know them:
 * GRANT's keyword, the mysql.user column that shows it, and MariaDB's bit for it in
 * mysql.global_priv's access mask, where some global privileges have no column at all.
 */
export interface ServerPrivilege {
  readonly verb: ServerVerb;
  readonly keyword: string;
  readonly column: string;
  readonly mariadbBit: bigint;
}

export const serverPrivileges: readonly ServerPrivilege[] = [
  { verb: "process", keyword: "PROCESS", column: "Process_priv", mariadbBit: 1n << 8n },
  { verb: "replication_client", keyword: "REPLICATION CLIENT", column: "Repl_client_priv", mariadbBit: 1n << 20n },
  { verb: "replication_slave", keyword: "REPLICATION SLAVE", column: "Repl_slave_priv", mariadbBit: 1n << 19n },
  { verb: "show_databases", keyword: "SHOW DATABASES", column: "Show_db_priv", mariadbBit: 1n << 14n },
];

/** MariaDB's bit for GRANT OPTION, which the script and plan revoke on its own. */
export const mariadbGrantOptionBit = 1n << 10n;

export function serverPrivilegeOf(verb: ServerVerb): ServerPrivilege {
  const found = serverPrivileges.find((p) => p.verb === verb);
  if (!found) throw new Error(`bug: server verb ${JSON.stringify(verb)}`);
  return found;
}

/** In the language's order. */
export function sortServerVerbs(verbs: Iterable<ServerVerb>): ServerVerb[] {
  return [...new Set(verbs)].sort((a, b) => serverVerbOrder.indexOf(a) - serverVerbOrder.indexOf(b));
}
