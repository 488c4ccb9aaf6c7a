import { effectiveGrantsOf } from "../../model/effective.js";
import type { Model } from "../../model/ir.js";
import { spanLocation, type Span } from "../../syntax/source.js";
import { rolecVersion } from "../../version.js";

/** The allow-list format's version; bump it on any change a proxy could notice. */
export const allowlistFormatVersion = 1;

/**
 * The proxy allow-list (see targets/allowlist/allowlist.schema.json): default deny, one entry
 * per role with its effective grants flattened through membership, each with the lines it came from.
 * Built as data and serialised, never templated, so it is always valid JSON.
 */
export function buildAllowlist(model: Model): unknown {
  return JSON.parse(renderAllowlist(model));
}

export function renderAllowlist(model: Model): string {
  const effective = effectiveGrantsOf(model);
  const objectKinds = new Map(model.objects.map((o) => [`${o.schema}\u0000${o.name}`, o.kind] as const));
  // A few hundred grant lines stand behind hundreds of thousands of effective grants: name each once.
  const locations = new Map<Span, string>();
  const locationOf = (span: Span) => locations.get(span) ?? (locations.set(span, spanLocation(span)), spanLocation(span));
  const roles = dictionary<{ toJSON(): unknown }>();
  for (const role of model.roles) {
    // Each role's entry is built when the serialiser reaches it and let go after, so a large
    // program never holds every role's effective grants as data at once.
    roles[role.name] = {
      toJSON() {
        const grants = dictionary<Record<string, { kind: string | undefined; privileges: Record<string, unknown> }>>();
        for (const g of effective(role.name)) {
          const schema = (grants[g.object.schema] ??= dictionary());
          const object = (schema[g.object.name] ??= { kind: objectKinds.get(`${g.object.schema}\u0000${g.object.name}`), privileges: dictionary() });
          object.privileges[g.verb] = {
            columns: g.columns === "all" ? "*" : g.columns,
            via: g.via,
            sources: g.sources.map(locationOf),
          };
        }
        return { login: role.login, memberOf: role.memberOf, grants };
      },
    };
  }
  const document = {
    format: "rolec-allowlist",
    formatVersion: allowlistFormatVersion,
    generatedBy: `rolec ${rolecVersion}`,
    sourcesSha256: model.sourcesSha256,
    default: "deny",
    appendOnly: model.objects.filter((o) => o.appendOnly).map((o) => ({ schema: o.schema, object: o.name })),
    roles,
  };
  return JSON.stringify(document, null, 2) + "\n";
}

/**
 * A map keyed by names from the .roles files. Without a prototype, names such as `__proto__` or
 * `constructor` are plain keys like any other.
 */
function dictionary<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
