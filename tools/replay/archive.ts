/**
 * The archive in S3, read: the objects of a time window (a key range, see
 * `core/archive.ts`) and each one's records, decompressed. A listing or a
 * missing bucket is an error for the caller to report; an object that is not
 * gzip is answered as such, for the replay to count and go on.
 *
 * @module
 */

import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { ARCHIVE_PREFIX, keyRange, partitionTime, type Window } from "../../core/archive.ts";

const decompress = promisify(gunzip);

/** An archive object to read. */
export interface ArchiveObject {
  readonly key: string;
  readonly size: number;
}

/** Every object under the archive's prefix whose records may have arrived within `window`, in key order. */
export async function listArchive(
  s3: S3Client,
  bucket: string,
  window: Window,
): Promise<ArchiveObject[]> {
  const { after, before } = keyRange(window);
  const objects: ArchiveObject[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: ARCHIVE_PREFIX,
        ...(token === undefined ? { StartAfter: after } : { ContinuationToken: token }),
      }),
    );
    for (const { Key, Size } of page.Contents ?? []) {
      if (Key === undefined) continue;
      if (Key >= before) return objects;
      objects.push({ key: Key, size: Size ?? 0 });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return objects;
}

/** An object's records (its bytes, decompressed), or why it cannot be read as an archive object. */
export async function readArchiveObject(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<{ bytes: Uint8Array } | { problem: string }> {
  if (partitionTime(key) === undefined || !key.endsWith(".gz")) {
    return { problem: "not an archive object (outside the events/year=…/hour=…/*.gz layout)" };
  }
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const body = await object.Body?.transformToByteArray();
  try {
    return { bytes: await decompress(body ?? new Uint8Array()) };
  } catch (error) {
    return { problem: `not gzip: ${(error as Error).message}` };
  }
}
