import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** A small deterministic random source (mulberry32), so a run can be replayed from its seed. */
export function randomSource(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every .roles file under examples/ and the test corpus, the seeds mutations start from. */
export function seedCorpus(root: string): string[] {
  const files: string[] = [];
  for (const dir of ["examples", "test/syntax", "test/check/cases"]) {
    for (const entry of readdirSync(path.join(root, dir), { recursive: true })) {
      if (String(entry).endsWith(".roles")) files.push(readFileSync(path.join(root, dir, String(entry)), "utf8"));
    }
  }
  return files;
}

const fragments = [
  "schema", "table", "view", "sequence", "append_only", "partitions", "role", "login", "connection_limit", "host", "member of",
  "on", "except", "select", "insert", "update", "delete", "truncate", "references", "trigger", "usage", "all", "foreign key",
  "references", "on delete cascade", "{", "}", "(", ")", ",", ".", "*", "\"", '""', "//", "/*", "*/", "///", "\n", " ", "-1",
  "2147483648", "99999999999999999999", "\u0000", "\u202e", "\ud800", "é", "`", "'", ";", "\\", "\r\n", "\t",
];

/**
 * One input: random bytes, random tokens, a mutated seed file, deep nesting or a huge input,
 * chosen at random, so that a run covers all of them.
 */
export function nextInput(random: () => number, corpus: readonly string[]): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const int = (n: number) => Math.floor(random() * n);
  // Mostly small inputs, which are fast; one in ten deeply nested or huge.
  const kind = int(20);
  switch (kind < 4 ? 0 : kind < 8 ? 1 : kind < 18 ? 2 : kind === 18 ? 4 : 5) {
    case 0: {
      const bytes = Buffer.alloc(int(300));
      for (let i = 0; i < bytes.length; i++) bytes[i] = int(256);
      return bytes.toString("utf8");
    }
    case 1:
      return Array.from({ length: int(80) }, () => pick(fragments)).join(pick(["", " ", "\n"]));
    case 2: {
      let text = pick(corpus);
      for (let m = 0, n = 1 + int(8); m < n; m++) {
        const at = int(text.length + 1);
        const end = Math.min(text.length, at + int(20));
        const op = int(4);
        if (op === 0) text = text.slice(0, at) + text.slice(end);
        else if (op === 1) text = text.slice(0, at) + pick(fragments) + text.slice(at);
        else if (op === 2) text = text.slice(0, at) + text.slice(at, end).repeat(1 + int(5)) + text.slice(end);
        else text = text.slice(0, at) + String.fromCharCode(int(0x3000)) + text.slice(end);
      }
      return text;
    }
    case 4: {
      // Deep nesting: the parser must report, not overflow its stack.
      const depth = 1000 + int(50_000);
      return pick(["(", "{", "role r { select on s.t except ", "schema s { table t ("]).repeat(depth);
    }
    default: {
      // Huge: many declarations, or one enormous name or comment.
      const n = 2000 + int(20_000);
      return pick([
        () => `schema s {\n${Array.from({ length: n }, (_, i) => `  table t${i} (a, b)`).join("\n")}\n}\nrole r { select on s.* }\n`,
        () => `schema s { table "${"x".repeat(n * 50)}" (a) }\n`,
        () => `/* ${"*".repeat(n * 50)}`,
        () => `role r { select (${Array.from({ length: n }, (_, i) => `c${i}`).join(", ")}) on s.t }\n`,
      ])();
    }
  }
}
