import { isAccountOptions } from "../model/account-options.js";
import { createHash } from "node:crypto";
import { InputError } from "../diagnostics/input-error.js";
import { PUBLIC, type DefaultGrant, type DatabaseGrant, type ServerGrant, type DbObject, type Grant, type Model, type Role, type Routine, type RoutineName, type SchemaGrant, type DbType } from "../model/ir.js";
import type { ArgType } from "../model/argument-types.js";
import { databaseVerbOrder, defaultObjectsOrder, defaultVerbsByObjects, schemaVerbOrder, serverVerbOrder, verbOrder, type DatabaseVerb, type DefaultObjects, type DefaultVerb, type SchemaVerb, type ServerVerb, type Verb } from "../model/verbs.js";
import { roleAttributeOrder, type RoleAttribute } from "../model/role-attributes.js";
import { parseValidUntil } from "../model/valid-until.js";
import { isParameterName, type RoleSetting } from "../model/role-settings.js";
import type { Span } from "../source/source.js";
import { databaseTargets, type DatabaseTarget } from "../engine/index.js";

/** What a migration is written for: PostgreSQL, MariaDB, or MySQL 8 (their role statements differ), by `--target`'s names. */
export type MigrationTarget = DatabaseTarget;
export const migrationTargets: readonly MigrationTarget[] = databaseTargets;

/**
 * The state of the sources a migration brings the database to, kept at the end of the migration
 * file as SQL comments, one fact per line, so the next migration knows where it starts from and a
 * reviewer can read it. The closing line holds a digest of the lines before it: a hand-edited
 * state would make the next migration wrong, so it is refused.
 */
export interface RecordedState {
  readonly target: MigrationTarget;
  readonly objects: readonly Pick<DbObject, "schema" | "name" | "kind" | "appendOnly" | "columns" | "partitions">[];
  /** `external` and `attributes` are written only when there are some, so a state without any reads as before. */
  readonly roles: readonly (Pick<Role, "name" | "login" | "connectionLimit" | "host" | "memberOf" | "account"> & { readonly doc: string | null; readonly external?: true; readonly attributes?: readonly RoleAttribute[]; readonly validUntil?: string; readonly settings?: readonly RoleSetting[]; readonly databaseSettings?: readonly RoleSetting[]; readonly adminOf?: readonly string[] })[];
  readonly grants: readonly (Pick<Grant, "role" | "verb" | "columns" | "grantable"> & { readonly schema: string; readonly name: string })[];
  /** Written as `routine` and `routine-grant` lines, which a state from before them simply does not have. */
  readonly routines?: readonly Pick<Routine, "schema" | "name" | "args" | "kind">[];
  readonly routineGrants?: readonly (RoutineName & { readonly role: string; readonly grantable?: true })[];
  /** Written as `type` and `type-grant` lines, likewise. */
  readonly types?: readonly Pick<DbType, "schema" | "name" | "kind">[];
  readonly typeGrants?: readonly { readonly role: string; readonly schema: string; readonly name: string; readonly grantable?: true }[];
  /** Written as `schema-grant` lines, which a state from before them simply does not have. */
  readonly schemaGrants: readonly Pick<SchemaGrant, "role" | "schema" | "verb" | "grantable">[];
  /** Written as `database-grant` lines, likewise. */
  readonly databaseGrants: readonly Pick<DatabaseGrant, "role" | "verb" | "grantable">[];
  /** Written as `server-grant` lines, likewise. */
  readonly serverGrants?: readonly Pick<ServerGrant, "role" | "verb">[];
  /** Written as `default-grant` lines, likewise; PUBLIC's among them. */
  readonly defaultGrants?: readonly Pick<DefaultGrant, "role" | "creator" | "schema" | "objects" | "verb" | "grantable">[];
  /** Whether the sources have a `public` block (a `public` line); PUBLIC's own lines are among the grants, with role PUBLIC. */
  readonly public?: true;
}

