import type { Model } from "../model/ir.js";
import type { Name, RoleBlock, SchemaBlock } from "../syntax/ast.js";
import { engines } from "../engine/index.js";
import { objectRef, quoted, type Reporter } from "./reporter.js";

// The limits are the engine's; the words, which name MySQL's own terms, are this rule's.
const mysqlMaxRoleChars = engines.mysql.capabilities.maxRoleChars!;
const mysqlMaxObjectChars = engines.mysql.capabilities.maxObjectChars!;

/**
 * What only the MySQL/MariaDB target asks of a program, on top of the checks every target gets:
 * its names, the verbs it can grant, and that accounts (login roles) are never granted to anything.
 */
export function checkMysqlCapabilities(schemas: readonly SchemaBlock[], roles: readonly RoleBlock[], model: Model, reporter: Reporter): void {
  for (const schema of schemas) {
    checkObjectName(reporter, schema.name, "schema (a MySQL database)");
    for (const object of schema.objects) {
      if (object.objectKind === "sequence") {
        reporter.report(
          "RC0903",
          `sequence ${objectRef(schema.name.value, object.name.value)} is left out of the MySQL/MariaDB script: MySQL has no sequences (AUTO_INCREMENT needs no privilege), so it and its grants are skipped`,
          object.name.span,
        );
        continue;
      }
      checkObjectName(reporter, object.name, object.objectKind);
      for (const partition of object.partitions) checkObjectName(reporter, partition, "partition");
      const seen = new Map<string, Name>();
      for (const column of object.columns) {
        checkObjectName(reporter, column, "column");
        // MySQL compares column names without regard to case, so these would be one column there.
        const folded = column.value.toLowerCase();
        const first = seen.get(folded);
        if (first && first.value !== column.value) {
          reporter.report(
            "RC0906",
            `columns ${quoted(first.value)} and ${quoted(column.value)} of ${objectRef(schema.name.value, object.name.value)} differ only in case; MySQL treats column names without regard to case, so rename one`,
            column.span,
          );
        } else if (!first) seen.set(folded, column);
      }
    }
  }

  const loginRoles = new Set(model.roles.filter((r) => r.login).map((r) => r.name));
  const objectKinds = new Map(model.objects.map((o) => [`${o.schema}\u0000${o.name}`, o.kind]));
  for (const role of roles) {
    for (const option of role.options) {
      if (option.kind === "Host") {
        const host = option.host.value;
        checkNameCharacters(reporter, option.host, "host");
        // MySQL keeps hosts in lower case and compares them so; MariaDB refuses a backslash in SET DEFAULT ROLE, and an @ anywhere.
        if (host !== host.toLowerCase() || host.includes("\\") || host.includes("@") || host.trim() === "" || [...host].length > 255) {
          reporter.report(
            "RC0909",
            `host ${quoted(host)} cannot be used: MySQL keeps hosts in lower case, at most 255 characters, and MariaDB refuses a backslash or an @ in one; write it in lower case, without backslashes or @`,
            option.host.span,
          );
        }
      }
      if (option.kind === "Attribute" && option.attribute !== "superuser") {
        reporter.report(
          "RC0910",
          `${option.attribute} is a PostgreSQL role attribute; MySQL/MariaDB accounts have nothing like it, so remove it or leave mysql out of --target`,
          option.span,
        );
      }
      if (option.kind === "ConnectionLimit" && option.limit === 0 && role.options.some((o) => o.kind === "Login")) {
        reporter.report(
          "RC0908",
          `connection_limit 0 cannot be said on MySQL/MariaDB, where MAX_USER_CONNECTIONS 0 means no limit; to keep the account out, remove login`,
          option.span,
        );
      }
    }
    checkNameCharacters(reporter, role.name, "role name");
    const chars = [...role.name.value].length;
    if (chars > mysqlMaxRoleChars) {
      reporter.report(
        "RC0904",
        `role name ${quoted(role.name.value)} is ${chars} characters long; MySQL allows at most ${mysqlMaxRoleChars} in a role or account name, so shorten it`,
        role.name.span,
      );
    }
    for (const item of role.items) {
      if (item.kind === "Membership") {
        for (const parent of item.parents) {
          if (loginRoles.has(parent.value)) {
            reporter.report(
              "RC0907",
              `role ${quoted(parent.value)} is a login role, so on MySQL/MariaDB it is an account, and an account cannot be granted to another role; move what it grants into a role without login and make both members of that`,
              parent.span,
            );
          }
        }
        continue;
      }
      const kind = item.target.object ? objectKinds.get(`${item.target.schema.value}\u0000${item.target.object.value}`) : undefined;
      for (const privilege of item.privileges) {
        if (privilege.verb === "truncate") {
          reporter.report(
            "RC0901",
            `truncate cannot be granted on MySQL/MariaDB: TRUNCATE needs the DROP privilege there, which would also let ${quoted(role.name.value)} drop the table; grant delete instead, or leave mysql out of --target`,
            privilege.span,
          );
        } else if (privilege.verb === "trigger" && kind === "view") {
          reporter.report("RC0901", `trigger cannot be granted on a view on MySQL/MariaDB: views have no triggers there`, privilege.span);
        } else if (privilege.verb === "all" && kind !== "sequence") {
          reporter.report(
            "RC0902",
            `on MySQL/MariaDB, all leaves out truncate (it needs DROP there) and, on views, trigger`,
            privilege.span,
          );
        }
      }
    }
  }
}

function checkObjectName(reporter: Reporter, name: Name, what: string): void {
  const chars = [...name.value].length;
  if (chars > mysqlMaxObjectChars) {
    reporter.report(
      "RC0904",
      `${what} name ${quoted(name.value)} is ${chars} characters long; MySQL allows at most ${mysqlMaxObjectChars}, so shorten it`,
      name.span,
    );
  }
  checkNameCharacters(reporter, name, `${what} name`);
}

/**
 * What MySQL and MariaDB refuse in every kind of name, hosts included: a trailing space (object
 * names are refused; account, role and host names have it cut off, so the script's next
 * statement names an account that does not exist) and characters outside the Basic Multilingual
 * Plane, which their grant tables' character set cannot store.
 */
function checkNameCharacters(reporter: Reporter, name: Name, what: string): void {
  if (/ $/.test(name.value)) {
    reporter.report("RC0905", `${what} ${quoted(name.value)} ends with a space, which MySQL does not accept in a name; remove it`, name.span);
  }
  if ([...name.value].some((c) => c.codePointAt(0)! > 0xffff)) {
    reporter.report(
      "RC0905",
      `${what} ${quoted(name.value)} holds a character outside the Basic Multilingual Plane (such as an emoji), which MySQL does not accept in a name; remove it`,
      name.span,
    );
  }
}
