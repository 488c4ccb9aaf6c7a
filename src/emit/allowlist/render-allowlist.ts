import { effectiveGrants } from "../../model/effective.js";
import type { Model } from "../../model/ir.js";
import { spanLocation } from "../../syntax/source.js";
import { rolecVersion } from "../../version.js";

/** The allow-list format's version; bump it on any change a proxy could notice. */
export const allowlistFormatVersion = 1;

/**
 * The proxy allow-list (see targets/allowlist/allowlist.schema.json): default deny, one entry
 * per role with its effective grants flattened through membership, each with the lines it came from.
 * Built as data and serialised, never templated, so it is always valid JSON.
 */
export function buildAllowlist(model: Model): unknown {
  const effective = effectiveGrants(model);
  const objectKinds = new Map(model.objects.map((o) => [`${o.schema}\u0000${o.name}`, o.kind] as const));
  const roles = dictionary<unknown>();
  for (const role of model.roles) {
    const grants = dictionary<Record<string, { kind: string | undefined; privileges: Record<string, unknown> }>>();
    for (const g of effective.get(role.name) ?? []) {
      const schema = (grants[g.object.schema] ??= dictionary());
      const object = (schema[g.object.name] ??= { kind: objectKinds.get(`${g.object.schema}\u0000${g.object.name}`), privileges: dictionary() });
      object.privileges[g.verb] = {
        columns: g.columns === "all" ? "*" : [...g.columns],
        via: [...g.via],
        sources: g.sources.map(spanLocation),
      };
    }
    roles[role.name] = { login: role.login, memberOf: [...role.memberOf], grants };
  }
  return {
    format: "rolec-allowlist",
    formatVersion: allowlistFormatVersion,
    generatedBy: `rolec ${rolecVersion}`,
    sourcesSha256: model.sourcesSha256,
    default: "deny",
    appendOnly: model.objects.filter((o) => o.appendOnly).map((o) => ({ schema: o.schema, object: o.name })),
    roles,
  };
}

/**
 * A map keyed by names from the .roles files. Without a prototype, names such as `__proto__` or
 * `constructor` are plain keys like any other.
 */
function dictionary<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

export function renderAllowlist(model: Model): string {
  return JSON.stringify(buildAllowlist(model), null, 2) + "\n";
}
