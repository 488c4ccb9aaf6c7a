/** How many chains are listed per role and holder: a diamond of memberships doubles them at each level. */
export const chainLimit = 16;

/**
 * For a role and a holder, the membership chains by which the role holds what the holder holds: each a list of role names
 * from the role to the holder, following only the memberships that pass privileges on (`parents`
 * gives none for a NOINHERIT role). Shortest first, then in name order; at most `chainLimit`,
 * and `truncated` says when there were more. The role itself is the chain `[role]`.
 */
export function membershipChains(parents: ReadonlyMap<string, readonly string[]>): (role: string, holder: string) => MembershipChains {
  const children = new Map<string, string[]>();
  for (const [child, list] of parents) for (const parent of list) children.set(parent, [...(children.get(parent) ?? []), child]);
  const reaching = new Map<string, Set<string>>();
  return (role, holder) => {
    let leadsToHolder = reaching.get(holder);
    if (!leadsToHolder) reaching.set(holder, (leadsToHolder = rolesReaching(holder, children)));
    return chainsBetween(role, holder, parents, leadsToHolder);
  };
}

export interface MembershipChains {
  readonly chains: string[][];
  /** More chains than chainLimit lead there; the shortest are listed. */
  readonly truncated: boolean;
}

function chainsBetween(role: string, holder: string, parents: ReadonlyMap<string, readonly string[]>, leadsToHolder: ReadonlySet<string>): MembershipChains {
  const chains: string[][] = [];
  let truncated = false;
  // Depth-first over simple paths; cycles are reported by the checker, and a visited set guards against them here.
  const walk = (path: string[], onPath: Set<string>) => {
    if (truncated) return;
    const last = path[path.length - 1]!;
    if (last === holder) {
      if (chains.length === chainLimit * 4) truncated = true;
      else chains.push([...path]);
      return;
    }
    for (const parent of [...(parents.get(last) ?? [])].sort()) {
      if (onPath.has(parent) || !leadsToHolder.has(parent)) continue;
      onPath.add(parent);
      path.push(parent);
      walk(path, onPath);
      path.pop();
      onPath.delete(parent);
    }
  };
  walk([role], new Set([role]));
  chains.sort((a, b) => a.length - b.length || compareChains(a, b));
  if (chains.length > chainLimit) truncated = true;
  return { chains: chains.slice(0, chainLimit), truncated };
}

/** The roles whose chains of parents reach `holder`, itself included: the walk never enters a branch that cannot end there. */
function rolesReaching(holder: string, children: ReadonlyMap<string, readonly string[]>): Set<string> {
  const found = new Set([holder]);
  const stack = [holder];
  while (stack.length > 0) for (const child of children.get(stack.pop()!) ?? []) if (!found.has(child)) (found.add(child), stack.push(child));
  return found;
}

function compareChains(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length - b.length;
}
