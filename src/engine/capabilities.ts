import type { EngineCapabilities } from "./engine.js";
import type { EngineName } from "./engine-name.js";
import { mysqlCapabilities } from "./mysql/capabilities.js";

/**
 * Each engine's limits, apart from its engine record: the checker reads them on every `rolec
 * check`, which would otherwise load each engine's script renderer and templates with the record.
 */
export const engineCapabilities: Readonly<Record<EngineName, EngineCapabilities>> = { postgres: {}, mysql: mysqlCapabilities };
