// The report's Markdown from fixed data: the marker and title, both commits, DVC's metrics table with ▲/▼ and
// verdicts, params, data per output with row counts and samples, plots, the repro run; and the one-line answers of
// sections with nothing to show.
import { describe, expect, it } from "vitest";
import { markerName } from "../../../src/report/comment-body.js";
import { code, fenced } from "../../../src/report/md-text.js";
import type { ReportData } from "../../../src/report/report-model.js";
import { reportMarkdown } from "../../../src/report/report-md.js";
import { rowDiff } from "../../../src/report/row-diff.js";
import { PyFloat } from "../../../src/util/py-float.js";

const BASE = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e";
const HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";

function data(): ReportData {
  return {
    name: "train",
    targets: [],
    base: {
      commit: BASE,
      label: "f95f852",
      workspace: false,
      why: "the merge base of the pull request's base `main` and the head",
    },
    head: { commit: HEAD, label: "ec26c3e", workspace: true },
    metrics: {
      files: ["metrics.json"],
      rows: [
        {
          path: "metrics.json",
          key: "acc",
          old: 0.9,
          new: 0.925,
          diff: 0.025,
          direction: "higher",
          verdict: "improved",
        },
        {
          path: "metrics.json",
          key: "loss",
          old: 0.25,
          new: 0.3,
          diff: 0.04999999999999999,
          direction: "lower",
          verdict: "regressed",
        },
        { path: "metrics.json", key: "epochs", old: 10, new: 12, diff: 2 },
        {
          path: "metrics.json",
          key: "f1",
          old: new PyFloat(1),
          new: new PyFloat(1),
          diff: new PyFloat(0),
          verdict: "unchanged",
        },
        { path: "metrics.json", key: "model", old: "a", new: "b" },
      ],
      problems: [{ rev: "f95f852", path: "eval/scores.json", message: "'eval/scores.json' does not exist" }],
    },
    params: {
      files: ["params.yaml"],
      rows: [{ path: "params.yaml", key: "train.lr", old: 0.1, new: 0.3 }],
      problems: [],
    },
    data: {
      outputCount: 3,
      textLimit: 5 * 1024 ** 2,
      problems: [],
      outputs: [
        {
          output: "data",
          isDir: true,
          counts: { added: 1, modified: 3, deleted: 1, renamed: 1 },
          unlisted: 0,
          files: [
            {
              path: "data/big.csv",
              status: "modified",
              skip: { kind: "too-large", size: 12 * 1024 ** 2, limit: 5 * 1024 ** 2 },
            },
            { path: "data/img.bin", status: "modified", skip: { kind: "binary" } },
            { path: "data/new.jsonl", status: "added", rows: rowDiff(null, '{"a":1}\n', "jsonl", { sampleRows: 3 }) },
            {
              path: "data/old|b.csv",
              status: "deleted",
              skip: { kind: "unavailable", reason: "not in the cache; no default remote is set" },
            },
            { path: "data/r2.csv", from: "data/r1.csv", status: "renamed" },
            {
              path: "data/train.csv",
              status: "modified",
              rows: rowDiff("id\n1\n2\n3\n", "id\n1\n3\n4\n```\n", "csv", { sampleRows: 3 }),
            },
          ],
        },
      ],
    },
    plots: { kind: "markdown", markdown: "#### loss\n\n```mermaid\nxychart-beta\n  line [1, 2]\n```\n" },
    run: {
      id: "20260101T000000Z-abcdef",
      status: "finished",
      started: "2026-01-01T00:00:00.000Z",
      durationMs: 65_300,
      commit: HEAD,
      stages: [
        { stage: "prepare", action: "unchanged", durationMs: 3 },
        { stage: "train", action: "ran", durationMs: 64_000 },
        { stage: "evaluate", action: "restored", durationMs: 420 },
      ],
    },
  };
}

