-- The catalog floor for reading a MariaDB server's grants: the rows any reader of grants must fetch
-- (accounts and roles, role memberships, database-, table-, column- and routine-level grants) and
-- the user tables' names. The counterpart of ../shared/bench/floor.sql, which has no MariaDB form.
-- mariadb --batch --skip-column-names < floor-mysql.sql > /dev/null
SELECT User, Host, Priv FROM mysql.global_priv;
SELECT Role, User, Host, Admin_option FROM mysql.roles_mapping;
SELECT * FROM mysql.db;
SELECT * FROM mysql.tables_priv;
SELECT * FROM mysql.columns_priv;
SELECT * FROM mysql.procs_priv;
SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES
 WHERE TABLE_SCHEMA NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys');
