/**
 * The object store as one S3 bucket, optionally under a key prefix (`rotascope/`), over an injected
 * S3Client; plus `createS3Client`, which builds a client with the settings this project relies on.
 */
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ObjectNotFoundError } from '../errors.js';
import { assertSafeKey, type ObjectStore, type StoredObject } from './object-store.js';

/** Bodies larger than this go up as a multipart upload, in parts of this size. */
const MULTIPART_BYTES = 8 * 1024 * 1024;
/** The most keys one DeleteObjects request accepts. */
const DELETE_BATCH = 1000;

export interface S3ClientOptions {
  region: string;
  /** An S3-compatible endpoint such as `http://127.0.0.1:4568`; omit for AWS. */
  endpoint?: string;
  forcePathStyle?: boolean;
  /** Omit to use the default AWS credential chain. */
  credentials?: S3ClientConfig['credentials'];
}

/**
 * An S3 client that only computes and checks checksums when an operation requires them: with the
 * SDK's default (`WHEN_SUPPORTED`) streamed uploads are corrupted on S3-compatible servers such as
 * s3rver.
 */
export function createS3Client(options: S3ClientOptions): S3Client {
  return new S3Client({
    region: options.region,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.forcePathStyle === undefined ? {} : { forcePathStyle: options.forcePathStyle }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export interface S3StoreOptions {
  client: S3Client;
  bucket: string;
  /** Every key of the store lives under this prefix of the bucket; `/` is appended if missing. */
  prefix?: string;
}

export class S3Store implements ObjectStore {
  readonly description: string;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly keyPrefix: string;

  constructor(options: S3StoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    const prefix = options.prefix ?? '';
    this.keyPrefix = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
    if (this.keyPrefix !== '') assertSafeKey(this.keyPrefix.slice(0, -1));
    this.description = `s3://${this.bucket}/${this.keyPrefix}`;
  }

  async get(key: string): Promise<Uint8Array> {
    const Key = this.fullKey(key);
    try {
      const output = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key }));
      if (output.Body === undefined) throw new Error(`S3 returned no body for ${this.uri(key)}`);
      return await output.Body.transformToByteArray();
    } catch (error) {
      if (errorName(error) === 'NoSuchKey') throw new ObjectNotFoundError(key);
      throw error;
    }
  }

  async put(key: string, body: Uint8Array | string, contentType?: string): Promise<void> {
    const data = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const params = {
      Bucket: this.bucket,
      Key: this.fullKey(key),
      Body: data,
      ...(contentType === undefined ? {} : { ContentType: contentType }),
    };
    if (data.byteLength > MULTIPART_BYTES) {
      await new Upload({ client: this.client, params, partSize: MULTIPART_BYTES }).done();
    } else {
      await this.client.send(new PutObjectCommand(params));
    }
  }

  async putIfAbsent(
    key: string,
    body: Uint8Array | string,
    contentType?: string,
  ): Promise<boolean> {
    const data = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.fullKey(key),
          Body: data,
          IfNoneMatch: '*',
          ...(contentType === undefined ? {} : { ContentType: contentType }),
        }),
      );
      return true;
    } catch (error) {
      // 412: the key exists; 409: another conditional write to it is in flight.
      const status = httpStatus(error);
      if (status === 412 || status === 409) return false;
      throw error;
    }
  }

  async replaceIfMatch(
    key: string,
    version: string,
    body: Uint8Array | string,
    contentType?: string,
  ): Promise<boolean> {
    const data = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    return preconditionHeld(() =>
      this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.fullKey(key),
          Body: data,
          IfMatch: version,
          ...(contentType === undefined ? {} : { ContentType: contentType }),
        }),
      ),
    );
  }

  async deleteIfMatch(key: string, version: string): Promise<boolean> {
    return preconditionHeld(() =>
      this.client.send(
        new DeleteObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key), IfMatch: version }),
      ),
    );
  }

  async delete(key: string): Promise<void> {
    await this.client.send(
      new DeleteObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key) }),
    );
  }

  async copy(from: string, to: string): Promise<void> {
    const source = this.fullKey(from);
    try {
      await this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: this.fullKey(to),
          CopySource: `${this.bucket}/${source.split('/').map(encodeURIComponent).join('/')}`,
        }),
      );
    } catch (error) {
      if (errorName(error) === 'NoSuchKey' || httpStatus(error) === 404)
        throw new ObjectNotFoundError(from);
      throw error;
    }
  }

  /** Folder markers (keys ending in `/`, as the S3 console creates) are not objects here. */
  async list(prefix = ''): Promise<StoredObject[]> {
    const found: StoredObject[] = [];
    for (const { key, size, version } of await this.listAll(prefix)) {
      if (!key.endsWith('/')) found.push({ key: key.slice(this.keyPrefix.length), size, version });
    }
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async modifiedAt(key: string): Promise<Date> {
    const Key = this.fullKey(key);
    try {
      const output = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key }));
      if (!output.LastModified) throw new Error(`S3 returned no LastModified for ${this.uri(key)}`);
      return output.LastModified;
    } catch (error) {
      if (errorName(error) === 'NotFound' || httpStatus(error) === 404) {
        throw new ObjectNotFoundError(key);
      }
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    const Key = this.fullKey(key);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key }));
      return true;
    } catch (error) {
      if (errorName(error) === 'NotFound' || httpStatus(error) === 404) return false;
      throw error;
    }
  }

  async deletePrefix(prefix: string): Promise<void> {
    if (prefix === '') throw new Error('Refusing to delete every object: give a prefix');
    const keys = (await this.listAll(prefix)).map((object) => object.key);
    for (let start = 0; start < keys.length; start += DELETE_BATCH) {
      const batch = keys.slice(start, start + DELETE_BATCH);
      const output = await this.client.send(
        new DeleteObjectsCommand({
          Bucket: this.bucket,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      const first = output.Errors?.[0];
      if (first !== undefined) {
        throw new Error(
          `Could not delete ${output.Errors?.length} objects under ${this.uri(prefix)}; ` +
            `first: ${first.Key} (${first.Code}: ${first.Message})`,
        );
      }
    }
  }

  /** Every object under the prefix, with full bucket keys, in the order S3 lists them. */
  private async listAll(prefix: string): Promise<StoredObject[]> {
    if (prefix !== '') assertSafeKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
    const found: StoredObject[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.keyPrefix + prefix,
          ContinuationToken: token,
        }),
      );
      for (const item of page.Contents ?? []) {
        if (item.Key === undefined) continue;
        const size = item.Size ?? 0;
        // The ETag is the content's MD5 for a simple upload (a hash of the parts' for multipart).
        const version = item.ETag ?? `${size}:${item.LastModified?.toISOString() ?? ''}`;
        found.push({ key: item.Key, size, version });
      }
      const next: string | undefined = page.IsTruncated ? page.NextContinuationToken : undefined;
      if (page.IsTruncated && (next === undefined || next === token)) {
        throw new Error(`S3 listing of ${this.uri(prefix)} is truncated but cannot continue`);
      }
      token = next;
    } while (token !== undefined);
    return found;
  }

  private fullKey(key: string): string {
    assertSafeKey(key);
    return this.keyPrefix + key;
  }

  private uri(key: string): string {
    return `s3://${this.bucket}/${this.keyPrefix}${key}`;
  }
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

function httpStatus(error: unknown): number | undefined {
  const metadata = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata;
  return metadata?.httpStatusCode;
}

/**
 * Runs a conditional request: true when it succeeded, false when its condition did not hold. S3
 * answers 412 when the ETag does not match, 404 when the object is gone, and 409 when another
 * write or delete of the key finished first (docs: "How to perform conditional deletes").
 */
async function preconditionHeld(request: () => Promise<unknown>): Promise<boolean> {
  try {
    await request();
    return true;
  } catch (error) {
    const status = httpStatus(error);
    if (status === 412 || status === 404 || status === 409 || errorName(error) === 'NoSuchKey')
      return false;
    throw error;
  }
}
