import test from "ava";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { hasStackTrace, rolec, tempDir } from "../helpers/cli.js";
import { examplesDir } from "../helpers/program.js";
import { startProxyProcess } from "../helpers/proxy.js";

// Signed artifacts: rolec compile --sign writes an SSH signature of the manifest that OpenSSH's
// own ssh-keygen verifies; rolec verify-artifacts and rolec proxy --key accept ssh-keygen's
// signatures, and refuse an unsigned folder, another key's signature, another namespace's, and
// a manifest or file changed after signing. Keys are made by ssh-keygen for each run.

function keyPair(options: { type?: string; passphrase?: string } = {}): { key: string; pub: string; allowed: string } {
  const dir = tempDir();
  const key = path.join(dir, "signing");
  execFileSync("ssh-keygen", ["-q", "-t", options.type ?? "ed25519", "-N", options.passphrase ?? "", "-C", "rolec test", "-f", key]);
  const allowed = path.join(dir, "allowed_signers");
  writeFileSync(allowed, `release@example.com ${readFileSync(`${key}.pub`, "utf8")}`);
  return { key, pub: `${key}.pub`, allowed };
}

async function compileSigned(args: string[] = [], env: Record<string, string> = {}): Promise<string> {
  const out = path.join(tempDir(), "artifacts");
  const r = await rolec(["compile", path.join(examplesDir, "shop"), "--out", out, ...args], { env });
  if (r.code !== 0) throw new Error(r.stderr);
  return out;
}

function sshVerify(allowed: string, dir: string, namespace = "rolec-artifacts"): { status: number | null; output: string } {
  const r = spawnSync("ssh-keygen", ["-Y", "verify", "-f", allowed, "-I", "release@example.com", "-n", namespace, "-s", path.join(dir, "manifest.json.sig")], { input: readFileSync(path.join(dir, "manifest.json")), encoding: "utf8" });
  return { status: r.status, output: r.stdout + r.stderr };
}

test("compile --sign writes manifest.json.sig, which ssh-keygen -Y verify and rolec verify-artifacts accept", async (t) => {
  const keys = keyPair();
  const out = await compileSigned(["--sign", keys.key]);
  t.true(existsSync(path.join(out, "manifest.json.sig")));
  const ssh = sshVerify(keys.allowed, out);
  t.is(ssh.status, 0, ssh.output);
  t.regex(ssh.output, /Good "rolec-artifacts" signature for release@example\.com with ED25519 key SHA256:/);
  const r = await rolec(["verify-artifacts", out, "--key", keys.pub]);
  t.is(r.code, 0, r.stderr);
  const fingerprint = execFileSync("ssh-keygen", ["-l", "-f", keys.pub], { encoding: "utf8" }).split(" ")[1]!;
  t.is(r.stdout, `${out}: manifest.json signed by ${fingerprint}; 2 files match it (postgres.sql, allowlist.json)\n`);
  // An allowed_signers line serves as the public key too.
  t.is((await rolec(["verify-artifacts", out, "--key", keys.allowed])).code, 0);
  // A file the manifest does not list is said to be vouched for by nothing.
  writeFileSync(path.join(out, "mysql.sql"), "-- not compiled with this manifest\n");
  const extra = await rolec(["verify-artifacts", out, "--key", keys.pub]);
  t.is(extra.code, 0);
  t.is(extra.stderr, "note: the manifest does not list mysql.sql: nothing vouches for it\n");
  t.deepEqual((JSON.parse((await rolec(["verify-artifacts", out, "--key", keys.pub, "--format", "json"])).stdout) as { unlisted: string[] }).unlisted, ["mysql.sql"]);
});

test("a signature ssh-keygen made over rolec's manifest is one rolec accepts", async (t) => {
  const keys = keyPair();
  const out = await compileSigned();
  t.false(existsSync(path.join(out, "manifest.json.sig")));
  execFileSync("ssh-keygen", ["-Y", "sign", "-q", "-n", "rolec-artifacts", "-f", keys.key, path.join(out, "manifest.json")], { stdio: "pipe" });
  const r = await rolec(["verify-artifacts", out, "--key", keys.pub, "--format", "json"]);
  t.is(r.code, 0, r.stderr);
  t.like(JSON.parse(r.stdout), { ok: true, files: ["manifest.json", "manifest.json.sig", "postgres.sql", "allowlist.json"] });
});

