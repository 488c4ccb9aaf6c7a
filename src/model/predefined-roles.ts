/**
 * PostgreSQL's predefined roles a declared role may be a member of (`member of pg_monitor`), and
 * those it may not, with why. Membership in the first is granted and revoked like any other; each
 * marked `warn` reaches other sessions or more of the server than a grant says, so the checker
 * asks a reviewer to confirm it (RC0205).
 */
export const predefinedRoles: ReadonlyMap<string, { readonly use: "plain" | "warn" | "refuse"; readonly why?: string }> = new Map([
  ["pg_monitor", { use: "plain" }],
  ["pg_read_all_settings", { use: "plain" }],
  ["pg_read_all_stats", { use: "plain" }],
  ["pg_stat_scan_tables", { use: "plain" }],
  ["pg_checkpoint", { use: "plain" }],
  ["pg_use_reserved_connections", { use: "plain" }],
  ["pg_signal_backend", { use: "warn", why: "cancel queries and end the sessions of every role but a superuser" }],
  ["pg_create_subscription", { use: "warn", why: "create subscriptions, which pull rows from another server into this database's tables" }],
  ["pg_read_all_data", { use: "refuse", why: "reads every table, view and sequence whatever the grants say, so the files would no longer say who can read what; grant select on schema.* instead" }],
  ["pg_write_all_data", { use: "refuse", why: "writes every table whatever the grants say, append-only tables' rows included as far as the grants go; grant the verbs on the tables instead" }],
  ["pg_read_server_files", { use: "refuse", why: "reads any file the server can, which is as good as superuser" }],
  ["pg_write_server_files", { use: "refuse", why: "writes any file the server can, which is as good as superuser" }],
  ["pg_execute_server_program", { use: "refuse", why: "runs programs on the database server, which is as good as superuser" }],
  ["pg_database_owner", { use: "refuse", why: "is held by the owner of the current database only and cannot be granted" }],
]);