describe("reportMarkdown", () => {
  it("renders every section", () => {
    const md = reportMarkdown(data());
    expect(markerName(md)).toBe("train");
    expect(md).toMatchInlineSnapshot(`
      "<!-- dvx-report: train -->
      ## dvx report: train

      - **Base:** f95f852bd8fca8fcc58a9a2d6c842781e32a215e (the merge base of the pull request's base \`main\` and the head)
      - **Head:** ec26c3e57ca3a959ca5aad62de7213c562f8c821 with the workspace's changes

      ### Metrics

      1 improved, 1 regressed.

      | Path         | Metric   | f95f852   | ec26c3e   | Change           |
      |--------------|----------|-----------|-----------|------------------|
      | metrics.json | acc      | 0.9       | 0.925     | 0.025 ▲ improved |
      | metrics.json | loss     | 0.25      | 0.3       | 0.05 ▲ regressed |
      | metrics.json | epochs   | 10        | 12        | 2 ▲              |
      | metrics.json | f1       | 1.0       | 1.0       | 0.0              |
      | metrics.json | model    | a         | b         | -                |

      _Could not read \`eval/scores.json\` at \`f95f852\`: 'eval/scores.json' does not exist_

      ### Params

      | Path        | Param    | f95f852   | ec26c3e   |
      |-------------|----------|-----------|-----------|
      | params.yaml | train.lr | 0.1       | 0.3       |

      ### Data

      1 output changed: 1 file added, 3 files modified, 1 file deleted, 1 file renamed.

      | Output | Added | Modified | Deleted | Renamed |
      |---|---:|---:|---:|---:|
      | \`data/\` | 1 | 3 | 1 | 1 |

      | File | Change | Rows |
      |---|---|---|
      | \`data/big.csv\` | modified | changed (too large to compare: 12.0 MiB, limit 5.0 MiB) |
      | \`data/img.bin\` | modified | changed (binary) |
      | \`data/new.jsonl\` | added | +1 −0 rows |
      | \`data/old\\|b.csv\` | deleted | not compared (not in the cache; no default remote is set) |
      | \`data/r1.csv\` → \`data/r2.csv\` | renamed | same content |
      | \`data/train.csv\` | modified | +2 −1 rows |

      <details><summary><code>data/new.jsonl</code>: the changed rows</summary>

      \`\`\`diff
      +{"a":1}
      \`\`\`

      </details>

      <details><summary><code>data/train.csv</code>: the changed rows</summary>

      \`\`\`\`diff
       id
      -2
      +4
      +\`\`\`
      \`\`\`\`

      </details>

      ### Plots

      #### loss

      \`\`\`mermaid
      xychart-beta
        line [1, 2]
      \`\`\`

      ### Pipeline run

      The newest \`dvx repro\` (run \`20260101T000000Z-abcdef\`) finished on 2026-01-01 00:00 UTC after 1 min 5 s: 1 ran, 1 restored, 1 unchanged.

      | Stage | Action | Time |
      |---|---|---:|
      | \`train\` | ran | 1 min 4 s |
      | \`evaluate\` | restored | 420 ms |
      "
    `);
  });

  it("keeps its code fences and <details> blocks balanced (a row holding ``` cannot close the sample)", () => {
    const md = reportMarkdown(data());
    expect((md.match(/<details>/g) ?? []).length).toBe((md.match(/<\/details>/g) ?? []).length);
    const fences = md.split("\n").filter((l) => /^`{3,}/.test(l));
    expect(fences.length % 2).toBe(0);
    expect(md).toContain("````diff\n id\n-2\n+4\n+```\n````\n");
  });

  it("says in a line when a section has nothing to show", () => {
    const d = data();
    d.name = "dvx";
    d.metrics = { files: [], rows: [], problems: [] };
    d.params = { files: ["params.yaml"], rows: [], problems: [] };
    d.data = { outputCount: 0, outputs: [], textLimit: 1, problems: [] };
    d.plots = null;
    d.run = null;
    d.head = { commit: HEAD, label: "ec26c3e", workspace: false };
    expect(reportMarkdown(d)).toMatchInlineSnapshot(`
      "<!-- dvx-report: dvx -->
      ## dvx report

      - **Base:** f95f852bd8fca8fcc58a9a2d6c842781e32a215e (the merge base of the pull request's base \`main\` and the head)
      - **Head:** ec26c3e57ca3a959ca5aad62de7213c562f8c821

      ### Metrics

      No metrics files are declared.

      ### Params

      No params changed.

      ### Data

      No outputs are tracked.

      ### Pipeline run

      No \`dvx repro\` run is recorded in this workspace.
      "
    `);
  });

  it("notes a run record made at another commit, and no-change answers with files present", () => {
    const d = data();
    d.metrics.rows = [];
    d.metrics.problems = [];
    d.data.outputs = [];
    d.plots = { kind: "none" };
    d.run!.commit = BASE;
    d.run!.stages = [{ stage: "train", action: "unchanged", durationMs: 1 }];
    const md = reportMarkdown(d);
    expect(md).toContain("### Metrics\n\nNo metric changed.\n");
    expect(md).toContain("### Data\n\nNo tracked data changed.\n");
    expect(md).toContain("### Plots\n\nNo plots are declared.\n");
    expect(md).toContain("_It ran at `f95f852`, not at the head compared here._");
    expect(md).toContain("Every stage was up to date.");
  });
});

describe("md-text", () => {
  it("makes code spans and fences that their content cannot end", () => {
    expect(code("a`b")).toBe("``a`b``");
    expect(code("`x`")).toBe("`` `x` ``");
    expect(code("a|b", true)).toBe("`a\\|b`");
    expect(code("a|b")).toBe("`a|b`");
    expect(fenced("diff", ["+```", "-````"])).toBe("`````diff\n+```\n-````\n`````\n");
  });
});
