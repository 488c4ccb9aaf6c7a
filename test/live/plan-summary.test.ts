import test from "ava";
import { renderPlanText } from "../../src/live/index.js";
import { planOnPostgres } from "../../src/engine/postgres/index.js";
import { openPglite } from "../../src/engine/postgres/index.js";
import { scratchSchemaSql } from "../../src/engine/postgres/verify/scratch-schema.js";
import { programOf } from "../helpers/program.js";

// The plan's closing line against the lines above it, on a real PostgreSQL (PGlite): column
// grants of one verb on one object are shown as one line, and the counts must not seem to disagree.

const program = programOf(`schema s {
  table customers (id, email, ssn)
  table orders (id, total)
}
role summary_reader {
  select (id, email) on s.customers
  select on s.orders
}
`);

/** How many `+`, `~` and `-` lines the plan shows. */
function countLines(text: string): { add: number; change: number; remove: number } {
  const signs = text.split("\n").map((line) => /^ {2}([+~-]) /.exec(line)?.[1]);
  return { add: signs.filter((s) => s === "+").length, change: signs.filter((s) => s === "~").length, remove: signs.filter((s) => s === "-").length };
}

test("the plan's summary says how many changes its merged column lines hold", async (t) => {
  const session = await openPglite();
  try {
    await session.exec(scratchSchemaSql(program.model).sql);
    // Drift on columns too: two column grants the files do not make, shown as one `-` line.
    await session.exec(`CREATE ROLE summary_reader NOLOGIN; GRANT UPDATE (id, total) ON s.orders TO summary_reader;`);
    const planned = await planOnPostgres(program.model, session);
    const text = renderPlanText(planned.plan, "db", () => "");
    const shown = countLines(text);
    t.true(text.includes("  + SELECT (email, id) on s.customers"), text);
    t.true(text.includes("  - UPDATE (id, total) on s.orders"), text);
    const summary = /^Plan: (\d+) to add, (\d+) to change, (\d+) to take away \((\d+) drift\)\.(.*)$/m.exec(text);
    t.truthy(summary, text);
    const [add, change, remove] = [1, 2, 3].map((i) => Number(summary![i]));
    t.is(add + change + remove, planned.plan.changes.length, "the counts are per change, as in JSON");
    t.true(add > shown.add && remove > shown.remove, text);
    t.is(summary![5], ` Each column counts: ${add + change + remove} changes in ${shown.add + shown.change + shown.remove} lines.`);
  } finally {
    await session.close();
  }
});

test("a plan whose lines are one change each says nothing more", async (t) => {
  const session = await openPglite();
  try {
    await session.exec(scratchSchemaSql(program.model).sql);
    await session.exec(`CREATE ROLE summary_reader NOLOGIN; GRANT SELECT (id, email) ON s.customers TO summary_reader;`);
    const text = renderPlanText((await planOnPostgres(program.model, session)).plan, "db", () => "");
    t.regex(text, /^Plan: 2 to add, 0 to change, 0 to take away \(0 drift\)\.$/m);
  } finally {
    await session.close();
  }
});
