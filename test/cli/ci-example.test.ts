import test from "ava";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { openPgServer } from "../../src/engine/postgres/index.js";
import { scratchSchemaSql } from "../../src/engine/postgres/verify/scratch-schema.js";
import { tempDir } from "../helpers/cli.js";
import { serverUrl, withScratchDatabase } from "../helpers/databases.js";
import { exampleProgram, repoRoot } from "../helpers/program.js";

// The CI example's workflow, its steps run as a runner would run them, on examples/shop and the
// migration shipped beside the workflow.
const url = serverUrl("ROLEC_TEST_PG_URL");
const workflow = readFileSync(path.join(repoRoot, "examples/ci/roles.yml"), "utf8");

/** Each step's `run:` script, by step name. */
function steps(): Map<string, string> {
  const found = new Map<string, string>();
  const lines = workflow.split("\n");
  let name = "";
  for (let i = 0; i < lines.length; i++) {
    const named = /^\s+- name: (.*)$/.exec(lines[i]!);
    if (named) name = named[1]!;
    const run = /^(\s+)run: (.*)$/.exec(lines[i]!);
    if (!run || !name) continue;
    if (run[2] !== "|") {
      found.set(name, run[2]!);
      continue;
    }
    const body: string[] = [];
    while (i + 1 < lines.length && (lines[i + 1]!.startsWith(`${run[1]}  `) || lines[i + 1] === "")) body.push(lines[++i]!.slice(run[1]!.length + 2));
    found.set(name, body.join("\n"));
  }
  return found;
}

/** Runs a step with bash, `npx rolec` being the built CLI. */
function runStep(script: string, env: Record<string, string>): { status: number | null; output: string } {
  const bin = tempDir();
  const npx = path.join(bin, "npx");
  writeFileSync(npx, `#!/bin/sh\n[ "$1" = rolec ] && shift\nexec "${process.execPath}" "${path.join(repoRoot, "dist/cli/rolec.js")}" "$@"\n`);
  chmodSync(npx, 0o755);
  const cwd = tempDir();
  const result = spawnSync("bash", ["-e", "-c", script], {
    cwd,
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, ROLES_DIR: path.join(repoRoot, "examples/shop"), MIGRATIONS_DIR: path.join(repoRoot, "examples/ci/migrations"), MIGRATION_TARGET: "postgres", ...env },
    encoding: "utf8",
  });
  return { status: result.status, output: result.stdout + result.stderr };
}

test("the workflow checks, insists on migrations and plans", (t) => {
  t.deepEqual([...steps().keys()], ["Check the .roles files", "Every change has a migration", "Plan against staging"]);
});

test("the workflow's check and migrate --check pass on examples/shop with the shipped migration", (t) => {
  for (const name of ["Check the .roles files", "Every change has a migration"]) {
    const r = runStep(steps().get(name)!, {});
    t.is(r.status, 0, `${name}: ${r.output}`);
  }
});

test("migrate --check in the workflow fails when a change has no migration", (t) => {
  const roles = tempDir();
  for (const file of ["roles.roles", "schema.roles"]) writeFileSync(path.join(roles, file), readFileSync(path.join(repoRoot, "examples/shop", file), "utf8"));
  writeFileSync(path.join(roles, "extra.roles"), "role newcomer { select on sales.products }\n");
  const r = runStep(steps().get("Every change has a migration")!, { ROLES_DIR: roles });
  t.is(r.status, 1);
  t.regex(r.output, /role newcomer\n {2}\+ create role/);
});

(url ? test.serial : test.serial.skip)("the workflow's plan step shows the plan in the job summary and passes on exit code 2", async (t) => {
  const program = await exampleProgram("shop");
  await withScratchDatabase(url!, program.model.roles.map((r) => r.name), async (databaseUrl) => {
    const session = await openPgServer(databaseUrl);
    try {
      await session.exec(scratchSchemaSql(program.model).sql);
    } finally {
      await session.close();
    }
    const summaryDir = tempDir();
    mkdirSync(summaryDir, { recursive: true });
    const summary = path.join(summaryDir, "summary.md");
    const r = runStep(steps().get("Plan against staging")!, { ROLEC_DB_URL: databaseUrl, ROLEC_DB_PASSWORD: "", GITHUB_STEP_SUMMARY: summary });
    t.is(r.status, 0, r.output);
    const text = readFileSync(summary, "utf8");
    t.regex(text, /^### rolec plan\n```\nplan for postgres:\/\//);
    t.regex(text, /Plan: \d+ to add/);
  });
});
