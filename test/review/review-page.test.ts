import test from "ava";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { rolec, tempDir } from "../helpers/cli.js";
import { serverUrl, withDeclaredObjects } from "../helpers/databases.js";
import { exampleProgram } from "../helpers/program.js";
import { renderPostgres } from "../../src/engine/postgres/index.js";

// The access-review page in a real browser (Debian's chromium, headless): 20 roles × 50 objects,
// hostile names among them. The page must show the whole matrix without scrolling in a 1400×900
// window, keep every name as text (no element a name could add), and render to a screenshot.
const browser = ["chromium", "chromium-browser"].find((name) => spawnSync(name, ["--version"]).status === 0);
const hostileRole = '<img src=x onerror="document.title=1">';
const hostileTable = "</td><script>document.title=2</script>";

function bigProgram(): string {
  const tables = Array.from({ length: 49 }, (_, i) => `  table t${String(i).padStart(2, "0")} (id, name, secret sensitive)`);
  const roles = Array.from({ length: 19 }, (_, r) => {
    const lines = [`role r${String(r).padStart(2, "0")}${r % 3 === 0 ? " login" : ""} {`];
    for (let i = 0; i < 49; i++) {
      const t = `app.t${String(i).padStart(2, "0")}`;
      if ((i + r) % 5 === 0) lines.push(`  select on ${t}`);
      else if ((i + r) % 7 === 0) lines.push(`  select (id, name) on ${t}`);
      if ((i * r) % 11 === 1) lines.push(`  insert (id, name) on ${t}`);
    }
    lines.push("}");
    return lines.join("\n");
  });
  const hostile = `role "${hostileRole.replaceAll('"', '""')}" login {\n  select (id) on app."${hostileTable}"\n  member of r00\n}`;
  return `schema app {\n${tables.join("\n")}\n  table "${hostileTable}" (id)\n}\n${roles.join("\n")}\n${hostile}\n`;
}

function chromium(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const profile = tempDir();
  const r = spawnSync(browser!, ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", `--user-data-dir=${profile}`, "--window-size=1400,900", ...args], { encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("the review page shows a 20 × 50 matrix without scrolling, names as text, in headless chromium, and renders to a screenshot", async (t) => {
  t.truthy(browser, "chromium is needed for this test (.ci/run installs it)");
  const dir = path.join(tempDir(), "roles");
  mkdirSync(dir);
  writeFileSync(path.join(dir, "big.roles"), bigProgram());
  const out = path.join(tempDir(), "review");
  const r = await rolec(["review", dir, "--out", out]);
  t.is(r.code, 0, r.stderr);
  const html = readFileSync(path.join(out, "review.html"), "utf8");
  t.false(/<(script|img|link|iframe|object|embed)\b|\b(src|href)=/i.test(html.replace(/&lt;[^]*?&gt;/g, "")), "the page loads nothing and runs nothing");
  t.true(html.includes("&lt;img src=x onerror=&quot;&quot;document.title=1&quot;&quot;&gt;"), "the hostile role name is text, as a .roles file writes it");

  // Measure what the browser laid out: a probe script appended to a copy of the page writes its findings into the DOM.
  const probe = `<script>addEventListener("load", () => {
    const table = document.querySelector("table.matrix");
    const box = table.getBoundingClientRect();
    const rows = [...table.querySelectorAll("tbody tr")];
    document.body.setAttribute("data-probe", JSON.stringify({
      right: box.right, bottom: box.bottom, width: innerWidth, height: innerHeight,
      rows: rows.length, cells: rows.map((row) => row.querySelectorAll("td").length),
      images: document.querySelectorAll("img").length, scripts: document.scripts.length, title: document.title,
      roleNames: rows.map((row) => row.querySelector("th").textContent),
      objectNames: [...table.querySelectorAll("thead th.object")].map((th) => th.textContent),
    }));
  });</script>`;
  const measured = path.join(out, "measured.html");
  writeFileSync(measured, html.replace("</body>", `${probe}</body>`));
  const dom = chromium(["--dump-dom", `file://${measured}`]);
  t.is(dom.status, 0, dom.stderr);
  const attribute = /data-probe="([^"]*)"/.exec(dom.stdout);
  t.truthy(attribute, dom.stdout.slice(0, 500));
  const probeResult = JSON.parse(attribute![1]!.replaceAll("&quot;", '"').replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&")) as { right: number; bottom: number; width: number; height: number; rows: number; cells: number[]; images: number; scripts: number; title: string; roleNames: string[]; objectNames: string[] };
  t.is(probeResult.rows, 20);
  t.true(probeResult.cells.every((n) => n === 50), JSON.stringify(probeResult.cells));
  t.true(probeResult.right <= probeResult.width && probeResult.bottom <= probeResult.height, `the matrix ends at ${probeResult.right} × ${probeResult.bottom} in a ${probeResult.width} × ${probeResult.height} window`);
  t.is(probeResult.images, 0);
  t.is(probeResult.scripts, 1, "only the probe runs");
  t.is(probeResult.title, "Access review", "no name's markup ran");
  t.true(probeResult.roleNames.some((n) => n.startsWith(`"${hostileRole.replaceAll('"', '""')}"`)), probeResult.roleNames.join("\n"));
  t.true(probeResult.objectNames.includes(`app."${hostileTable}"`), probeResult.objectNames.slice(-3).join("\n"));

  const shot = path.join(out, "review.png");
  const s = chromium([`--screenshot=${shot}`, `file://${path.join(out, "review.html")}`]);
  t.is(s.status, 0, s.stderr);
  const png = readFileSync(shot);
  t.is(png.subarray(1, 4).toString("latin1"), "PNG");
  t.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [1400, 900]);
  t.true(png.length > 50_000, `a screenshot with the matrix in it is more than a blank page (${png.length} bytes)`);
  t.log(`screenshot: ${shot}`);
});

