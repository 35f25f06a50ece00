// All config layers of one repo loaded together: the base of loadConfig and of every config edit.
// Edits mutate `data(layer)`; commit() validates the result as DVC would, then rewrites only the files
// whose content changed (atomically), so comments survive no-op edits.
import { dirname } from "node:path";
import { ConfigError } from "../errors.js";
import { cloneConfigData, normalizeStoredPaths, sameConfigData, type ConfigData } from "./config-data.js";
import { ensureDvxLocalIgnored, readConfigFile, writeConfigFile } from "./config-file.js";
import {
  configFiles,
  LEVELS,
  type ConfigFiles,
  type ConfigLayer,
  type ConfigLevel,
  type FilesOptions,
} from "./files.js";
import { mergeLayers, type Layer, type MergedConfig } from "./merge.js";
import { PLAIN_SECTIONS, SECTION_SCHEMAS, isTrue } from "./schema.js";
import { validateDvcConfig, validateDvxConfig } from "./validate.js";

interface LayerState {
  layer: ConfigLayer;
  file: string;
  data: ConfigData;
  original: ConfigData;
}

export interface CommitResult {
  /** Files rewritten, in write order. */
  written: string[];
  /** True when `/dvx.config.local` was appended to .dvc/.gitignore. */
  gitignoreUpdated: boolean;
}

const DVX_LAYERS = ["dvx", "dvxLocal"] as const;
const isDvcPlain = (name: string) => name in SECTION_SCHEMAS;
const isAnyPlain = (name: string) => (PLAIN_SECTIONS as readonly string[]).includes(name);

export class ConfigSession {
  private constructor(
    readonly dotDir: string,
    readonly files: ConfigFiles,
    private readonly states: Map<ConfigLayer, LayerState>,
  ) {}

  static async open(opts: FilesOptions): Promise<ConfigSession> {
    const files = configFiles(opts);
    const states = new Map<ConfigLayer, LayerState>();
    for (const layer of [...LEVELS, ...DVX_LAYERS]) {
      const file = files[layer];
      if (file === undefined) continue;
      const { data } = await readConfigFile(file);
      states.set(layer, { layer, file, data, original: cloneConfigData(data) });
    }
    return new ConfigSession(opts.dotDir, files, states);
  }

  has(layer: ConfigLayer): boolean {
    return this.states.has(layer);
  }

  private state(layer: ConfigLayer): LayerState {
    const state = this.states.get(layer);
    if (!state) {
      throw new ConfigError(`cannot locate the ${layer} config file`, {
        hint: "set HOME or DVC_GLOBAL_CONFIG_DIR",
        details: { level: layer },
      });
    }
    return state;
  }

  /** The mutable content of one layer. */
  data(layer: ConfigLayer): ConfigData {
    return this.state(layer).data;
  }

  fileOf(layer: ConfigLayer): string {
    return this.state(layer).file;
  }

  /** DVC layers lowest priority first; `below` stops before that level (DVC's load_config_to_level). */
  dvcLayers(below?: ConfigLevel): Layer[] {
    const out: Layer[] = [];
    for (const level of LEVELS) {
      if (level === below) break;
      const s = this.states.get(level);
      if (s) out.push({ layer: level, file: s.file, data: s.data });
    }
    return out;
  }

  merged(below?: ConfigLevel): MergedConfig {
    return mergeLayers(this.dvcLayers(below), isDvcPlain);
  }

  mergedDvx(): MergedConfig {
    const layers: Layer[] = [];
    for (const layer of DVX_LAYERS) {
      const s = this.states.get(layer);
      if (s) layers.push({ layer, file: s.file, data: s.data });
    }
    return mergeLayers(layers, isAnyPlain);
  }

  /** Validates everything as loaded now; throws ConfigError, returns warnings. */
  validate(): string[] {
    const dvc = this.merged();
    return [...validateDvcConfig(dvc), ...validateDvxConfig(this.mergedDvx(), dvc)];
  }

  changedLayers(): ConfigLayer[] {
    return [...this.states.values()].filter((s) => !sameConfigData(s.data, s.original)).map((s) => s.layer);
  }

  async commit(): Promise<CommitResult> {
    const changed = this.changedLayers();
    if (changed.length === 0) return { written: [], gitignoreUpdated: false };
    this.validate();
    const written: string[] = [];
    let gitignoreUpdated = false;
    for (const layer of changed) {
      const s = this.state(layer);
      normalizeStoredPaths(s.data, dirname(s.file));
      await writeConfigFile(s.file, s.data);
      s.original = cloneConfigData(s.data);
      written.push(s.file);
      if (layer === "dvxLocal" && !isTrue(this.merged().sections.get("core")?.options.get("no_scm")?.value)) {
        gitignoreUpdated = (await ensureDvxLocalIgnored(this.dotDir)) || gitignoreUpdated;
      }
    }
    return { written, gitignoreUpdated };
  }
}
