import { randomBytes } from 'node:crypto';
import type { Dirent } from 'node:fs';
import {
  type FileHandle,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  rmdir,
  stat,
  writeFile,
} from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import type { ObjectInfo, ObjectStore } from '../ports.ts';
import { assertObjectKey, assertObjectPrefix, InvalidObjectKeyError, inferContentType } from './keys.ts';

/** Reserved top-level directories: temp files for atomic writes and contentType sidecars. */
const TMP_DIR = '.tmp';
const META_DIR = '.meta';

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * Object store on the filesystem under `root`: the key is the relative path. Writes go to a temp
 * file and are renamed into place (atomic); an explicit contentType is kept in a sidecar under
 * `.meta/`, otherwise it is inferred from the extension. A key cannot also be a "folder" of
 * other keys (`a/b` and `a/b/c`), unlike S3.
 */
export function createFsObjectStore(root: string): ObjectStore {
  const pathOf = (key: string) => {
    assertObjectKey(key);
    if (key.split('/')[0] === TMP_DIR || key.split('/')[0] === META_DIR) {
      throw new InvalidObjectKeyError(key, `${TMP_DIR}/ and ${META_DIR}/ are reserved`);
    }
    return join(root, key);
  };
  const metaPathOf = (key: string) => join(root, META_DIR, `${key}.json`);

  const writeAtomic = async (target: string, body: Buffer | Uint8Array | string | Readable) => {
    const tmp = join(root, TMP_DIR, `${randomBytes(8).toString('hex')}.tmp`);
    await mkdir(dirname(tmp), { recursive: true });
    await mkdir(dirname(target), { recursive: true });
    try {
      await writeFile(tmp, body);
      await rename(tmp, target);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  };

  /** Removes now-empty parent directories up to (not including) stopAt. */
  const pruneDirs = async (from: string, stopAt: string) => {
    let dir = dirname(from);
    while (dir.startsWith(stopAt + sep)) {
      try {
        await rmdir(dir);
      } catch {
        return;
      }
      dir = dirname(dir);
    }
  };

  async function* walk(dir: string): AsyncGenerator<string> {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if (isMissing(err)) return;
      throw err;
    }
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (dir === root && (entry.name === TMP_DIR || entry.name === META_DIR)) continue;
      if (entry.isDirectory()) yield* walk(full);
      else if (entry.isFile()) yield relative(root, full).split(sep).join('/');
    }
  }

  const head = async (key: string): Promise<ObjectInfo | undefined> => {
    const path = pathOf(key);
    try {
      const info = await stat(path);
      if (!info.isFile()) return undefined;
      let contentType = inferContentType(key);
      try {
        contentType = (JSON.parse(await readFile(metaPathOf(key), 'utf8')) as { contentType: string })
          .contentType;
      } catch {
        // No sidecar: the inferred type stands.
      }
      return { key, size: info.size, lastModified: info.mtime, contentType };
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  };

  const remove = async (key: string) => {
    const path = pathOf(key);
    await rm(path, { force: true });
    await rm(metaPathOf(key), { force: true });
    await pruneDirs(path, root);
    await pruneDirs(metaPathOf(key), join(root, META_DIR));
  };

  const listKeys = async (prefix: string) => {
    assertObjectPrefix(prefix);
    const base = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const keys: string[] = [];
    for await (const key of walk(base ? join(root, base) : root)) {
      if (key.startsWith(prefix)) keys.push(key);
    }
    // Same order as S3 (byte order of the key), which a directory walk does not give.
    return keys.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  };

  return {
    async put(key, body, opts) {
      const path = pathOf(key);
      await writeAtomic(path, body);
      if (opts?.contentType) {
        await writeAtomic(metaPathOf(key), JSON.stringify({ contentType: opts.contentType }));
      } else {
        await rm(metaPathOf(key), { force: true });
      }
    },
    async get(key) {
      try {
        return await readFile(pathOf(key));
      } catch (err) {
        if (isMissing(err) || (err as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
        throw err;
      }
    },
    async getStream(key, range) {
      let handle: FileHandle;
      try {
        handle = await open(pathOf(key), 'r');
      } catch (err) {
        if (isMissing(err)) return undefined;
        throw err;
      }
      try {
        if (!(await handle.stat()).isFile()) {
          await handle.close();
          return undefined;
        }
      } catch (err) {
        await handle.close();
        throw err;
      }
      // Closes the file when the stream ends, fails or is destroyed.
      if (range && range.end <= range.start) {
        await handle.close();
        return Readable.from([]);
      }
      return handle.createReadStream(range && { start: range.start, end: range.end - 1 });
    },
    head,
    delete: remove,
    async deletePrefix(prefix) {
      const keys = await listKeys(prefix);
      for (const key of keys) await remove(key);
      return keys.length;
    },
    async *list(prefix) {
      for (const key of await listKeys(prefix)) {
        const info = await head(key);
        if (info) yield info;
      }
    },
    async ping() {
      try {
        await mkdir(root, { recursive: true });
        return (await stat(root)).isDirectory();
      } catch {
        return false;
      }
    },
    async close() {},
  };
}
