// The one writer of dvc.lock files during a run: updates are queued per file and each is written atomically
// (temp + rename), so parallel stages never interleave and a killed run leaves the last complete file. A
// stage's entry replaces its old lines in place (new stages are appended); every other byte stays as it was,
// as when DVC updates the lock (docs/formats.md §9.1). The file is parsed once per run, not once per write.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { errCode, writeFileAtomic } from "../../fsx/atomic.js";
import type { LockEntryData } from "../../pipeline/lock-entry.js";
import { lockPathFor } from "../../pipeline/lockfile.js";
import type { LockEntry, LockItem, Stage } from "../../pipeline/types.js";
import { dumpYaml, dumpYamlPair } from "../../util/yaml-dump.js";
import { mappingBlocks, parseYaml, type MappingBlocks } from "../../util/yaml.js";
import type { Repo } from "../repo.js";
import type { Project } from "./project.js";

class LockText {
  private model: MappingBlocks | null;

  constructor(
    private readonly file: string,
    private raw: string | null,
  ) {
    this.model = raw === null || raw.trim() === "" ? null : mappingBlocks(raw, file, "stages");
  }

  /** Entries this writer appended, with their rank (see `set`). */
  private readonly appended = new Map<string, number>();

  /**
   * The text with `name`'s entry set; null when nothing changed. A new entry goes after the existing ones, and
   * before the entries appended earlier in this run with a higher `rank` (plan order): stages that finish out of
   * order (-j) are written in the order a sequential run, and DVC, would write them.
   */
  set(name: string, entry: LockEntryData, rank = Number.POSITIVE_INFINITY): string | null {
    const m = this.model;
    if (m === null) {
      // no lock yet, or a layout that cannot be cut into entries (`stages: {}`, flow style): write it anew
      const data = (this.raw === null ? {} : (parseYaml(this.raw, this.file, { keepFloats: true }) ?? {})) as Record<
        string,
        unknown
      >;
      const stages = { ...((data.stages as Record<string, unknown> | null) ?? {}), [name]: entry };
      this.raw = dumpYaml({ schema: data.schema ?? "2.0", ...data, stages });
      this.model = mappingBlocks(this.raw, this.file, "stages");
      this.appended.set(name, rank);
      return this.raw;
    }
    const block = " ".repeat(m.indent) + dumpYamlPair(name, entry, m.indent);
    const at = m.blocks.findIndex((b) => b.key === name);
    if (at >= 0) {
      // keep what followed the old entry (blank lines, comments before the next one)
      const old = m.blocks[at]!.text;
      const tail = /\n((?:[ \t]*(?:#[^\n]*)?\n)*)$/.exec(old)?.[1] ?? "";
      const next = block + tail;
      if (next === old) return null;
      m.blocks[at] = { key: name, text: next };
    } else {
      const before = m.blocks.findIndex((b) => (this.appended.get(b.key) ?? -1) > rank);
      if (before >= 0) m.blocks.splice(before, 0, { key: name, text: block });
      else {
        const last = m.blocks[m.blocks.length - 1];
        if (last && !last.text.endsWith("\n")) last.text += "\n";
        m.blocks.push({ key: name, text: block });
      }
      this.appended.set(name, rank);
    }
    this.raw = m.head + m.blocks.map((b) => b.text).join("") + m.tail;
    return this.raw;
  }
}

/** Lock items as dvx reads them, from the data it writes (so later observations in this run see them). */
function toLockEntry(data: LockEntryData): LockEntry {
  const items = (v: unknown): LockItem[] =>
    ((v as Array<Record<string, unknown>> | undefined) ?? []).map((i) => ({
      path: i.path as string,
      ...(i.hash === "md5" ? { hash: "md5" as const } : {}),
      md5: i.md5 as string,
      size: i.size as number,
      ...(i.nfiles !== undefined ? { nfiles: i.nfiles as number } : {}),
      ...(i.isexec ? { isexec: true } : {}),
      extra: {},
    }));
  return {
    cmd: data.cmd as string | string[],
    deps: items(data.deps),
    params: (data.params as Record<string, Record<string, unknown>> | undefined) ?? {},
    outs: items(data.outs),
  };
}

export class LockWriter {
  private readonly files = new Map<string, Promise<LockText>>();
  private queue: Promise<unknown> = Promise.resolve();
  /** Repo-relative lock files written in this run (for the git follow-up hint). */
  readonly written = new Set<string>();

  private readonly rank: Map<string, number>;

  /** `order`: how new entries are laid out (see LockText.set); `onWritten`: told each entry once written. */
  constructor(
    private readonly repo: Repo,
    private readonly project: Project,
    opts: {
      /** Stage addresses in plan order. */
      order?: string[];
      /** Told each entry once it is on disk. */
      onWritten?: (stage: Stage, entry: LockEntryData) => void;
    } = {},
  ) {
    this.rank = new Map((opts.order ?? []).map((id, i) => [id, i] as const));
    this.onWritten = opts.onWritten;
  }

  private readonly onWritten: ((stage: Stage, entry: LockEntryData) => void) | undefined;

  private load(path: string): Promise<LockText> {
    let p = this.files.get(path);
    if (!p) {
      p = readFile(join(this.repo.root, path), "utf8").then(
        (t) => new LockText(path, t),
        (err: unknown) => {
          if (errCode(err) === "ENOENT") return new LockText(path, null);
          throw err;
        },
      );
      this.files.set(path, p);
    }
    return p;
  }

  /** Records `entry` for `stage` (queued behind earlier writes); resolves once it is on disk. */
  write(stage: Stage, entry: LockEntryData): Promise<void> {
    const path = lockPathFor(stage.file);
    const next = this.queue.then(async () => {
      const text = (await this.load(path)).set(stage.name, entry, this.rank.get(stage.address));
      if (text !== null) {
        await writeFileAtomic(join(this.repo.root, path), text);
        this.written.add(path);
      }
      const locks = this.project.locks;
      const current = locks.get(stage.file) ?? { schema: "2.0" as const, stages: new Map<string, LockEntry>() };
      current.stages.set(stage.name, toLockEntry(entry));
      locks.set(stage.file, current);
      this.onWritten?.(stage, entry);
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}
