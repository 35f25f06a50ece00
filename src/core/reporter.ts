// The Reporter port: how core ops tell the CLI about progress, warnings and debug facts.
// cli/render/progress.ts implements it for terminals; tests and JSON mode use the silent one.

export interface Progress {
  /** Adds `n` finished items and `bytes` transferred/hashed bytes. */
  advance(n: number, bytes?: number): void;
  /** Raises the total when more work is discovered. */
  addTotal(n: number): void;
  done(): void;
}

export interface Reporter {
  progress(label: string, total: number, unit?: string): Progress;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

const NO_PROGRESS: Progress = { advance() {}, addTotal() {}, done() {} };

export const silentReporter: Reporter = {
  progress: () => NO_PROGRESS,
  warn() {},
  info() {},
  debug() {},
};

/** A reporter that records warnings (for tests and for ops that return warnings as data). */
export function collectingReporter(): Reporter & { warnings: string[]; infos: string[] } {
  const warnings: string[] = [];
  const infos: string[] = [];
  return { ...silentReporter, warnings, infos, warn: (m) => void warnings.push(m), info: (m) => void infos.push(m) };
}
