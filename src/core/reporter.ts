// The Reporter port: how core ops tell the CLI about progress, warnings and debug facts.
// cli/render/progress.ts implements it (silent for JSON output and -q).

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
