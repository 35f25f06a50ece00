// DVC's human `status` layout: nested sections with tab indents, "<state>:" padded to 20 columns.
type Node = string | Node[] | { [k: string]: Node };

export function statusText(status: Record<string, unknown>, indent = 0): string {
  let out = "";
  const show = (node: Node, ind: number): void => {
    const pad = "\t".repeat(ind);
    if (typeof node === "string") {
      out += `${pad}${node}\n`;
      return;
    }
    if (Array.isArray(node)) {
      for (const n of node) show(n, ind);
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === "string") out += `${pad}${`${value}:`.padEnd(20)}${key}\n`;
      else {
        out += `${pad}${key}:\n`;
        show(value, ind + 1);
      }
    }
  };
  show(status as Node, indent);
  return out;
}

export const STATUS_UP_TO_DATE = "Data and pipelines are up to date.\n";

/** `status -c` with nothing to move. */
export const cloudInSyncText = (remote: string): string => `Cache and remote '${remote}' are in sync.\n`;
