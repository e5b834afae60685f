import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { ObjectInfo, ObjectStore } from '../ports.ts';
import { assertObjectKey, assertObjectPrefix } from './keys.ts';

export interface S3ObjectStoreOptions {
  bucket: string;
  endpoint?: string;
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Required by s3rver and MinIO. */
  forcePathStyle?: boolean;
  /** Keys per ListObjectsV2 page (S3's maximum and default is 1000). */
  listPageSize?: number;
}

/** S3's smallest multipart part (except the last). */
const STREAM_PART_SIZE = 5 * 1024 * 1024;

function isNotFound(err: unknown): boolean {
  return (
    err instanceof S3ServiceException &&
    (err.name === 'NoSuchKey' || err.name === 'NotFound' || err.$metadata.httpStatusCode === 404)
  );
}

/** S3 / Spaces / MinIO object store. */
export function createS3ObjectStore(opts: S3ObjectStoreOptions): ObjectStore {
  const client = new S3Client({
    endpoint: opts.endpoint,
    region: opts.region ?? 'us-east-1',
    forcePathStyle: opts.forcePathStyle ?? false,
    credentials:
      opts.accessKeyId && opts.secretAccessKey
        ? { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey }
        : undefined,
    // The SDK's default checksums corrupt uploads on several S3-compatible services.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = opts.bucket;

  async function* pages(prefix: string): AsyncGenerator<ObjectInfo[]> {
    let ContinuationToken: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({
          Bucket,
          Prefix: prefix || undefined,
          ContinuationToken,
          MaxKeys: opts.listPageSize,
        }),
      );
      yield (page.Contents ?? []).map((o) => ({
        key: o.Key!,
        size: o.Size ?? 0,
        lastModified: o.LastModified,
      }));
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  return {
    async put(key, body, putOpts) {
      assertObjectKey(key);
      if (body instanceof Readable) {
        // Multipart in parts of STREAM_PART_SIZE, one uploading while the next fills; the object
        // appears when the upload completes, and a failed one is aborted (its parts removed).
        let sourceError: unknown;
        const onSourceError = (err: unknown) => {
          sourceError = err;
        };
        body.once('error', onSourceError);
        try {
          await new Upload({
            client,
            params: { Bucket, Key: key, Body: body, ContentType: putOpts?.contentType },
            partSize: STREAM_PART_SIZE,
            queueSize: 2,
          }).done();
        } catch (err) {
          // The body's own failure is the cause; the upload may report the failed abort instead
          // (s3rver and some S3-compatible services do not implement AbortMultipartUpload).
          if (sourceError === undefined || sourceError === err) throw err;
          if (sourceError instanceof Error && sourceError.cause === undefined) sourceError.cause = err;
          throw sourceError;
        } finally {
          body.off('error', onSourceError);
        }
        return;
      }
      await client.send(
        new PutObjectCommand({
          Bucket,
          Key: key,
          Body: typeof body === 'string' ? Buffer.from(body) : body,
          ContentType: putOpts?.contentType,
        }),
      );
    },
    async get(key) {
      assertObjectKey(key);
      try {
        const res = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        return Buffer.from(await res.Body!.transformToByteArray());
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    async getStream(key, range) {
      assertObjectKey(key);
      try {
        // An HTTP range cannot be empty; an empty range needs no request beyond "is it there".
        if (range && range.end <= range.start) {
          await client.send(new HeadObjectCommand({ Bucket, Key: key }));
          return Readable.from([]);
        }
        const Range = range ? `bytes=${range.start}-${range.end - 1}` : undefined;
        const res = await client.send(new GetObjectCommand({ Bucket, Key: key, Range }));
        // In Node the body is the HTTP response itself; destroying it frees the connection.
        return res.Body as Readable;
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    async head(key) {
      assertObjectKey(key);
      try {
        const res = await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return {
          key,
          size: res.ContentLength ?? 0,
          lastModified: res.LastModified,
          contentType: res.ContentType,
        };
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    async delete(key) {
      assertObjectKey(key);
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },
    async deletePrefix(prefix) {
      assertObjectPrefix(prefix);
      let deleted = 0;
      // Collect first: deleting while paging would shift the continuation.
      const keys: string[] = [];
      for await (const page of pages(prefix)) keys.push(...page.map((o) => o.key));
      for (let i = 0; i < keys.length; i += 1000) {
        const batch = keys.slice(i, i + 1000);
        const res = await client.send(
          new DeleteObjectsCommand({
            Bucket,
            Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
          }),
        );
        if (res.Errors?.length) {
          throw new Error(`Failed to delete ${res.Errors.length} objects, e.g. ${res.Errors[0]?.Key}`);
        }
        deleted += batch.length;
      }
      return deleted;
    },
    async *list(prefix) {
      assertObjectPrefix(prefix);
      for await (const page of pages(prefix)) yield* page;
    },
    async ping() {
      try {
        await client.send(new HeadBucketCommand({ Bucket }));
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      client.destroy();
    },
  };
}