test("verify-artifacts refuses a changed file, a changed manifest, another key's or another namespace's signature, and no signature", async (t) => {
  const keys = keyPair();
  const other = keyPair();
  const cases: [string, (out: string) => void, RegExp][] = [
    ["a file changed", (out) => writeFileSync(path.join(out, "allowlist.json"), readFileSync(path.join(out, "allowlist.json"), "utf8").replace('"select"', '"delete"')), /allowlist\.json does not match manifest\.json/],
    ["the manifest changed", (out) => writeFileSync(path.join(out, "manifest.json"), readFileSync(path.join(out, "manifest.json"), "utf8").replace(/"sha256": "[0-9a-f]{64}"/, `"sha256": "${"0".repeat(64)}"`)), /manifest\.json\.sig does not match: the signed file was changed after it was signed/],
    ["another key's signature", (out) => execFileSync("ssh-keygen", ["-Y", "sign", "-q", "-n", "rolec-artifacts", "-f", other.key, path.join(out, "manifest.json")], { stdio: "pipe" }), /manifest\.json\.sig was made by SHA256:\S+, not by the key given \(SHA256:\S+\)/],
    ["another namespace", (out) => execFileSync("ssh-keygen", ["-Y", "sign", "-q", "-n", "file", "-f", keys.key, path.join(out, "manifest.json")], { stdio: "pipe" }), /was made for "file", not for "rolec-artifacts"/],
    ["no signature", (out) => rmSync(path.join(out, "manifest.json.sig")), /manifest\.json\.sig is missing: the artifacts are not signed/],
    ["a damaged signature", (out) => writeFileSync(path.join(out, "manifest.json.sig"), readFileSync(path.join(out, "manifest.json.sig"), "utf8").replace(/\n[A-Za-z0-9+/]{10}/, "\nAAAAAAAAAA")), /manifest\.json\.sig (does not match|is damaged|was made by|is not an SSH signature)/],
  ];
  for (const [what, spoil, message] of cases) {
    const out = await compileSigned(["--sign", keys.key]);
    if (what === "another key's signature" || what === "another namespace") rmSync(path.join(out, "manifest.json.sig"));
    spoil(out);
    const r = await rolec(["verify-artifacts", out, "--key", keys.pub]);
    t.is(r.code, 1, what);
    t.regex(r.stderr, message, `${what}: ${r.stderr}`);
    t.is(r.stdout, "", what);
    t.false(hasStackTrace(r.stderr), what);
  }
});

test("the key comes from a file or an environment variable and is never written into an output", async (t) => {
  const keys = keyPair();
  const text = readFileSync(keys.key, "utf8");
  const secret = text.split("\n").slice(1, -2).join("");
  const out = await compileSigned(["--sign-env", "ROLEC_TEST_SIGNING_KEY"], { ROLEC_TEST_SIGNING_KEY: text });
  t.is(sshVerify(keys.allowed, out).status, 0);
  for (const file of readdirSync(out)) t.false(readFileSync(path.join(out, file), "utf8").includes(secret.slice(0, 40)), file);
  const pubEnv = await rolec(["verify-artifacts", out, "--key-env", "ROLEC_TEST_PUB"], { env: { ROLEC_TEST_PUB: readFileSync(keys.pub, "utf8") } });
  t.is(pubEnv.code, 0, pubEnv.stderr);
  // A compile without --sign leaves no signature of an older manifest behind.
  const again = await rolec(["compile", path.join(examplesDir, "shop"), "--out", out]);
  t.is(again.code, 0);
  t.false(existsSync(path.join(out, "manifest.json.sig")));
});

