/** The database engines rolec writes for; each has one home, `src/engine/<name>/`. */
export type EngineName = "postgres" | "mysql";

/**
 * What `--target` names in every command that writes for or talks to a database. `mysql` and
 * `mariadb` are one engine: the compiled script and plan serve both, and a migration, which has no
 * server to ask, is written for the one named (MySQL 8 or MariaDB).
 */
export const databaseTargets = ["postgres", "mysql", "mariadb"] as const;
export type DatabaseTarget = (typeof databaseTargets)[number];

export function engineOfTarget(target: DatabaseTarget): EngineName {
  return target === "postgres" ? "postgres" : "mysql";
}
