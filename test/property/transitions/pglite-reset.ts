import type { SqlSession } from "../../../src/engine/index.js";

/**
 * Brings a PGlite instance back to the state of a fresh one: no schema but public, no role but
 * the superuser and the predefined ones, no event trigger, no default privilege. Starting a
 * PGlite takes seconds on a busy machine, so the transition tests reuse one instance for every
 * phase of every case and reset it in between; the reset checks its own work, so a case can
 * never start from what the one before left.
 */
const reset = `
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT evtname FROM pg_catalog.pg_event_trigger LOOP
    EXECUTE pg_catalog.format('DROP EVENT TRIGGER %I', r.evtname);
  END LOOP;
  FOR r IN SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname NOT IN ('public', 'information_schema') AND nspname NOT LIKE 'pg\\_%' LOOP
    EXECUTE pg_catalog.format('DROP SCHEMA %I CASCADE', r.nspname);
  END LOOP;
  FOR r IN SELECT rolname FROM pg_catalog.pg_roles WHERE rolname <> CURRENT_USER AND rolname NOT LIKE 'pg\\_%' LOOP
    EXECUTE pg_catalog.format('DROP OWNED BY %I CASCADE', r.rolname);
  END LOOP;
  FOR r IN SELECT rolname FROM pg_catalog.pg_roles WHERE rolname <> CURRENT_USER AND rolname NOT LIKE 'pg\\_%' LOOP
    EXECUTE pg_catalog.format('DROP ROLE %I', r.rolname);
  END LOOP;
END $$;
`;

export async function resetPglite(session: SqlSession): Promise<void> {
  await session.exec(reset);
  const [left] = await session.query<{ what: string | null }>(`
    SELECT pg_catalog.concat_ws(', ',
      (SELECT pg_catalog.string_agg('event trigger ' || evtname, ', ') FROM pg_catalog.pg_event_trigger),
      (SELECT pg_catalog.string_agg('schema ' || nspname, ', ') FROM pg_catalog.pg_namespace WHERE nspname NOT IN ('public', 'information_schema') AND nspname NOT LIKE 'pg\\_%'),
      (SELECT pg_catalog.string_agg('role ' || rolname, ', ') FROM pg_catalog.pg_roles WHERE rolname <> CURRENT_USER AND rolname NOT LIKE 'pg\\_%'),
      (SELECT pg_catalog.string_agg('member ' || member::regrole::text, ', ') FROM pg_catalog.pg_auth_members WHERE member::regrole::text = CURRENT_USER AND roleid::regrole::text NOT LIKE 'pg\\_%'),
      (SELECT 'default privileges' FROM pg_catalog.pg_default_acl LIMIT 1)) AS what`);
  if (left?.what) throw new Error(`bug in the test: resetting PGlite left ${left.what}`);
}