test("keys rolec cannot use are refused before anything is written, without showing the key", async (t) => {
  const encrypted = keyPair({ passphrase: "correct horse" });
  const rsa = keyPair({ type: "rsa" });
  const ed = keyPair();
  const cases: [string[], Record<string, string>, RegExp][] = [
    [["--sign", encrypted.key], {}, /is protected by a passphrase; rolec reads an unencrypted key/],
    [["--sign", rsa.key], {}, /is a ssh-rsa key; rolec signs with Ed25519 keys/],
    [["--sign", path.join(tempDir(), "missing")], {}, /cannot read the key ".*missing": no such file/],
    [["--sign-env", "ROLEC_TEST_UNSET"], {}, /the environment variable ROLEC_TEST_UNSET is not set or empty/],
    [["--sign", ed.pub], {}, /is not a private key/],
    [["--sign", ed.key, "--sign-env", "X"], {}, /--sign and --sign-env both name a key; give one/],
  ];
  for (const [args, env, message] of cases) {
    const out = path.join(tempDir(), "artifacts");
    const r = await rolec(["compile", path.join(examplesDir, "shop"), "--out", out, ...args], { env });
    t.is(r.code, 1, args.join(" "));
    t.regex(r.stderr, message, `${args.join(" ")}: ${r.stderr}`);
    t.false(existsSync(out), "nothing written");
    t.false(r.stderr.includes(readFileSync(ed.key, "utf8").split("\n")[1]!.slice(0, 30)), "no key material in the message");
  }
  const privateAsPublic = await rolec(["verify-artifacts", await compileSigned(["--sign", ed.key]), "--key", ed.key]);
  t.regex(privateAsPublic.stderr, /is a private key; give the public one/);
  const noKey = await rolec(["verify-artifacts", await compileSigned(["--sign", ed.key])]);
  t.is(noKey.code, 1);
  t.regex(noKey.stderr, /verify-artifacts needs the signer's public key/);
});

test("rolec proxy --key refuses unsigned or wrongly signed artifacts at start, and a reload whose signature fails", async (t) => {
  const keys = keyPair();
  const other = keyPair();
  const start = (dir: string, key: string, log: string) => rolec(["proxy", dir, "--listen", "127.0.0.1:0", "--upstream", "postgres://127.0.0.1:5432/postgres", "--auth", "trust", "--audit-log", log, "--key", key]);
  const unsigned = await compileSigned();
  const log1 = path.join(tempDir(), "audit.log");
  const r1 = await start(unsigned, keys.pub, log1);
  t.is(r1.code, 1);
  t.regex(r1.stderr, /manifest\.json\.sig is missing: the artifacts are not signed/);
  t.false(existsSync(log1));
  const signed = await compileSigned(["--sign", other.key]);
  const r2 = await start(signed, keys.pub, path.join(tempDir(), "audit.log"));
  t.is(r2.code, 1);
  t.regex(r2.stderr, /was made by SHA256:\S+, not by the key given/);

  const good = await compileSigned(["--sign", keys.key]);
  const log = path.join(tempDir(), "audit.log");
  const proxy = await startProxyProcess([good, "--listen", "127.0.0.1:0", "--upstream", "postgres://127.0.0.1:5432/postgres", "--auth", "trust", "--audit-log", log, "--key", keys.pub]);
  try {
    // The manifest is changed (as if recompiled by someone without the key): the reload is refused, the rules in force stay.
    writeFileSync(path.join(good, "manifest.json"), readFileSync(path.join(good, "manifest.json"), "utf8").replace("rolec", "rolec "));
    proxy.child.kill("SIGHUP");
    let entries: { event: string; problem?: string; signedBy?: string }[] = [];
    for (let i = 0; i < 50 && !entries.some((e) => e.event === "reload-refused"); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      // A line the proxy is still writing is read on the next turn.
      entries = readFileSync(log, "utf8").split("\n").flatMap((line) => {
        try {
          return [JSON.parse(line) as { event: string; problem?: string }];
        } catch {
          return [];
        }
      });
    }
    t.regex(entries.find((e) => e.event === "start")?.signedBy ?? "", /^SHA256:/, `${JSON.stringify(entries)}\n${proxy.stderr()}\nexit ${proxy.child.exitCode} signal ${proxy.child.signalCode} size ${readFileSync(log).length}`);
    const refused = entries.find((e) => e.event === "reload-refused");
    t.truthy(refused, JSON.stringify(entries));
    t.regex(refused!.problem!, /manifest\.json\.sig does not match/);
  } finally {
    await proxy.stop();
  }
});

test("the public key file is one key line: a commented-out key is not taken, options and several keys are refused", async (t) => {
  const keys = keyPair();
  const other = keyPair();
  const out = await compileSigned(["--sign", other.key]);
  const dir = tempDir();
  const commented = path.join(dir, "commented");
  writeFileSync(commented, `# revoked: ${readFileSync(other.pub, "utf8")}\nrelease@example.com ${readFileSync(keys.pub, "utf8")}`);
  const r = await rolec(["verify-artifacts", out, "--key", commented]);
  t.is(r.code, 1, "the signature by the commented-out key is not accepted");
  t.regex(r.stderr, /was made by SHA256:\S+, not by the key given/);
  const withOptions = path.join(dir, "options");
  writeFileSync(withOptions, `release@example.com namespaces="git" ${readFileSync(other.pub, "utf8")}`);
  t.regex((await rolec(["verify-artifacts", out, "--key", withOptions])).stderr, /is not a public key line .*allowed_signers options are not taken/);
  const two = path.join(dir, "two");
  writeFileSync(two, `${readFileSync(keys.pub, "utf8")}${readFileSync(other.pub, "utf8")}`);
  t.regex((await rolec(["verify-artifacts", out, "--key", two])).stderr, /holds 2 lines of keys; give a file with the one key that signs/);
});

test("a signature file with anything besides the signature is refused, as ssh-keygen refuses it", async (t) => {
  const keys = keyPair();
  const spoilers: [string, (armored: string) => string, RegExp][] = [
    ["text before the armor", (a) => `note\n${a}`, /is not an SSH signature \(one armored block, nothing around it\)/],
    ["junk in the base64", (a) => a.replace("\n", "\n!"), /is damaged \(its body is not base64\)/],
    [
      "bytes after the signature blob",
      (a) => {
        const lines = a.trim().split("\n");
        const blob = Buffer.concat([Buffer.from(lines.slice(1, -1).join(""), "base64"), Buffer.from([0, 0, 0, 0])]);
        return `${lines[0]}\n${blob.toString("base64").match(/.{1,70}/g)!.join("\n")}\n${lines.at(-1)}\n`;
      },
      /is damaged \(bytes after the signature\)/,
    ],
  ];
  for (const [what, spoil, message] of spoilers) {
    const out = await compileSigned(["--sign", keys.key]);
    const sig = path.join(out, "manifest.json.sig");
    writeFileSync(sig, spoil(readFileSync(sig, "utf8")));
    const ssh = sshVerify(keys.allowed, out);
    const r = await rolec(["verify-artifacts", out, "--key", keys.pub]);
    t.is(r.code, 1, what);
    t.regex(r.stderr, message, `${what}: ${r.stderr}`);
    t.not(ssh.status, 0, `ssh-keygen refuses it too (${what})`);
  }
});

test("a signature, key or manifest that is not a regular file is refused at once, never waited on", async (t) => {
  const keys = keyPair();
  const out = await compileSigned(["--sign", keys.key]);
  rmSync(path.join(out, "manifest.json.sig"));
  execFileSync("mkfifo", [path.join(out, "manifest.json.sig")]);
  const started = Date.now();
  const fifo = await rolec(["verify-artifacts", out, "--key", keys.pub]);
  t.is(fifo.code, 1);
  t.regex(fifo.stderr, /manifest\.json\.sig is not a regular file/);
  t.true(Date.now() - started < 30_000);
  rmSync(path.join(out, "manifest.json.sig"));
  execFileSync("ln", ["-s", "/dev/zero", path.join(out, "manifest.json.sig")]);
  t.regex((await rolec(["verify-artifacts", out, "--key", keys.pub])).stderr, /manifest\.json\.sig is not a regular file/);
  const keyFifo = path.join(tempDir(), "key.pub");
  execFileSync("mkfifo", [keyFifo]);
  t.regex((await rolec(["verify-artifacts", out, "--key", keyFifo])).stderr, /the key ".*key\.pub" is not a regular file/);
});

test("a private key whose public half is another key's is refused: it would sign what never verifies", async (t) => {
  const keys = keyPair();
  const other = keyPair();
  const raw = (pub: string) => Buffer.from(readFileSync(pub, "utf8").split(" ")[1]!, "base64").subarray(-32);
  const text = readFileSync(keys.key, "utf8");
  const body = Buffer.from(text.split("\n").slice(1, -2).join(""), "base64");
  const mine = raw(keys.pub);
  const theirs = raw(other.pub);
  let replaced = 0;
  for (let at = body.indexOf(mine); at !== -1; at = body.indexOf(mine, at + 32)) {
    theirs.copy(body, at);
    replaced++;
  }
  t.is(replaced, 3, "the public half stands three times in an OpenSSH key file");
  const forged = path.join(tempDir(), "forged");
  writeFileSync(forged, `-----BEGIN OPENSSH PRIVATE KEY-----\n${body.toString("base64").match(/.{1,70}/g)!.join("\n")}\n-----END OPENSSH PRIVATE KEY-----\n`);
  const out = path.join(tempDir(), "artifacts");
  const r = await rolec(["compile", path.join(examplesDir, "shop"), "--out", out, "--sign", forged]);
  t.is(r.code, 1);
  t.regex(r.stderr, /forged is damaged \(its public half does not match its secret\)/);
  t.false(existsSync(out));
});
