import test from "ava";
import { appendOnlyNames, renderPostgres } from "../../src/engine/postgres/index.js";
import { describeChange } from "../../src/engine/index.js";
import { applyOnPostgres, planOnPostgres } from "../../src/engine/postgres/index.js";
import { type SqlSession } from "../../src/engine/index.js";
import { openPglite, openPgServer } from "../../src/engine/postgres/index.js";
import { scratchSchemaSql } from "../../src/engine/postgres/verify/scratch-schema.js";
import { serverUrl, withScratchDatabase } from "../helpers/databases.js";
import { programOf } from "../helpers/program.js";

// plan treats rolec's event triggers (which stop the owner of an append-only table's schema from
// dropping it) as part of the guard: missing or not ENABLE ALWAYS is a change, and apply puts them back.
const program = programOf(`schema et { append_only table log (id, what) }
role et_app login { select, insert on et.log }
`);

async function check(t: import("ava").ExecutionContext, session: SqlSession): Promise<void> {
  await session.exec(scratchSchemaSql(program.model).sql);
  await session.exec(renderPostgres(program.model));
  t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);
  for (const tamper of [`DROP EVENT TRIGGER "${appendOnlyNames.dropEventTrigger}"`, `ALTER EVENT TRIGGER "${appendOnlyNames.renameEventTrigger}" DISABLE`]) {
    await session.exec(tamper);
    const changes = (await planOnPostgres(program.model, session)).plan.changes.map(describeChange);
    t.is(changes.length, 1, changes.join("\n"));
    t.regex(changes[0]!, tamper.startsWith("DROP") ? /event trigger rolec_append_only_drop does not exist: the owner of schema et may drop or move the table/ : /event trigger rolec_append_only_rename is disabled, not ENABLE ALWAYS/);
    t.is((await applyOnPostgres(program.model, session, { confirm: async () => true })).kind, "applied");
    t.deepEqual((await planOnPostgres(program.model, session)).plan.changes, []);
  }
}

test.serial("PGlite: a missing or disabled event trigger is a change, and apply restores it", async (t) => {
  const session = await openPglite();
  try {
    await check(t, session);
  } finally {
    await session.close();
  }
});

const url = serverUrl("ROLEC_TEST_PG_URL");
(url ? test.serial : test.serial.skip)("server: a missing or disabled event trigger is a change, and apply restores it", async (t) => {
  await withScratchDatabase(url!, ["et_app", appendOnlyNames.owner], async (databaseUrl) => {
    const session = await openPgServer(databaseUrl);
    try {
      await check(t, session);
    } finally {
      await session.close();
    }
  });
});
