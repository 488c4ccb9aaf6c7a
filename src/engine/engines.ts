import type { Engine } from "./engine.js";
import { engineOfTarget, type DatabaseTarget, type EngineName } from "./engine-name.js";
import { mysqlEngine } from "./mysql/mysql-engine.js";
import { postgresEngine } from "./postgres/postgres-engine.js";

/** Every engine, by name: the one place that knows them all, as sqlc's engine.go does. */
export const engines: Readonly<Record<EngineName, Engine>> = { postgres: postgresEngine, mysql: mysqlEngine };

/** The engine a `--target` names. */
export function engineFor(target: DatabaseTarget): Engine {
  return engines[engineOfTarget(target)];
}
