import { databaseTargets, type DatabaseTarget } from "../engine/engine-name.js";

/**
 * What compile and check take as `--target`: the databases every command names alike, and the
 * proxy's allow-list. Apart from artifacts.ts so that the command line can name them without
 * loading the emitters (`rolec --version` and `--help` load no more than they print).
 */
export const targets = [...databaseTargets, "allowlist"] as const;
export type Target = DatabaseTarget | "allowlist";

/** What `rolec compile` produces when no --target is given. */
export const defaultTargets: readonly Target[] = ["postgres", "allowlist"];
