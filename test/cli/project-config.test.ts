import test from "ava";
import { cpSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { hasStackTrace, rolec, tempDir } from "../helpers/cli.js";
import { examplesDir } from "../helpers/program.js";

function saasCopy(config: string | undefined): string {
  const dir = path.join(tempDir(), "saas");
  cpSync(path.join(examplesDir, "saas"), dir, { recursive: true });
  rmSync(path.join(dir, "rolec.config.json"));
  if (config !== undefined) writeFileSync(path.join(dir, "rolec.config.json"), config);
  return dir;
}

test("rolec.config.json changes a lint's severity: the saas example's wildcard writes are a note there, a warning without it", async (t) => {
  const withConfig = await rolec(["check", "examples/saas", "--strict"]);
  t.is(withConfig.code, 0, withConfig.stderr);
  t.regex(withConfig.stderr, /info RC1002: role "billing_service" holds all on every table of schema billing through a wildcard/);
  const without = await rolec(["check", saasCopy(undefined), "--strict"]);
  t.is(without.code, 1);
  t.regex(without.stderr, /warning RC1002: role "billing_service"/);
});

test("off leaves a code out, and a warning can be made an error", async (t) => {
  const dir = saasCopy('{"severity": {"RC1003": "off", "RC1002": "error"}}');
  const r = await rolec(["check", dir, "--format", "json"]);
  t.is(r.code, 1);
  const codes = (JSON.parse(r.stdout) as { diagnostics: { code: string; severity: string }[] }).diagnostics.map((d) => `${d.code} ${d.severity}`);
  t.false(codes.some((c) => c.startsWith("RC1003")));
  t.true(codes.includes("RC1002 error"));
});

test("a bad rolec.config.json is refused with the file and what is wrong, exit 1", async (t) => {
  const cases: [string, RegExp][] = [
    ["{", /rolec\.config\.json is not JSON/],
    ["[]", /rolec\.config\.json must hold a JSON object/],
    ['{"severities": {}}', /rolec\.config\.json: unknown key "severities" \(did you mean "severity"\?\)/],
    ['{"severity": {"RC1022": "off"}}', /"severity"\."RC1022" is not a rolec code \(did you mean "RC1002"\?\)/],
    ['{"severity": {"RC1002": "loud"}}', /"severity"\."RC1002" must be one of error, warning, info, off/],
    ['{"severity": {"RC0501": "off"}}', /RC0501 \(forbidden verb on append-only table\) is an error, and errors cannot be changed/],
    ['{"severity": {"__proto__": "off"}}', /"severity"\."__proto__" is not a rolec code/],
    ['{"severity": {"toString": "off"}}', /"severity"\."toString" is not a rolec code/],
    ['{"severity": null}', /"severity" must be an object of code → severity/],
  ];
  for (const [text, message] of cases) {
    const r = await rolec(["check", saasCopy(text)]);
    t.is(r.code, 1, text);
    t.regex(r.stderr, message, text);
    t.false(hasStackTrace(r.stderr));
  }
});
