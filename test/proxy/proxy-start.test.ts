import test from "ava";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { hasStackTrace, rolec, tempDir } from "../helpers/cli.js";
import { examplesDir } from "../helpers/program.js";

// rolec proxy refuses to start on artifacts that do not match their manifest, and on options
// that would open it wider than asked; each refusal is one message and exit code 1, before it
// listens or writes an audit entry. None of these reach a server.

async function compiled(): Promise<string> {
  const dir = path.join(tempDir(), "artifacts");
  const result = await rolec(["compile", path.join(examplesDir, "shop"), "--out", dir]);
  if (result.code !== 0) throw new Error(result.stderr);
  return dir;
}

async function refusal(t: import("ava").ExecutionContext, args: string[], expected: RegExp): Promise<void> {
  const auditLog = path.join(tempDir(), "audit.log");
  const result = await rolec(["proxy", ...args, "--audit-log", auditLog]);
  t.is(result.code, 1, result.stderr);
  t.regex(result.stderr, expected);
  t.false(hasStackTrace(result.stderr));
  t.is(result.stdout, "", "no ready line");
  t.false(existsSync(auditLog), "no audit log written");
}

const upstream = ["--upstream", "postgres://127.0.0.1:5432/postgres"];

test("an allow-list changed after compile stops the proxy from starting", async (t) => {
  const dir = await compiled();
  const file = path.join(dir, "allowlist.json");
  writeFileSync(file, readFileSync(file, "utf8").replace('"select"', '"insert"'));
  await refusal(t, [dir, "--listen", "127.0.0.1:0", ...upstream, "--auth", "trust"], /allowlist\.json does not match manifest\.json \(its SHA-256 is [0-9a-f]{64}, the manifest records [0-9a-f]{64}\)/);
});

test("a manifest naming a file outside its folder, a foreign one, a missing one, or one without the allow-list is refused", async (t) => {
  const dir = await compiled();
  const manifest = path.join(dir, "manifest.json");
  const original = readFileSync(manifest, "utf8");
  writeFileSync(manifest, original.replace(/"path": "allowlist.json",\s*"sha256": "[0-9a-f]{64}"/, '"path": "../allowlist.json", "sha256": "' + "0".repeat(64) + '"'));
  await refusal(t, [dir, "--listen", "127.0.0.1:0", ...upstream, "--auth", "trust"], /artifacts\[\d\]\.path is not a file name in the folder/);
  writeFileSync(manifest, "{}");
  await refusal(t, [dir, "--listen", "127.0.0.1:0", ...upstream, "--auth", "trust"], /is not a rolec manifest/);
  rmSync(manifest);
  await refusal(t, [dir, "--listen", "127.0.0.1:0", ...upstream, "--auth", "trust"], /cannot read .*manifest\.json: no such file/);
  const postgresOnly = path.join(tempDir(), "artifacts");
  await rolec(["compile", path.join(examplesDir, "shop"), "--out", postgresOnly, "--target", "postgres"]);
  await refusal(t, [postgresOnly, "--listen", "127.0.0.1:0", ...upstream, "--auth", "trust"], /lists no allowlist\.json/);
});

test("--auth trust is refused on an address other machines can reach", async (t) => {
  const dir = await compiled();
  await refusal(t, [dir, "--listen", "0.0.0.0:0", ...upstream, "--auth", "trust"], /--auth trust .* refused on 0\.0\.0\.0, which is not a loopback address/);
});

test("bad options: listen address, an upstream URL with credentials or unknown parameters, TLS halves", async (t) => {
  const dir = await compiled();
  await refusal(t, [dir, "--listen", "6432", ...upstream], /--listen must be HOST:PORT/);
  await refusal(t, [dir, "--listen", "127.0.0.1:0", "--upstream", "postgres://app:secret@127.0.0.1/db"], /--upstream names the server only/);
  await refusal(t, [dir, "--listen", "127.0.0.1:0", "--upstream", "postgres://127.0.0.1/db?sslmode=prefer"], /sslmode prefer is not one the proxy offers/);
  await refusal(t, [dir, "--listen", "127.0.0.1:0", "--upstream", "postgres://127.0.0.1/db?target_session_attrs=any"], /target_session_attrs is not one the proxy reads/);
  await refusal(t, [dir, "--listen", "127.0.0.1:0", ...upstream, "--tls-cert", "cert.pem"], /--tls-cert and --tls-key go together/);
  await refusal(t, [dir, "--listen", "127.0.0.1:0", ...upstream, "--require-tls"], /--require-tls needs --tls-cert/);
  await refusal(t, [dir, "--listen", "127.0.0.1:0", ...upstream, "--audit-rotate-mb", "0"], /--audit-rotate-mb must be/);
});

test("a certificate or key that is not one, or an address in use, is refused before the audit log is opened", async (t) => {
  const dir = await compiled();
  const junk = path.join(tempDir(), "junk.pem");
  writeFileSync(junk, "not a certificate\n");
  await refusal(t, [dir, "--listen", "127.0.0.1:0", ...upstream, "--auth", "trust", "--tls-cert", junk, "--tls-key", junk], /--tls-cert is not a PEM certificate/);
  const busy = net.createServer();
  await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", () => resolve()));
  try {
    const port = (busy.address() as net.AddressInfo).port;
    await refusal(t, [dir, "--listen", `127.0.0.1:${port}`, ...upstream, "--auth", "trust"], /cannot listen on 127\.0\.0\.1:\d+: the address is in use/);
  } finally {
    busy.close();
  }
});
