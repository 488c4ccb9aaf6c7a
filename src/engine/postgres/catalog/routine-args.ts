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

/** A condition on `p`: the routine is not an extension's (pg_depend's 'e' dependency), which no program declares. */
export const notAnExtensionsRoutineSql = `NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                       WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid = p.oid AND d.deptype = 'e')`;