test("review writes review.md with the matrix, each role's members, reads, writes and sensitive columns, and the findings", async (t) => {
  const out = path.join(tempDir(), "review");
  const r = await rolec(["review", "examples/shop", "--out", out]);
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, `wrote ${path.join(out, "review.md")}\nwrote ${path.join(out, "review.html")}\n`);
  const md = readFileSync(path.join(out, "review.md"), "utf8");
  t.regex(md, /^\| storefront \(login\) \| W \| W \| rW! \| RW \| W \| R \| RW \| W \| R \|$/m);
  t.regex(md, /^### reporting\n\n- Members: merchandising, storefront\n- Member of: none\n/m);
  t.regex(md, /^- \*\*Sensitive columns\*\*: sales&#46;customers \(email, phone\)$/m);
  t.regex(md, /^## Findings\n\nNone: no warnings and no review lints\.\n$/m, "the shop's rolec.config.json turns its one lint off");
  const saas = path.join(tempDir(), "review");
  t.is((await rolec(["review", "examples/saas", "--out", saas])).code, 0);
  // Names and messages are escaped for Markdown: quotes, colons and parentheses as character references.
  t.regex(readFileSync(path.join(saas, "review.md"), "utf8"), /^- RC1002 info at examples\/saas\/roles&#46;roles&#58;\d+: role &#34;billing&#95;service&#34; holds all on every table/m);
  const refused = await rolec(["review", "examples/shop"]);
  t.is(refused.code, 1);
  t.regex(refused.stderr, /Missing required argument: out/);
});

test("review --db takes each role's members from the database, a member granted by hand included", async (t) => {
  const url = serverUrl("ROLEC_TEST_PG_URL");
  if (!url) return t.pass("no PostgreSQL server");
  const program = await exampleProgram("shop");
  await withDeclaredObjects(url, [...program.model.roles.map((r) => r.name), "rvw_human"], program.model, async (session, databaseUrl) => {
    await session.exec(renderPostgres(program.model));
    await session.exec("CREATE ROLE rvw_human LOGIN; GRANT reporting TO rvw_human");
    const out = path.join(tempDir(), "review");
    const r = await rolec(["review", "examples/shop", "--db", databaseUrl, "--out", out]);
    t.is(r.code, 0, r.stderr);
    const md = readFileSync(path.join(out, "review.md"), "utf8");
    t.regex(md, /^### reporting\n\n- Members: merchandising, rvw&#95;human, storefront\n/m);
    t.regex(md, /members from postgres&#58;\/\//);
  });
});
