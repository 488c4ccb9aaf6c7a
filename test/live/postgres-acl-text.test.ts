import test from "ava";
import { openPglite, quoteIdent } from "../../src/engine/postgres/index.js";
import { parseAclText } from "../../src/engine/postgres/catalog/acl-text.js";

// The catalog read decodes ACLs from the text PostgreSQL prints (relacl::text); PostgreSQL's own
// aclexplode, joined to pg_roles for the names, is the oracle. Role names are chosen to break a
// careless decoder: each of the characters either quoting layer treats specially, spaces, a
// Unicode name, names that look like ACL syntax, and an empty-looking PUBLIC beside them.
const hostile = ["plain_role", "Mixed Case", 'quo"te', 'two""quotes', "back\\slash", "a=r/b", "comma,brace{}", "ünïcødé", "sp ace", "star*", "  ", "/", "="];

test("every ACL entry decoded from its text is the one aclexplode gives, hostile role names included", async (t) => {
  const session = await openPglite();
  try {
    const owner = "own=er/\"x\"";
    await session.exec(`CREATE ROLE ${quoteIdent(owner)}`);
    await session.exec(`CREATE TABLE t (a int, b int); CREATE SEQUENCE q; ALTER TABLE t OWNER TO ${quoteIdent(owner)}`);
    for (const [i, role] of hostile.entries()) {
      await session.exec(`CREATE ROLE ${quoteIdent(role)}`);
      // A spread of privileges, with and without grant option, granted by the owner and by a holder.
      const privileges = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER", "MAINTAIN"].filter((_, k) => (i + k) % 3 !== 0);
      await session.exec(`SET ROLE ${quoteIdent(owner)}; GRANT ${privileges.join(", ")} ON t TO ${quoteIdent(role)}${i % 2 ? " WITH GRANT OPTION" : ""}; RESET ROLE`);
      await session.exec(`GRANT UPDATE (b) ON t TO ${quoteIdent(role)}`);
      await session.exec(`GRANT USAGE ON SEQUENCE q TO ${quoteIdent(role)}${i % 2 ? "" : " WITH GRANT OPTION"}`);
    }
    await session.exec(`SET ROLE ${quoteIdent(owner)}; GRANT SELECT ON t TO PUBLIC; GRANT SELECT ON t TO ${quoteIdent("Mixed Case")} WITH GRANT OPTION; RESET ROLE`);
    await session.exec(`SET ROLE ${quoteIdent("Mixed Case")}; GRANT SELECT ON t TO ${quoteIdent('quo"te')}; RESET ROLE`);

    const acls = [
      ["t's ACL", "SELECT relacl::text AS text, relacl AS acl FROM pg_class WHERE relname = 't'"],
      ["q's ACL", "SELECT relacl::text AS text, relacl AS acl FROM pg_class WHERE relname = 'q'"],
      ["b's column ACL", "SELECT attacl::text AS text, attacl AS acl FROM pg_attribute WHERE attrelid = 't'::regclass AND attname = 'b'"],
      ["a NULL ACL's default", "SELECT acldefault('r', oid)::text AS text, acldefault('r', oid) AS acl FROM pg_roles WHERE rolname = current_user"],
    ];
    for (const [what, sql] of acls) {
      const [row] = await session.query<{ text: string }>(sql!);
      const expected = await session.query<{ grantee: string | null; grantor: string; privilege: string; grantable: boolean }>(
        `SELECT CASE WHEN x.grantee = 0 THEN NULL ELSE ge.rolname END AS grantee, gr.rolname AS grantor, x.privilege_type AS privilege, x.is_grantable AS grantable
         FROM (${sql}) s CROSS JOIN LATERAL aclexplode(s.acl) x
         LEFT JOIN pg_roles ge ON ge.oid = x.grantee JOIN pg_roles gr ON gr.oid = x.grantor`,
      );
      const key = (e: { grantee: string | null; grantor: string; privilege: string; grantable: boolean }) => JSON.stringify([e.grantee, e.grantor, e.privilege, e.grantable]);
      t.true(expected.length > 0, what);
      t.deepEqual(parseAclText(row!.text).map(key).sort(), expected.map(key).sort(), `${what}: ${row!.text}`);
    }
  } finally {
    await session.close();
  }
});

test("an empty ACL has no entries", (t) => {
  t.deepEqual(parseAclText("{}"), []);
});
