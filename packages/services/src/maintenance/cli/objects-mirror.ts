// Mirrors the configured object store (S3/Spaces/MinIO via S3_*, else files under DATA_DIR/objects)
// to or from a local directory, through the same ObjectStore port the app uses. Used by
// scripts/backup.sh (download) and scripts/restore.sh (upload). Objects are streamed both ways
// (a monthly sample archive can be hundreds of MB), so memory does not grow with their size.
//   tsx packages/services/src/maintenance/cli/objects-mirror.ts download|upload <dir>
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { loadConfig } from '@athlete/config';
import { createPlatform } from '@athlete/platform';

const [direction, dirArg] = process.argv.slice(2);
if ((direction !== 'download' && direction !== 'upload') || !dirArg) {
  console.error('usage: objects-mirror.ts download|upload <dir>');
  process.exit(2);
}
const dir = resolve(dirArg);
const config = loadConfig();
const platform = await createPlatform({ ...config, REDIS_URL: undefined });
const where = config.S3_BUCKET ? `s3://${config.S3_BUCKET}` : `${config.DATA_DIR}/objects`;

async function* files(root: string): AsyncGenerator<string> {
  for (const entry of await readdir(root, { withFileTypes: true })) {
    const full = join(root, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (entry.isFile()) yield full;
  }
}

let count = 0;
let bytes = 0;
try {
  if (direction === 'download') {
    await mkdir(dir, { recursive: true });
    for await (const info of platform.objects.list('')) {
      const body = await platform.objects.getStream(info.key);
      if (!body) continue; // deleted while listing
      const target = join(dir, ...info.key.split('/'));
      await mkdir(dirname(target), { recursive: true });
      const file = createWriteStream(target);
      await pipeline(body, file);
      // A connection cut between two chunks can end a stream without an error.
      const now = file.bytesWritten === info.size ? info : await platform.objects.head(info.key);
      if (now && now.size !== file.bytesWritten) {
        throw new Error(`${info.key}: read ${file.bytesWritten} of ${now.size} bytes`);
      }
      count++;
      bytes += file.bytesWritten;
    }
  } else {
    for await (const file of files(dir)) {
      const key = relative(dir, file).split(sep).join('/');
      const { size } = await stat(file);
      await platform.objects.put(key, createReadStream(file));
      const stored = await platform.objects.head(key);
      if (stored?.size !== size)
        throw new Error(`${key}: stored ${stored?.size ?? 'nothing'} of ${size} bytes`);
      count++;
      bytes += size;
    }
  }
  console.log(
    `[objects] ${direction === 'download' ? `${where} → ${dir}` : `${dir} → ${where}`}: ${count} objects, ${bytes} bytes`,
  );
} finally {
  await platform.close();
}
