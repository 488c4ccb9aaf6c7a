import type { GeneratedProgram } from "../program-generator.js";
import type { ResolvedDrift } from "./drift-generator.js";
import { myGrantee, myIdent, myLiteralPattern, myQualified, pgIdent, pgLiteral, pgQualified } from "./quote.js";

/**
 * Drift as the statements a person would type: on PostgreSQL one script (run as the superuser),
 * on MySQL/MariaDB one statement per entry (run as root). `a` is the program applied before, for
 * the kind of each object.
 */

type Principal = { readonly name: string; readonly login: boolean; readonly host: string };

function kindOf(a: GeneratedProgram, schema: string, name: string): "table" | "view" | "sequence" {
  const o = a.schemas.find((s) => s.name === schema)?.objects.find((o) => o.name === name || o.partitions?.includes(name));
  if (!o) throw new Error(`bug: drift names ${schema}.${name}, which the program does not declare`);
  return o.kind;
}

export function postgresDriftSql(drift: readonly ResolvedDrift[], a: GeneratedProgram): string {
  const grantee = (g: Principal | "PUBLIC") => (g === "PUBLIC" ? "PUBLIC" : pgIdent(g.name));
  const on = (o: { schema: string; name: string }) => `${kindOf(a, o.schema, o.name) === "sequence" ? "SEQUENCE" : "TABLE"} ${pgQualified(o.schema, o.name)}`;
  const columns = (cols: readonly string[] | undefined) => (cols ? ` (${cols.map(pgIdent).join(", ")})` : "");
  const created = new Set<string>();
  const lines: string[] = [];
  for (const d of drift) {
    switch (d.kind) {
      case "grant":
        // PostgreSQL gives grant options to roles only, not to PUBLIC.
        lines.push(`GRANT ${d.privilege}${columns(d.columns)} ON ${on(d.on)} TO ${grantee(d.grantee)}${d.grantOption && d.grantee !== "PUBLIC" ? " WITH GRANT OPTION" : ""};`);
        break;
      case "pg-database":
        lines.push(`DO $drift$ BEGIN EXECUTE pg_catalog.format('GRANT ${d.privilege} ON DATABASE %I TO %I${d.grantOption ? " WITH GRANT OPTION" : ""}', pg_catalog.current_database(), ${pgLiteral(d.grantee.name)}); END $drift$;`);
        break;
      case "schema":
        lines.push(`GRANT ${d.privilege} ON SCHEMA ${pgIdent(d.schema)} TO ${grantee(d.grantee)}${d.grantOption && d.grantee !== "PUBLIC" ? " WITH GRANT OPTION" : ""};`);
        break;
      case "member":
        lines.push(`GRANT ${pgIdent(d.parent.name)} TO ${pgIdent(d.child.name)}${d.admin ? " WITH ADMIN OPTION" : ""};`);
        break;
      case "predefined":
        lines.push(`GRANT ${pgIdent(d.parent)} TO ${pgIdent(d.child.name)};`);
        break;
      case "attribute":
        lines.push(`ALTER ROLE ${pgIdent(d.role.name)} WITH ${d.attribute};`);
        break;
      case "extra-role":
        if (!created.has(d.name)) lines.push(`CREATE ROLE ${pgIdent(d.name)};`);
        created.add(d.name);
        for (const g of d.grants) lines.push(`GRANT ${g.privilege} ON ${on(g.on)} TO ${pgIdent(d.name)};`);
        lines.push(`GRANT ${pgIdent(d.name)} TO ${pgIdent(d.member.name)};`);
        break;
      case "granted-by":
        // A grant made by a role that holds a grant option: revoking it takes its grantor (or CASCADE).
        lines.push(
          `GRANT USAGE ON SCHEMA ${pgIdent(d.on.schema)} TO ${pgIdent(d.grantor.name)};`,
          `GRANT ${d.privilege} ON ${on(d.on)} TO ${pgIdent(d.grantor.name)} WITH GRANT OPTION;`,
          `SET ROLE ${pgIdent(d.grantor.name)};`,
          `GRANT ${d.privilege} ON ${on(d.on)} TO ${grantee(d.grantee)};`,
          `RESET ROLE;`,
        );
        break;
      case "default-privileges":
        lines.push(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${pgIdent(d.schema)} GRANT ${d.privilege} ON TABLES TO ${pgIdent(d.grantee.name)};`);
        break;
      case "creator-default":
        lines.push(
          `ALTER DEFAULT PRIVILEGES FOR ROLE ${pgIdent(d.creator)}${d.schema === null ? "" : ` IN SCHEMA ${pgIdent(d.schema)}`} ${d.revoke ? "REVOKE" : "GRANT"} ${d.privilege} ON ${d.objects} ${d.revoke ? "FROM" : "TO"} ${grantee(d.grantee)};`,
        );
        break;
      case "comment":
        lines.push(`COMMENT ON ROLE ${pgIdent(d.role.name)} IS ${pgLiteral(d.text)};`);
        break;
      case "setting":
        lines.push(`ALTER ROLE ${pgIdent(d.role.name)} ${d.clause};`);
        break;
      case "revoke":
        lines.push(`REVOKE ALL ON ${on(d.on)} FROM ${grantee(d.grantee)} CASCADE;`);
        break;
      case "revoke-member":
        // A warning, not an error, when it is not a member: a person's REVOKE of what is not there.
        lines.push(`REVOKE ${pgIdent(d.parent.name)} FROM ${pgIdent(d.child.name)};`);
        break;
      case "database":
      case "global":
      case "max-connections":
      case "account-options":
      case "default-role":
      case "revoke-all":
      case "routine":
        throw new Error(`bug: MySQL drift (${d.kind}) in a PostgreSQL case`);
    }
  }
  return lines.join("\n");
}

export function mysqlDriftStatements(drift: readonly ResolvedDrift[]): string[] {
  const who = (p: Principal | "PUBLIC") => (p === "PUBLIC" ? "PUBLIC" : myGrantee(p.name, p.login ? p.host : null));
  const columns = (cols: readonly string[] | undefined) => (cols ? ` (${cols.map(myIdent).join(", ")})` : "");
  const out: string[] = [];
  for (const d of drift) {
    switch (d.kind) {
      case "grant":
        out.push(`GRANT ${d.privilege}${columns(d.columns)} ON ${myQualified(d.on.schema, d.on.name)} TO ${who(d.grantee)}${d.grantOption && d.grantee !== "PUBLIC" ? " WITH GRANT OPTION" : ""}`);
        break;
      case "database": {
        // A pattern: every database whose name starts like this one's (the last character left to %).
        const name = d.pattern ? `${myLiteralPattern([...d.schema].slice(0, -1).join(""))}%` : d.schema;
        out.push(`GRANT ${d.privileges.join(", ")} ON ${myIdent(name)}.* TO ${who(d.grantee)}${d.grantOption && d.grantee !== "PUBLIC" ? " WITH GRANT OPTION" : ""}`);
        break;
      }
      case "global":
        out.push(`GRANT ${d.privilege} ON *.* TO ${who(d.grantee)}`);
        break;
      case "member":
        out.push(`GRANT ${myIdent(d.parent.name)} TO ${who(d.child)}${d.admin ? " WITH ADMIN OPTION" : ""}`);
        break;
      case "extra-role":
        out.push(`CREATE ROLE IF NOT EXISTS ${myIdent(d.name)}`);
        for (const g of d.grants) out.push(`GRANT ${g.privilege} ON ${myQualified(g.on.schema, g.on.name)} TO ${myIdent(d.name)}`);
        out.push(`GRANT ${myIdent(d.name)} TO ${who(d.member)}`);
        break;
      case "max-connections":
        out.push(`ALTER USER ${who(d.role)} WITH MAX_USER_CONNECTIONS ${d.limit}`);
        break;
      case "account-options":
        out.push(`ALTER USER ${who(d.role)} ${d.clause}`);
        break;
      case "default-role":
        if (d.to === "NONE") out.push(`SET DEFAULT ROLE NONE FOR ${who(d.role)}`);
        else out.push(`GRANT ${myIdent(d.to.name)} TO ${who(d.role)}`, `SET DEFAULT ROLE ${myIdent(d.to.name)} FOR ${who(d.role)}`);
        break;
      case "revoke-all":
        // Every privilege at every level (roles granted stay): MySQL's way to strip an account.
        out.push(`REVOKE ALL PRIVILEGES, GRANT OPTION FROM ${who(d.grantee)}`);
        break;
      case "routine":
        out.push(`GRANT ${d.privileges.join(", ")} ON ${d.routineKind.toUpperCase()} ${myQualified(d.schema, d.name)} TO ${who(d.grantee)}${d.grantOption && d.grantee !== "PUBLIC" ? " WITH GRANT OPTION" : ""}`);
        break;
      case "schema":
      case "pg-database":
      case "predefined":
      case "attribute":
      case "granted-by":
      case "default-privileges":
      case "creator-default":
      case "comment":
      case "setting":
      case "revoke":
      case "revoke-member":
        throw new Error(`bug: PostgreSQL drift (${d.kind}) in a MySQL case`);
    }
  }
  return out;
}
