// The port every remote adapter implements. Keys are POSIX paths relative to the remote's root,
// e.g. "files/md5/ab/cdef0123..." (DVC 3) or "ab/cdef0123..." (DVC 2 legacy). Adapters know nothing
// about hashes or DVC; odb/transfer.ts and core/ops decide what to move and verify it.

/** Receives the bytes of a download as they arrive (to hash them without reading the file again). */
export interface DataTap {
  /** Called at the start of every attempt (a retried download starts over). */
  reset(): void;
  update(chunk: Uint8Array): void;
}

export interface RemoteStore {
  /** Display form of the remote (no credentials), e.g. "s3://bucket/prefix" or "/mnt/store". */
  readonly url: string;
  /** Suggested concurrency for this remote when the user gave none. */
  readonly defaultJobs: number;
  /** True when the object exists. */
  exists(key: string): Promise<boolean>;
  /** Every key under `prefix` (relative to the root, "" for all), paginated internally. */
  list(prefix: string): AsyncIterable<string>;
  /** Upload a local file (streamed, constant memory). Must never leave a partial object under `key`. */
  put(key: string, localPath: string, size: number, signal?: AbortSignal): Promise<void>;
  /**
   * Download to `destPath` (streamed). The caller verifies and renames; a partial file may be left at destPath
   * on error. A store may feed `tap` with the bytes (calling reset() first); one that does not never calls it.
   */
  get(key: string, destPath: string, signal?: AbortSignal, tap?: DataTap): Promise<void>;
  /** Delete keys; missing keys are not an error. */
  delete(keys: string[]): Promise<void>;
  /**
   * Optional: false when an existing object cannot be trusted without re-hashing it (a local remote's
   * object whose mode is not 0444, DVC's rule). Stores without the notion leave it undefined.
   */
  trusted?(key: string): Promise<boolean>;
  /**
   * Optional bulk upload for stores that can do better than many put() calls (a local directory: worker
   * threads with synchronous copies). Returns the failures by index; never leaves partial objects.
   */
  putMany?(
    items: Array<{ key: string; localPath: string }>,
    onProgress?: (n: number) => void,
  ): Promise<{ bytes: number; errors: Array<{ index: number; error: unknown }> }>;
  /** Optional: the object's size in bytes, or undefined when it does not exist (to skip big downloads). */
  size?(key: string): Promise<number | undefined>;
  /** Optional bulk presence check: key → trusted (see trusted()); absent keys are missing. */
  statMany?(keys: string[]): Promise<Map<string, boolean>>;
  /** Release sockets / handles. */
  close(): Promise<void>;
}