const header = "-- rolec-state 1";
const footer = "-- rolec-state end sha256:";

export function recordState(model: Model, target: MigrationTarget): RecordedState {
  return {
    target,
    objects: model.objects.map((o) => ({ schema: o.schema, name: o.name, kind: o.kind, appendOnly: o.appendOnly, columns: o.columns, partitions: o.partitions })),
    roles: model.roles.map((r) => ({
      name: r.name,
      login: r.login,
      connectionLimit: r.connectionLimit,
      host: r.host,
      memberOf: r.memberOf,
      doc: r.doc ?? null,
      ...(r.account ? { account: r.account } : {}),
      ...(r.external ? { external: true as const } : {}),
      ...(r.attributes.length > 0 ? { attributes: r.attributes } : {}),
      ...(r.validUntil !== undefined ? { validUntil: r.validUntil } : {}),
      ...(r.settings.length > 0 ? { settings: r.settings } : {}),
      ...(r.databaseSettings.length > 0 ? { databaseSettings: r.databaseSettings } : {}),
      ...(r.adminOf !== undefined ? { adminOf: r.adminOf } : {}),
    })),
    grants: [...model.grants, ...(model.public?.grants ?? [])].map((g) => ({ role: g.role, schema: g.object.schema, name: g.object.name, verb: g.verb, columns: g.columns, ...(g.grantable ? { grantable: true as const } : {}) })),
    routines: model.routines.map((r) => ({ schema: r.schema, name: r.name, kind: r.kind, args: r.args })),
    routineGrants: [...model.routineGrants, ...(model.public?.routineGrants ?? [])].map((g) => ({ role: g.role, schema: g.routine.schema, name: g.routine.name, args: g.routine.args, ...(g.grantable ? { grantable: true as const } : {}) })),
    types: model.types.map((t) => ({ schema: t.schema, name: t.name, kind: t.kind })),
    typeGrants: [...model.typeGrants, ...(model.public?.typeGrants ?? [])].map((g) => ({ role: g.role, schema: g.type.schema, name: g.type.name, ...(g.grantable ? { grantable: true as const } : {}) })),
    schemaGrants: [...model.schemaGrants, ...(model.public?.schemaGrants ?? [])].map((g) => ({ role: g.role, schema: g.schema, verb: g.verb, ...(g.grantable ? { grantable: true as const } : {}) })),
    databaseGrants: [...model.databaseGrants, ...(model.public?.databaseGrants ?? [])].map((g) => ({ role: g.role, verb: g.verb, ...(g.grantable ? { grantable: true as const } : {}) })),
    serverGrants: model.serverGrants.map((g) => ({ role: g.role, verb: g.verb })),
    defaultGrants: model.defaultGrants.map((g) => ({ role: g.role, creator: g.creator, schema: g.schema, objects: g.objects, verb: g.verb, ...(g.grantable ? { grantable: true as const } : {}) })),
    ...(model.public ? { public: true as const } : {}),
  };
}

/** The state as comment lines: JSON never holds a raw line break, so each fact stays on its line. */
export function renderRecordedState(state: RecordedState): string {
  const lines = [
    `${header} ${state.target}`,
    ...state.objects.map((o) => `-- object ${JSON.stringify(o)}`),
    ...state.roles.map((r) => `-- role ${JSON.stringify(r)}`),
    ...state.grants.map((g) => `-- grant ${JSON.stringify(g)}`),
    ...(state.routines ?? []).map((r) => `-- routine ${JSON.stringify(r)}`),
    ...(state.routineGrants ?? []).map((g) => `-- routine-grant ${JSON.stringify(g)}`),
    ...(state.types ?? []).map((t) => `-- type ${JSON.stringify(t)}`),
    ...(state.typeGrants ?? []).map((g) => `-- type-grant ${JSON.stringify(g)}`),
    ...state.schemaGrants.map((g) => `-- schema-grant ${JSON.stringify(g)}`),
    ...state.databaseGrants.map((g) => `-- database-grant ${JSON.stringify(g)}`),
    ...(state.serverGrants ?? []).map((g) => `-- server-grant ${JSON.stringify(g)}`),
    ...(state.defaultGrants ?? []).map((g) => `-- default-grant ${JSON.stringify(g)}`),
    ...(state.public ? ["-- public {}"] : []),
  ];
  return [...lines, `${footer}${digest(lines)}`].join("\n") + "\n";
}

