import test from "ava";
import { createHash } from "node:crypto";
import { cpSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { rolec, tempDir } from "../helpers/cli.js";
import { examplesDir } from "../helpers/program.js";

test("compile writes the artifacts and a manifest of their hashes, identically every time", async (t) => {
  const out1 = path.join(tempDir(), "out");
  const out2 = path.join(tempDir(), "out");
  const r = await rolec(["compile", "examples/shop", "--out", out1]);
  t.is(r.code, 0, r.stderr);
  t.is((await rolec(["compile", "examples/shop", "--out", out2])).code, 0);
  const manifest = JSON.parse(readFileSync(path.join(out1, "manifest.json"), "utf8"));
  for (const artifact of manifest.artifacts) {
    const bytes = readFileSync(path.join(out1, artifact.path));
    t.is(createHash("sha256").update(bytes).digest("hex"), artifact.sha256);
    t.deepEqual(bytes, readFileSync(path.join(out2, artifact.path)));
  }
});

test("compile --target postgres writes only the script and the manifest", async (t) => {
  const out = path.join(tempDir(), "out");
  t.is((await rolec(["compile", "examples/blog", "--target", "postgres", "--out", out])).code, 0);
  const manifest = JSON.parse(readFileSync(path.join(out, "manifest.json"), "utf8"));
  t.deepEqual(manifest.artifacts.map((a: { path: string }) => a.path), ["postgres.sql"]);
});

test("fmt rewrites untidy files and fmt --check then passes", async (t) => {
  const dir = tempDir();
  const file = path.join(dir, "a.roles");
  writeFileSync(file, "schema s{table t(a,b)}\nrole r{select(a)on s.t // why\n}\n");
  const check = await rolec(["fmt", "--check", dir]);
  t.is(check.code, 1);
  t.regex(check.stdout, /a\.roles is not formatted/);
  // The diff of what fmt would change, as `patch -p0` takes it.
  t.true(
    check.stdout.includes(
      `--- ${file}\n+++ ${file}\n@@ -1,3 +1,7 @@\n-schema s{table t(a,b)}\n-role r{select(a)on s.t // why\n+schema s {\n+  table t (a, b)\n+}\n+\n+role r {\n+  select (a) on s.t // why\n }\n`,
    ),
    check.stdout,
  );
  t.is((await rolec(["fmt", dir])).code, 0);
  t.is(readFileSync(file, "utf8"), "schema s {\n  table t (a, b)\n}\n\nrole r {\n  select (a) on s.t // why\n}\n");
  t.is((await rolec(["fmt", "--check", dir])).code, 0);
});

test("verify passes on an example and prints the role × object summary", async (t) => {
  const r = await rolec(["verify", "examples/blog"]);
  t.is(r.code, 0, r.stdout + r.stderr);
  t.regex(r.stdout, /^role\s+object\s+privileges$/m);
  t.regex(r.stdout, /^editor\s+public\.authors\s+select\(id,name\)$/m);
  t.regex(r.stdout, /verify examples\/blog: OK: roles, memberships, append-only guards, \d+ privilege checks and \d+ statements all agree/);
});

test("verify --script catches a hand-edited script and exits 1", async (t) => {
  const dir = tempDir();
  cpSync(path.join(examplesDir, "blog"), path.join(dir, "blog"), { recursive: true });
  const out = path.join(dir, "out");
  t.is((await rolec(["compile", path.join(dir, "blog"), "--out", out])).code, 0);
  const script = readFileSync(path.join(out, "postgres.sql"), "utf8").replace("COMMIT;", 'GRANT SELECT ON TABLE "public"."authors" TO "reader";\nCOMMIT;');
  writeFileSync(path.join(out, "edited.sql"), script);
  const r = await rolec(["verify", path.join(dir, "blog"), "--script", path.join(out, "edited.sql")]);
  t.is(r.code, 1);
  t.regex(r.stdout, /MISMATCH role reader: select\(email\) on public\.authors: expected denied, database says allowed/);
  t.regex(r.stdout, /FAILED: \d+ mismatches/);
});

test("compiling fewer targets into the same folder removes the earlier artifact the manifest no longer lists", async (t) => {
  const out = path.join(tempDir(), "out");
  t.is((await rolec(["compile", "examples/blog", "--out", out])).code, 0);
  t.is((await rolec(["compile", "examples/blog", "--target", "postgres", "--out", out])).code, 0);
  t.deepEqual(readdirSync(out).sort(), ["manifest.json", "postgres.sql"]);
});
