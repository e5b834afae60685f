import { PassThrough, pipeline, Readable } from 'node:stream';
import type { ObjectStore } from '@athlete/platform';
import yauzl from 'yauzl';

/** Small reads (the central directory, local headers, small entries) come from one block. */
const BLOCK_BYTES = 256 * 1024;

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * yauzl's random access over byte ranges of a stored object, so a ZIP of gigabytes is read in
 * place, entry by entry. yauzl reads the central directory in many tiny pieces, hence the block.
 */
class ObjectRangeReader extends yauzl.RandomAccessReader {
  private block: { start: number; bytes: Buffer } | undefined;

  constructor(
    private readonly objects: ObjectStore,
    private readonly key: string,
    private readonly size: number,
  ) {
    super();
  }

  private async range(start: number, end: number): Promise<Readable> {
    const stream = await this.objects.getStream(this.key, { start, end });
    if (!stream) throw new Error('the uploaded ZIP is no longer stored');
    return stream;
  }

  private async small(start: number, end: number): Promise<Readable> {
    const b = this.block;
    if (!b || start < b.start || end > b.start + b.bytes.length) {
      const bytes = await collect(await this.range(start, Math.min(this.size, start + BLOCK_BYTES)));
      this.block = { start, bytes };
    }
    const { start: at, bytes } = this.block!;
    return Readable.from([bytes.subarray(start - at, end - at)]);
  }

  override _readStreamForRange(start: number, end: number): Readable {
    const out = new PassThrough();
    (end - start <= BLOCK_BYTES ? this.small(start, end) : this.range(start, end)).then(
      (source) => pipeline(source, out, () => {}),
      (err: Error) => out.destroy(err),
    );
    return out;
  }
}

/**
 * Opens a ZIP kept in the object store for reading entry by entry (lazily: `eachEntry()`,
 * `openReadStreamPromise()`); memory holds one block and the entry being read, whatever the
 * archive's size. Undefined when no such object is stored.
 */
export async function openStoredZip({
  objects,
  key,
}: {
  objects: ObjectStore;
  key: string;
}): Promise<yauzl.ZipFile | undefined> {
  const info = await objects.head(key);
  if (!info) return undefined;
  return yauzl.fromRandomAccessReaderPromise(new ObjectRangeReader(objects, key, info.size), info.size, {
    lazyEntries: true,
    autoClose: false,
    strictFileNames: false,
    validateEntrySizes: true,
  });
}
