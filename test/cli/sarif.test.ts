import test from "ava";
import { spawnSync } from "node:child_process";
import { accessSync, constants, copyFileSync, chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { rolec, tempDir } from "../helpers/cli.js";

// rolec check --format sarif against SARIF 2.1.0 itself: the OASIS schema as Microsoft's SARIF
// SDK ships it, read by ajv, and the SDK's own validator (Sarif.Multitool validate), which also
// applies the standard's rules that a schema cannot say.
const require = createRequire(import.meta.url);
const sdk = path.dirname(require.resolve("@microsoft/sarif-multitool-linux/package.json"));
const schema = JSON.parse(readFileSync(path.join(sdk, "sarif-2.1.0.json"), "utf8")) as object;

/** The SDK's validator, made executable in a folder of its own when the install left it without the bit. */
function multitool(): string {
  const shipped = path.join(sdk, "Sarif.Multitool");
  try {
    accessSync(shipped, constants.X_OK);
    return shipped;
  } catch {
    const copy = path.join(tempDir(), "Sarif.Multitool");
    copyFileSync(shipped, copy);
    chmodSync(copy, 0o755);
    return copy;
  }
}

/** A program with errors, warnings, a note, a lint and related places, in a folder and file whose names need escaping in a URI. */
function hostileProject(): string {
  const dir = path.join(tempDir(), "my roles");
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, "bad #1 é.roles"),
    'schema s {\n  table t (a, b sensitive)\n  table t (x)\n  append_only table log (id)\n}\nrole r { select on s.t }\nrole q login { member of r\n  insert on s.t\n  select (c) on s.t }\nrole "x\\u202e" { all on s.log }\n',
  );
  return dir;
}

test("check --format sarif is a SARIF 2.1.0 log that the schema and the SARIF SDK's validator accept", async (t) => {
  const dir = hostileProject();
  const r = await rolec(["check", dir, "--format", "sarif"], { cwd: path.dirname(dir) });
  t.is(r.code, 1, "errors still fail the check");
  t.is(r.stderr, "");
  const log = JSON.parse(r.stdout) as { version: string; runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[]; relatedLocations?: unknown[] }[] }[] };
  const validate = new Ajv2020.default({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
  t.true(validate(log), JSON.stringify(validate.errors, null, 1));
  const run = log.runs[0]!;
  const json = JSON.parse((await rolec(["check", dir, "--format", "json"], { cwd: path.dirname(dir) })).stdout) as { diagnostics: { code: string; line: number; severity: string }[] };
  t.deepEqual(
    run.results.map((x) => [x.ruleId, x.locations[0]!.physicalLocation.region.startLine, x.level]),
    json.diagnostics.map((d) => [d.code, d.line, d.severity === "info" ? "note" : d.severity]),
  );
  t.true(run.results.some((x) => x.level === "error") && run.results.some((x) => x.level === "warning") && run.results.some((x) => x.level === "note"));
  t.true(run.results.some((x) => x.relatedLocations !== undefined), "related places become related locations");
  for (const x of run.results) t.is(run.tool.driver.rules[x.ruleIndex]!.id, x.ruleId);
  t.is(run.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri, "my%20roles/bad%20%231%20%C3%A9.roles");

  const file = path.join(tempDir(), "rolec.sarif");
  writeFileSync(file, r.stdout);
  const out = path.join(tempDir(), "validation.sarif");
  const checked = spawnSync(multitool(), ["validate", file, "--output", out, "--quiet"], { encoding: "utf8", env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: "1" } });
  t.is(checked.status, 0, checked.stdout + checked.stderr);
  const findings = (JSON.parse(readFileSync(out, "utf8")) as { runs: { results?: { ruleId: string; level?: string }[] }[] }).runs[0]!.results ?? [];
  // Only SARIF2005 (the tool names no web page) may remain, and it is a warning.
  t.deepEqual(findings.filter((f) => f.ruleId !== "SARIF2005"), []);
  t.true(findings.every((f) => (f.level ?? "warning") !== "error"));
});

test("a source outside the working directory is a file:// URI with no base, and a backslash in a file name stays in its segment", async (t) => {
  const dir = path.join(tempDir(), "back\\slash");
  mkdirSync(dir);
  writeFileSync(path.join(dir, "a\\b.roles"), "role r { select on s.t }\n");
  const r = await rolec(["check", dir, "--format", "sarif"], { cwd: tempDir() });
  const location = (JSON.parse(r.stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }[] }[] }[] }).runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation;
  t.regex(location.uri, /^file:\/\/\/tmp\/.*\/back%5Cslash\/a%5Cb\.roles$/);
  t.is(location.uriBaseId, undefined);
});

test("check --format sarif on a clean program is a log with no results and exit 0", async (t) => {
  const r = await rolec(["check", "examples/blog", "--format", "sarif"]);
  t.is(r.code, 0, r.stderr);
  const log = JSON.parse(r.stdout) as { runs: { results: unknown[] }[] };
  t.deepEqual(log.runs[0]!.results, []);
});