/** Whether a file holds a recorded state (files without one are other tools' migrations). */
export function hasRecordedState(text: string): boolean {
  return text.split("\n").some((line) => line.startsWith(`${header} `));
}

/** Reads the recorded state back; anything out of shape is an error naming the file and line. */
export function parseRecordedState(text: string, file: string): RecordedState {
  const all = text.split("\n").map((line) => line.replace(/\r$/, ""));
  const start = all.findIndex((line) => line.startsWith(`${header} `));
  const fail = (index: number, why: string): never => {
    throw new InputError(`${file}:${index + 1}: ${why}`);
  };
  if (start < 0) fail(0, "holds no rolec state");
  const end = all.findIndex((line, i) => i > start && line.startsWith(footer));
  if (end < 0) fail(start, "the rolec state is not closed by a `-- rolec-state end` line; the file was cut short or edited");
  const lines = all.slice(start, end);
  if (all[end]!.slice(footer.length) !== digest(lines)) {
    fail(end, "the rolec state was edited by hand (its digest does not match); restore the file from version control, the next migration starts from it");
  }
  const target = lines[0]!.slice(header.length + 1);
  if (!(migrationTargets as readonly string[]).includes(target)) fail(start, `unknown migration target ${JSON.stringify(target)}`);
  const objects: RecordedState["objects"][number][] = [];
  const roles: RecordedState["roles"][number][] = [];
  const grants: RecordedState["grants"][number][] = [];
  const schemaGrants: RecordedState["schemaGrants"][number][] = [];
  const databaseGrants: RecordedState["databaseGrants"][number][] = [];
  const routines: NonNullable<RecordedState["routines"]>[number][] = [];
  const routineGrants: NonNullable<RecordedState["routineGrants"]>[number][] = [];
  const types: NonNullable<RecordedState["types"]>[number][] = [];
  const typeGrants: NonNullable<RecordedState["typeGrants"]>[number][] = [];
  const defaultGrants: NonNullable<RecordedState["defaultGrants"]>[number][] = [];
  const serverGrants: NonNullable<RecordedState["serverGrants"]>[number][] = [];
  let hasPublic = false;
  lines.slice(1).forEach((line, i) => {
    const match = /^-- (object|role|grant|routine|routine-grant|type|type-grant|schema-grant|database-grant|server-grant|default-grant|public) (\{.*\})$/.exec(line);
    if (!match) return fail(start + 1 + i, "is not a line of the rolec state");
    let value: unknown;
    try {
      value = JSON.parse(match[2]!);
    } catch {
      return fail(start + 1 + i, "holds JSON that does not parse");
    }
    const v = value as Record<string, unknown>;
    const ok =
      match[1] === "object"
        ? isText(v.schema) && isText(v.name) && ["table", "view", "sequence"].includes(v.kind as string) && typeof v.appendOnly === "boolean" && isTextList(v.columns) && isTextList(v.partitions)
        : match[1] === "role"
          ? isText(v.name) && typeof v.login === "boolean" && Number.isSafeInteger(v.connectionLimit) && typeof v.host === "string" && isTextList(v.memberOf) && (v.doc === null || typeof v.doc === "string") && (v.external === undefined || v.external === true) && (v.attributes === undefined || (Array.isArray(v.attributes) && v.attributes.every((a) => roleAttributeOrder.includes(a as RoleAttribute)))) && (v.validUntil === undefined || (typeof v.validUntil === "string" && parseValidUntil(v.validUntil) === v.validUntil)) && (v.settings === undefined || isSettingList(v.settings)) && (v.databaseSettings === undefined || isSettingList(v.databaseSettings)) && (v.adminOf === undefined || (isTextList(v.adminOf) && v.adminOf.every((p) => (v.memberOf as string[]).includes(p)))) && (v.account === undefined || isAccountOptions(v.account))
          : match[1] === "routine"
            ? isText(v.schema) && isText(v.name) && (v.kind === "function" || v.kind === "procedure") && isArgTypeList(v.args) && Object.keys(v).length === 4
          : match[1] === "routine-grant"
            ? isText(v.role) && isText(v.schema) && isText(v.name) && isArgTypeList(v.args) && Object.keys(v).length === (v.grantable === undefined ? 4 : 5) && optionHolder(v)
          : match[1] === "type"
            ? isText(v.schema) && isText(v.name) && (v.kind === "type" || v.kind === "domain") && Object.keys(v).length === 3
          : match[1] === "type-grant"
            ? isText(v.role) && isText(v.schema) && isText(v.name) && Object.keys(v).length === (v.grantable === undefined ? 3 : 4) && optionHolder(v)
          : match[1] === "public"
            ? Object.keys(v).length === 0
          : match[1] === "default-grant"
            ? isText(v.role) && isText(v.creator) && (v.schema === null || isText(v.schema)) && defaultObjectsOrder.includes(v.objects as DefaultObjects) && defaultVerbsByObjects[v.objects as DefaultObjects].includes(v.verb as DefaultVerb) && (v.schema === null || v.objects !== "schemas") && Object.keys(v).length === (v.grantable === undefined ? 5 : 6) && optionHolder(v)
          : match[1] === "schema-grant"
            ? isText(v.role) && isText(v.schema) && schemaVerbOrder.includes(v.verb as SchemaVerb) && Object.keys(v).length === (v.grantable === undefined ? 3 : 4) && optionHolder(v)
            : match[1] === "database-grant"
              ? isText(v.role) && databaseVerbOrder.includes(v.verb as DatabaseVerb) && Object.keys(v).length === (v.grantable === undefined ? 2 : 3) && optionHolder(v)
            : match[1] === "server-grant"
              ? isText(v.role) && v.role !== PUBLIC && serverVerbOrder.includes(v.verb as ServerVerb) && Object.keys(v).length === 2
            : isText(v.role) && isText(v.schema) && isText(v.name) && verbOrder.includes(v.verb as Verb) && (v.columns === "all" || isTextList(v.columns)) && (v.grantable === undefined || (v.grantable === true && v.columns === "all" && v.role !== PUBLIC));
    if (!ok) return fail(start + 1 + i, `holds a ${match[1]} that is not in the shape rolec writes`);
    if (match[1] === "object") objects.push(v as never);
    else if (match[1] === "role") roles.push(v as never);
    else if (match[1] === "schema-grant") schemaGrants.push(v as never);
    else if (match[1] === "routine") routines.push(v as never);
    else if (match[1] === "routine-grant") routineGrants.push(v as never);
    else if (match[1] === "type") types.push(v as never);
    else if (match[1] === "type-grant") typeGrants.push(v as never);
    else if (match[1] === "database-grant") databaseGrants.push(v as never);
    else if (match[1] === "server-grant") serverGrants.push(v as never);
    else if (match[1] === "default-grant") defaultGrants.push(v as never);
    else if (match[1] === "public") hasPublic = true;
    else grants.push(v as never);
  });
  return { target: target as MigrationTarget, objects, roles, grants, routines, routineGrants, types, typeGrants, schemaGrants, databaseGrants, serverGrants, defaultGrants, ...(hasPublic ? { public: true as const } : {}) };
}

