import { existsSync } from "node:fs";
import { readRegularFile } from "./read-small-file.js";
import path from "node:path";
import { diagnosticCodes, type DiagnosticCode } from "../diagnostics/codes.js";
import type { Diagnostic, Severity } from "../diagnostics/diagnostic.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import { InputError } from "../diagnostics/input-error.js";

/** The project file that changes the severity of warnings and notes: beside the .roles files, at the program's root. */
export const configFileName = "rolec.config.json";

export type ConfiguredSeverity = Severity | "off";

export interface ProjectConfig {
  /** Where it was read from; undefined when there is none. */
  readonly path?: string;
  /** Codes whose severity the project changes. */
  readonly severity: ReadonlyMap<DiagnosticCode, ConfiguredSeverity>;
}

const choices: readonly ConfiguredSeverity[] = ["error", "warning", "info", "off"];

/**
 * Reads `rolec.config.json` from the program's root, if there is one:
 * `{ "severity": { "RC1001": "off", "RC1003": "warning", "RC0504": "error" } }`, and an optional
 * `"$comment"` saying why. Only warnings and notes may change; an error stays one, since the
 * programs it stops would not compile to what the files say. Anything else is an InputError that
 * names the file and the place.
 */
export async function loadProjectConfig(root: string): Promise<ProjectConfig> {
  const file = path.join(root, configFileName);
  const shown = path.relative(process.cwd(), file) || configFileName;
  if (!existsSync(file)) return { severity: new Map() };
  const text = readRegularFile(file, JSON.stringify(shown), 1024 * 1024).toString("utf8");
  return { path: file, severity: parseProjectConfig(text, shown) };
}

export function parseProjectConfig(text: string, shown: string): Map<DiagnosticCode, ConfiguredSeverity> {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${shown} is not JSON: ${(error as Error).message}`);
  }
  if (typeof document !== "object" || document === null || Array.isArray(document)) throw new InputError(`${shown} must hold a JSON object, such as {"severity": {"RC1001": "off"}}`);
  for (const key of Object.keys(document)) {
    if (key !== "severity" && key !== "$comment") throw new InputError(`${shown}: unknown key ${JSON.stringify(key)}${didYouMean(key, ["severity", "$comment"])}; it takes "severity" and "$comment"`);
  }
  const given = "severity" in document ? (document as { severity?: unknown }).severity : {};
  if (typeof given !== "object" || given === null || Array.isArray(given)) throw new InputError(`${shown}: "severity" must be an object of code → severity`);
  const out = new Map<DiagnosticCode, ConfiguredSeverity>();
  for (const [code, value] of Object.entries(given)) {
    if (!Object.hasOwn(diagnosticCodes, code)) throw new InputError(`${shown}: "severity"."${code}" is not a rolec code${didYouMean(code, Object.keys(diagnosticCodes))}`);
    const known = diagnosticCodes[code as DiagnosticCode];
    if (typeof value !== "string" || !(choices as readonly string[]).includes(value)) throw new InputError(`${shown}: "severity"."${code}" must be one of ${choices.join(", ")}`);
    if (known.severity === "error") throw new InputError(`${shown}: ${code} (${known.title}) is an error, and errors cannot be changed; only warnings and notes can`);
    out.set(code as DiagnosticCode, value as ConfiguredSeverity);
  }
  return out;
}

/** The diagnostics with the project's severities: changed where it says, left out where it says off. */
export function applyProjectSeverities(diagnostics: readonly Diagnostic[], config: ProjectConfig): Diagnostic[] {
  if (config.severity.size === 0) return [...diagnostics];
  return diagnostics.flatMap((d) => {
    const wanted = config.severity.get(d.code);
    if (wanted === undefined) return [d];
    return wanted === "off" ? [] : [{ ...d, severity: wanted }];
  });
}
