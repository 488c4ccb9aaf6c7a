import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describeFsError } from "../diagnostics/fs-error.js";
import { InputError } from "../diagnostics/input-error.js";
import { hasRecordedState } from "./recorded-state.js";

/**
 * File names the common migration runners accept. The version is a UTC timestamp
 * (YYYYMMDDHHMMSS), so files sort by name in the order they were written.
 */
export type MigrationLayout = "golang-migrate" | "flyway" | "dbmate" | "plain";
export const migrationLayouts: readonly MigrationLayout[] = ["golang-migrate", "flyway", "dbmate", "plain"];

export function migrationFileName(layout: MigrationLayout, version: string, name: string): string {
  switch (layout) {
    case "golang-migrate":
      return `${version}_${name}.up.sql`;
    case "flyway":
      return `V${version}__${name}.sql`;
    case "dbmate":
    case "plain":
      return `${version}_${name}.sql`;
  }
}

/** The version in a migration file's name, whatever the layout; undefined for other files. */
export function versionOf(fileName: string): string | undefined {
  return /^V?(\d+)_.*\.sql$/.exec(fileName)?.[1];
}

/** A migration name as every runner takes it: lower case letters, digits and underscores. */
export function migrationName(name: string): string {
  const cleaned = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (cleaned === "") throw new InputError(`--name ${JSON.stringify(name)} has no letters or digits to name a migration file with`);
  return cleaned.slice(0, 80);
}

export interface ExistingMigration {
  readonly file: string;
  readonly version: string;
  readonly text: string;
}

/**
 * The migrations in `dir` that rolec wrote (they hold a recorded state), oldest first. Other
 * files, such as a team's own schema migrations, may share the folder and are left alone. A
 * missing folder holds none.
 */
export async function rolecMigrations(dir: string): Promise<ExistingMigration[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new InputError(`cannot read ${JSON.stringify(dir)}: ${describeFsError(error as NodeJS.ErrnoException)}`);
  }
  const found: ExistingMigration[] = [];
  for (const name of names.sort()) {
    const version = versionOf(name);
    if (version === undefined) continue;
    const file = path.join(dir, name);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      throw new InputError(`cannot read ${JSON.stringify(file)}: ${describeFsError(error as NodeJS.ErrnoException)}`);
    }
    if (hasRecordedState(text)) found.push({ file, version, text });
  }
  return found.sort((a, b) => compareVersions(a.version, b.version) || (a.file < b.file ? -1 : 1));
}

function compareVersions(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The next version: now (or SOURCE_DATE_EPOCH, for reproducible output), but always after the
 * newest migration, so a clock that is behind never writes a file that sorts before it.
 */
export function nextVersion(newest: string | undefined, now: Date): string {
  let at = now;
  if (newest !== undefined && /^\d{14}$/.test(newest)) {
    const previous = new Date(Date.UTC(+newest.slice(0, 4), +newest.slice(4, 6) - 1, +newest.slice(6, 8), +newest.slice(8, 10), +newest.slice(10, 12), +newest.slice(12, 14)));
    if (at.getTime() <= previous.getTime()) at = new Date(previous.getTime() + 1000);
  }
  const version = at.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  if (newest !== undefined && compareVersions(version, newest) <= 0) {
    throw new InputError(`the newest migration's version ${newest} is not a timestamp rolec can follow; name the next one by hand`);
  }
  return version;
}

/** The clock a migration is stamped with: SOURCE_DATE_EPOCH (seconds) when set, as for reproducible builds. */
export function migrationClock(): Date {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === "") return new Date();
  if (!/^\d+$/.test(epoch)) throw new InputError(`SOURCE_DATE_EPOCH must be a whole number of seconds, not ${JSON.stringify(epoch)}`);
  return new Date(Number(epoch) * 1000);
}