/** A model holding just what the state records, for the planners; its spans point at the migration file. */
export function modelFromState(state: RecordedState, file: string): Model {
  const span: Span = { file, startOffset: 0, endOffset: 0, startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 };
  const grants = state.grants.map((g) => ({ role: g.role, object: { schema: g.schema, name: g.name }, verb: g.verb, columns: g.columns, ...(g.grantable ? { grantable: true as const } : {}), sources: [span] }));
  const schemaGrants = state.schemaGrants.map((g) => ({ role: g.role, schema: g.schema, verb: g.verb, ...(g.grantable ? { grantable: true as const } : {}), sources: [span] }));
  const routineGrants = (state.routineGrants ?? []).map((g) => ({ role: g.role, routine: { schema: g.schema, name: g.name, args: g.args }, ...(g.grantable ? { grantable: true as const } : {}), sources: [span] }));
  const typeGrants = (state.typeGrants ?? []).map((g) => ({ role: g.role, type: { schema: g.schema, name: g.name }, ...(g.grantable ? { grantable: true as const } : {}), sources: [span] }));
  const databaseGrants = state.databaseGrants.map((g) => ({ role: g.role, verb: g.verb, ...(g.grantable ? { grantable: true as const } : {}), sources: [span] }));
  return {
    // Sensitivity is not recorded: it changes no statement a migration holds.
    objects: state.objects.map((o) => ({ ...o, sensitive: false, sensitiveColumns: [], doc: undefined, span })),
    routines: (state.routines ?? []).map((r) => ({ ...r, doc: undefined, span })),
    routineGrants: routineGrants.filter((g) => g.role !== PUBLIC),
    types: (state.types ?? []).map((t) => ({ ...t, doc: undefined, span })),
    typeGrants: typeGrants.filter((g) => g.role !== PUBLIC),
    roles: state.roles.map((r) => ({ ...r, external: r.external === true, attributes: r.attributes ?? [], settings: r.settings ?? [], databaseSettings: r.databaseSettings ?? [], doc: r.doc ?? undefined, span })),
    grants: grants.filter((g) => g.role !== PUBLIC),
    schemaGrants: schemaGrants.filter((g) => g.role !== PUBLIC),
    databaseGrants: databaseGrants.filter((g) => g.role !== PUBLIC),
    serverGrants: (state.serverGrants ?? []).map((g) => ({ ...g, sources: [span] })),
    defaultGrants: (state.defaultGrants ?? []).map((g) => ({ ...g, sources: [span] })),
    ...(state.public ? { public: { grants: grants.filter((g) => g.role === PUBLIC), routineGrants: routineGrants.filter((g) => g.role === PUBLIC), typeGrants: typeGrants.filter((g) => g.role === PUBLIC), schemaGrants: schemaGrants.filter((g) => g.role === PUBLIC), databaseGrants: databaseGrants.filter((g) => g.role === PUBLIC) } } : {}),
    sources: [],
    sourcesSha256: "",
  };
}

function digest(lines: readonly string[]): string {
  return createHash("sha256").update(lines.join("\n")).digest("hex");
}

/** A recorded grant option: `true` when present, and never PUBLIC's. */
function optionHolder(v: Record<string, unknown>): boolean {
  return v.grantable === undefined || (v.grantable === true && v.role !== PUBLIC);
}

function isText(value: unknown): value is string {
  return typeof value === "string" && value.length > 0;
}

function isTextList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(isText);
}

function isArgTypeList(value: unknown): value is ArgType[] {
  return Array.isArray(value) && value.every((t) => typeof t === "object" && t !== null && isText((t as ArgType).schema) && isText((t as ArgType).name) && typeof (t as ArgType).array === "boolean" && Object.keys(t).length === 3);
}

function isSettingList(value: unknown): value is RoleSetting[] {
  return Array.isArray(value) && value.every((s) => typeof s === "object" && s !== null && isParameterName((s as RoleSetting).parameter) && Array.isArray((s as RoleSetting).values) && (s as RoleSetting).values.every((v) => typeof v === "string"));
}
