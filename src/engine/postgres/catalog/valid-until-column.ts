/**
 * pg_roles.rolvaliduntil of `r` as valid-until.ts keeps it: `infinity` where there is no end (NULL
 * or infinity), otherwise the moment in UTC, ISO text with milliseconds. `-infinity` (never
 * valid) stays as it is: no declared value equals it, and import cannot say it.
 */
export const validUntilColumnSql = `CASE WHEN r.rolvaliduntil IS NULL OR r.rolvaliduntil = 'infinity'::timestamptz THEN 'infinity'
              WHEN r.rolvaliduntil = '-infinity'::timestamptz THEN '-infinity'
              ELSE pg_catalog.to_char(r.rolvaliduntil AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') END`;
