import { quoteDollar, quoteIdent, quoteLiteral, quoteQualified } from "../quote.js";
import type { Model } from "../../../model/ir.js";
import { verbsByKind } from "../../../model/verbs.js";
import type { Expectations } from "../../../model/expectations.js";
import { withPartitions, type StatementProbe } from "./probes.js";

/** verify's own grantee for the GRANT probes, made inside the probes' transaction: no declared role may start with rolec_ (RC0702). */
export const grantOptionProbeRole = "rolec_verify_grantee";

/**
 * A grant option proved with a real GRANT: as each role, for each verb it holds on a whole object,
 * GRANT it to verify's own role. PostgreSQL only warns when the role holds the privilege without
 * the option, so the block then reads the object's ACL and fails when nothing was granted. It
 * succeeds exactly where the files declare the option for the role or one it inherits from.
 */
export function grantOptionProbes(model: Model, expect: Expectations): StatementProbe[] {
  const probes: StatementProbe[] = [];
  const grantee = quoteIdent(grantOptionProbeRole);
  for (const role of model.roles.map((r) => r.name)) {
    for (const object of withPartitions(model)) {
      const target = quoteQualified(object.schema, object.name);
      const keyword = object.kind === "sequence" ? "SEQUENCE" : "TABLE";
      for (const verb of verbsByKind[object.kind === "sequence" ? "sequence" : "table"]) {
        if (!expect.onObject(role, object, verb)) continue;
        const privilege = verb.toUpperCase();
        const body = `BEGIN
  GRANT ${privilege} ON ${keyword} ${target} TO ${grantee};
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_class c CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) a
                 WHERE c.oid = ${quoteLiteral(target)}::pg_catalog.regclass AND a.privilege_type = ${quoteLiteral(privilege)}
                   AND a.grantee = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = ${quoteLiteral(grantOptionProbeRole)})) THEN
    RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = 'no privileges were granted (no grant option)';
  END IF;
END`;
        probes.push({ role, object, verb, sql: `DO ${quoteDollar(body)}`, expected: expect.withGrantOption(role, object, verb) ? "allowed" : "denied", grantOption: true });
      }
    }
  }
  return probes;
}
