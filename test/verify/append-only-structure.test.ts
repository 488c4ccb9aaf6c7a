import test from "ava";
import { renderPostgres } from "../../src/engine/postgres/index.js";
import { verified, type VerifyReport } from "../../src/engine/index.js";
import { openPglite, verifyScript } from "../../src/engine/postgres/index.js";
import { programOf } from "../helpers/program.js";

const program = programOf(`schema audit {
  append_only table events (id, at, what) partitions (events_2025, events_other)
}
role app { select, insert on audit.events }
`);
const script = renderPostgres(program.model);

async function verify(tampered: string): Promise<VerifyReport> {
  const session = await openPglite();
  try {
    return await verifyScript(program.model, tampered, session);
  } finally {
    await session.close();
  }
}

test("a partitioned append-only table verifies: owner role, triggers on parent and partitions", async (t) => {
  const report = await verify(script);
  t.true(verified(report), JSON.stringify(report.appendOnlyMismatches.concat(report.mismatches as never[])));
  // The owner is refused TRUNCATE of each partition, and the app role any direct access to one.
  t.true(report.statementChecks > 0);
});

test("a partition whose TRUNCATE trigger is gone is caught", async (t) => {
  const report = await verify(script + '\nDROP TRIGGER "rolec_append_only_truncate" ON audit.events_2025;\n');
  t.true(report.appendOnlyMismatches.some((m) => m.table === "audit.events_2025" && m.what === "truncate trigger" && m.actual === "missing"));
  t.true(report.mismatches.some((m) => m.role === undefined && m.object === "audit.events_2025" && m.verb === "truncate" && m.actual === "allowed"));
});

test("an append-only table owned by another role is caught, and by a declared role stops the script", async (t) => {
  const report = await verify(script + "\nALTER TABLE audit.events OWNER TO postgres;\n");
  t.deepEqual(
    report.appendOnlyMismatches.map((m) => `${m.table} ${m.what} ${m.actual}`),
    ["audit.events owner postgres"],
  );
  const declaredOwner = await verify(script + "\nALTER TABLE audit.events OWNER TO app;\n");
  t.regex(declaredOwner.scriptError ?? "", /app owns audit\.events/);
});

test("a member of the owner role is caught", async (t) => {
  const report = await verify(script + "\nGRANT rolec_append_only_owner TO app;\n");
  t.true(report.appendOnlyMismatches.some((m) => m.what === "members of rolec_append_only_owner" && m.actual === "1"));
});

test("the script takes the owner role's members away again", async (t) => {
  const report = await verify(script + "\nGRANT rolec_append_only_owner TO app;\n" + script);
  t.true(verified(report));
});

test("a partition the .roles files do not declare stops the script", async (t) => {
  const report = await verify(script + "\nCREATE TABLE audit.events_extra PARTITION OF audit.events FOR VALUES IN ('x');\n");
  t.regex(report.scriptError ?? "", /append-only tables have child tables the \.roles files do not declare: audit\.events_extra \(a partition of audit\.events\)/);
});

test("a table that inherits from an append-only table stops the script: the triggers would not cover its rows", async (t) => {
  const unpartitioned = programOf(`schema audit { append_only table events (id, at, what) }
role app { select, insert on audit.events }
`);
  const plainScript = renderPostgres(unpartitioned.model);
  const session = await openPglite();
  try {
    const report = await verifyScript(unpartitioned.model, plainScript + "\nCREATE TABLE audit.sneaky () INHERITS (audit.events);\n", session);
    t.regex(report.scriptError ?? "", /child tables the \.roles files do not declare: audit\.sneaky \(inherits from audit\.events\)/);
  } finally {
    await session.close();
  }
});

test("a table that stops being append-only loses the triggers once it has a real owner again", async (t) => {
  const plain = programOf(`schema audit {
  table events (id, at, what) partitions (events_2025, events_other)
}
role app { select, insert, update on audit.events }
`);
  const plainScript = renderPostgres(plain.model);
  const session = await openPglite();
  try {
    const stuck = await verifyScript(plain.model, script + plainScript, session);
    t.regex(stuck.scriptError ?? "", /audit\.events is no longer append_only but is still owned by rolec_append_only_owner/);
  } finally {
    await session.close();
  }
  const handedBack = "\nALTER TABLE audit.events OWNER TO postgres; ALTER TABLE audit.events_2025 OWNER TO postgres; ALTER TABLE audit.events_other OWNER TO postgres;\n";
  const again = await openPglite();
  try {
    const report = await verifyScript(plain.model, script + handedBack + plainScript, again);
    t.true(verified(report), JSON.stringify([report.scriptError, report.mismatches.slice(0, 3)]));
    const left = await again.query("SELECT count(*)::int AS n FROM pg_trigger WHERE tgname LIKE 'rolec_%'");
    t.deepEqual(left, [{ n: 0 }]);
  } finally {
    await again.close();
  }
});

test("without rolec's event triggers, verify finds that the schema's owner and the database's owner can drop the table", async (t) => {
  t.true(verified(await verify(script)), "with them, every attempt is refused and the rows stay");
  const report = await verify(script + '\nDROP EVENT TRIGGER "rolec_append_only_drop";\n');
  const found = report.appendOnlyMismatches.map((m) => `${m.what}: ${m.actual}`);
  t.true(found.includes("event trigger rolec_append_only_drop: missing"), found.join("\n"));
  t.true(found.includes('DROP TABLE "audit"."events" as the schema\'s owner: allowed'), found.join("\n"));
  t.true(found.includes('DROP SCHEMA "audit" CASCADE as the schema\'s owner: allowed'), found.join("\n"));
  t.true(found.includes('DROP TABLE "audit"."events" as the database\'s owner (schema owned by pg_database_owner): allowed'), found.join("\n"));
  const disabled = await verify(script + '\nALTER EVENT TRIGGER "rolec_append_only_rename" DISABLE;\n');
  t.true(disabled.appendOnlyMismatches.some((m) => m.what.startsWith('ALTER SCHEMA "audit" RENAME') && m.actual === "allowed"));
});
