// The "Data" section of a change report: per tracked output, the files added, modified, deleted and renamed; per
// changed text file, rows added and removed, and a collapsible sample of them.
import { bytes, code, fenced, html, plural, table } from "./md-text.js";
import type { DataSection, FileChange, OutputChange } from "./report-model.js";
import type { RowDiff } from "./row-diff.js";

const STATUSES = ["added", "modified", "deleted", "renamed"] as const;

/** "+120 −15 rows" (a real minus sign), with the notes that qualify the counts. */
export function rowCounts(r: RowDiff): string {
  const notes: string[] = [];
  if (r.headerChanged) notes.push("header changed");
  if (r.orderIgnored) notes.push("order ignored");
  const counts = `+${r.added.toLocaleString("en-US")} −${r.removed.toLocaleString("en-US")} ${r.unit}`;
  return notes.length > 0 ? `${counts} (${notes.join(", ")})` : counts;
}

/** What the Rows cell says for a changed file. */
function rowsCell(f: FileChange): string {
  if (f.rows) return rowCounts(f.rows);
  const skip = f.skip;
  if (skip === undefined) return f.status === "renamed" ? "same content" : "";
  switch (skip.kind) {
    case "binary":
      return "changed (binary)";
    case "too-large":
      return `changed (too large to compare: ${bytes(skip.size)}, limit ${bytes(skip.limit)})`;
    case "unavailable":
      return `not compared (${skip.reason.replace(/\|/g, "\\|")})`;
    case "not-compared":
      return "not compared (too many changed files)";
  }
}

const pathCell = (f: FileChange): string =>
  f.from !== undefined ? `${code(f.from, true)} → ${code(f.path, true)}` : code(f.path, true);

function sampleBlock(f: FileChange): string {
  const r = f.rows;
  if (!r || r.sample.lines.length === 0) return "";
  const lines = [
    ...(r.sample.header !== undefined ? [` ${r.sample.header}`] : []),
    ...r.sample.lines.map((l) => `${l.op}${l.text}`),
    ...(r.sample.more ? [" …"] : []),
  ];
  const what = r.sample.more
    ? `the first ${plural(r.sample.lines.length, "changed " + r.unit.slice(0, -1))}`
    : `the changed ${r.unit}`;
  return `<details><summary><code>${html(f.path)}</code>: ${what}</summary>\n\n${fenced("diff", lines)}\n</details>\n`;
}

function outputRow(o: OutputChange): string[] {
  return [code(o.isDir ? `${o.output}/` : o.output, true), ...STATUSES.map((s) => String(o.counts[s]))];
}

/** The section's body (without its heading). */
export function dataMarkdown(d: DataSection): string {
  const problems = d.problems.map((p) => `_${p}_\n`).join("");
  if (d.outputs.length === 0) {
    const none = d.outputCount === 0 ? "No outputs are tracked." : "No tracked data changed.";
    return `${none}\n${problems ? `\n${problems}` : ""}`;
  }
  const total = (s: (typeof STATUSES)[number]): number => d.outputs.reduce((n, o) => n + o.counts[s], 0);
  const summary = STATUSES.filter((s) => total(s) > 0).map((s) => `${plural(total(s), "file")} ${s}`);
  let out = `${plural(d.outputs.length, "output")} changed: ${summary.join(", ")}.\n\n`;
  out += table(["Output", "Added", "Modified", "Deleted", "Renamed"], "lrrrr", d.outputs.map(outputRow));
  const files = d.outputs.flatMap((o) => o.files);
  const unlisted = d.outputs.reduce((n, o) => n + o.unlisted, 0);
  out += "\n";
  out += table(
    ["File", "Change", "Rows"],
    "lll",
    files.map((f) => [pathCell(f), f.status, rowsCell(f)]),
  );
  if (unlisted > 0) out += `\n…and ${plural(unlisted, "more changed file")} not listed.\n`;
  const samples = files.map(sampleBlock).filter((s) => s !== "");
  if (samples.length > 0) out += `\n${samples.join("\n")}`;
  if (problems) out += `\n${problems}`;
  return out;
}
