import { spawn, spawnSync } from "node:child_process";

/** The command-line client users run the MySQL script with (`mariadb` or `mysql`), if this machine has one. */
export const mysqlClient = ["mariadb", "mysql"].find((name) => spawnSync(name, ["--version"]).status === 0);

/**
 * Runs a script as a user would, `mariadb -h host -u user < mysql.sql`, without blocking this
 * process, so that a test can act on the server from other connections while the script runs.
 */
export function runWithMysqlClient(url: string, script: string): Promise<{ status: number | null; stderr: string }> {
  if (!mysqlClient) throw new Error("no mariadb or mysql client on PATH");
  const u = new URL(url);
  const args = [`--host=${u.hostname || "127.0.0.1"}`, `--port=${u.port || "3306"}`, `--user=${decodeURIComponent(u.username) || "root"}`, "--default-character-set=utf8mb4", "--batch"];
  return new Promise((resolve, reject) => {
    const child = spawn(mysqlClient, args, { env: { ...process.env, MYSQL_PWD: decodeURIComponent(u.password) }, stdio: ["pipe", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stderr }));
    child.stdin.end(script);
  });
}
