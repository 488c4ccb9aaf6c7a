import test from "ava";
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
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
function runStep(script: string, env: Record<string, string>, cwd = tempDir()): { status: number | null; output: string } {
  const bin = tempDir();
  const npx = path.join(bin, "npx");
  writeFileSync(npx, `#!/bin/sh\n[ "$1" = rolec ] && shift\nexec "${process.execPath}" "${path.join(repoRoot, "dist/cli/rolec.js")}" "$@"\n`);
  chmodSync(npx, 0o755);
  // gh as the runner has it, writing down what it was asked to post instead of posting it.
  writeFileSync(path.join(bin, "gh"), `#!/bin/sh\nprintf '%s\\n' "$@" > gh-args.txt\nwhile [ "$#" -gt 0 ]; do [ "$1" = --body-file ] && cp "$2" gh-body.md; shift; done\n`);
  chmodSync(path.join(bin, "gh"), 0o755);
  const result = spawnSync("bash", ["-e", "-c", script], {
    cwd,
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, ROLES_DIR: path.join(repoRoot, "examples/shop"), MIGRATIONS_DIR: path.join(repoRoot, "examples/ci/migrations"), MIGRATION_TARGET: "postgres", ...env },
    encoding: "utf8",
  });
  return { status: result.status, output: result.stdout + result.stderr };
}

test("the workflow checks, insists on migrations and plans", (t) => {
  t.deepEqual([...steps().keys()], ["Check the .roles files", "Diagnostics for code scanning", "Every change has a migration", "Access changes in this pull request", "Plan against staging"]);
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

/** A clone whose origin's main holds examples/shop in roles/, on a branch that `change` changes and commits. */
function pullRequestClone(change: (roles: string) => void): string {
  const origin = tempDir();
  const git = (cwd: string, ...args: string[]) => execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { cwd, stdio: "pipe" });
  git(origin, "init", "-q", "-b", "main");
  cpSync(path.join(repoRoot, "examples/shop"), path.join(origin, "roles"), { recursive: true });
  git(origin, "add", "-A");
  git(origin, "commit", "-qm", "shop");
  const clone = path.join(tempDir(), "clone");
  git(origin, "clone", "-q", origin, clone);
  git(clone, "checkout", "-q", "-b", "feature");
  change(path.join(clone, "roles"));
  git(clone, "add", "-A");
  git(clone, "commit", "-qm", "change", "--allow-empty");
  return clone;
}

test("the workflow's access step comments the access changes on the pull request, and stays quiet when there are none", (t) => {
  const step = steps().get("Access changes in this pull request")!;
  const clone = pullRequestClone((roles) => writeFileSync(path.join(roles, "extra.roles"), "role analyst login { select on sales.orders }\n"));
  const summary = path.join(tempDir(), "summary.md");
  const r = runStep(step, { ROLES_DIR: "roles", GITHUB_BASE_REF: "main", GITHUB_STEP_SUMMARY: summary, PR_NUMBER: "7" }, clone);
  t.is(r.status, 0, r.output);
  const body = readFileSync(path.join(clone, "gh-body.md"), "utf8");
  t.regex(body, /^### rolec: access changes from [0-9a-f]{40} to HEAD\n\n\*\*1 role gains access, 0 roles lose access\.\*\*/);
  t.regex(body, /\| \*\*analyst\*\* \(login\) \| ➕ gains \| select on sales&#46;orders \|/);
  t.deepEqual(readFileSync(path.join(clone, "gh-args.txt"), "utf8").split("\n").slice(0, 3), ["pr", "comment", "7"]);
  t.is(readFileSync(summary, "utf8"), body);

  const quiet = pullRequestClone(() => undefined);
  const q = runStep(step, { ROLES_DIR: "roles", GITHUB_BASE_REF: "main", GITHUB_STEP_SUMMARY: path.join(tempDir(), "s.md"), PR_NUMBER: "8" }, quiet);
  t.is(q.status, 0, q.output);
  t.false(existsSync(path.join(quiet, "gh-args.txt")), "no comment when no access changes");

  const broken = pullRequestClone((roles) => writeFileSync(path.join(roles, "extra.roles"), "role analyst { select on sales.nothing }\n"));
  const b = runStep(step, { ROLES_DIR: "roles", GITHUB_BASE_REF: "main", GITHUB_STEP_SUMMARY: path.join(tempDir(), "s.md"), PR_NUMBER: "9" }, broken);
  t.not(b.status, 0, "a branch whose files do not check fails the step");
  t.false(existsSync(path.join(broken, "gh-args.txt")));
});

test("the workflow's code-scanning step writes a SARIF log, also when the check fails", (t) => {
  const step = steps().get("Diagnostics for code scanning")!;
  const roles = tempDir();
  writeFileSync(path.join(roles, "bad.roles"), "role r { select on s.t }\n");
  const cwd = tempDir();
  const failing = runStep(step, { ROLES_DIR: roles }, cwd);
  t.is(failing.status, 0, failing.output);
  const log = JSON.parse(readFileSync(path.join(cwd, "rolec.sarif"), "utf8")) as { version: string; runs: { results: { ruleId: string }[] }[] };
  t.is(log.version, "2.1.0");
  t.true(log.runs[0]!.results.some((r) => r.ruleId === "RC0101"));
});
