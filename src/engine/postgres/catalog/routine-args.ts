/**
 * A routine's identity argument types as JSON, from pg_proc.proargtypes (which holds exactly
 * those: IN, INOUT and VARIADIC arguments), in a SELECT over `pg_catalog.pg_proc p`: each type by
 * its schema and own name, an array type as its element's (pg_type.typarray says which).
 */
export const routineArgsSql = `COALESCE((SELECT pg_catalog.json_agg(pg_catalog.json_build_object(
                        'schema', COALESCE(en.nspname, tn.nspname), 'name', COALESCE(e.typname, t.typname), 'array', e.oid IS NOT NULL) ORDER BY a.position)
                      FROM pg_catalog.unnest(p.proargtypes::pg_catalog.oid[]) WITH ORDINALITY AS a(type, position)
                      JOIN pg_catalog.pg_type t ON t.oid = a.type
                      JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
                      LEFT JOIN pg_catalog.pg_type e ON e.typarray = t.oid
                      LEFT JOIN pg_catalog.pg_namespace en ON en.oid = e.typnamespace), '[]'::json)`;

/**
 * A condition on `p`: a routine a program may declare. An extension's (pg_depend's 'e') is the
 * extension's, and one made with another object (an 'i' dependency: a range type's constructors)
 * is part of it.
 */
export const declarableRoutineSql = `NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                       WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid = p.oid AND d.deptype IN ('e', 'i'))`;

/**
 * A condition on `t` (pg_type): a type or domain a program may declare. Array types, tables' and
 * views' row types, multiranges (made with their range) and an extension's types are left out;
 * a composite type made with CREATE TYPE is in (its pg_class row is of relkind 'c').
 */
export const declarableTypeSql = `t.typtype IN ('b', 'c', 'd', 'e', 'r')
       AND NOT EXISTS (SELECT FROM pg_catalog.pg_type e WHERE e.typarray = t.oid)
       AND (t.typrelid = 0 OR EXISTS (SELECT FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'c'))
       AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                       WHERE d.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND d.objid = t.oid AND d.deptype = 'e')`;
