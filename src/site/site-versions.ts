/**
 * Publishing the site all-or-nothing (docs/dashboards.md, "Publishing: versions and the switch").
 *
 * Every publish writes a complete site beside the live one, as a new **version** under
 * `versions/<id>/` of the site's publish store, and then makes it live with **one small switch**:
 *
 *   - S3 (`BucketSiteHost`): the site bucket holds `versions/<id>/...` and the pointer
 *     `current.json` (`{"version": ...}`). Writing the pointer is one PUT, which S3 makes visible
 *     whole or not at all. The edge function (src/access/edge-handler.ts) reads the pointer (cached
 *     for seconds) and serves `/x` from `/versions/<id>/x`, so CloudFront caches each version under
 *     its own keys and nothing needs invalidating.
 *   - A folder (`FolderSiteHost`): the versions live in `<site>.publish/versions/<id>/` and the
 *     site folder itself (`./site`) is a symbolic link to the live one. The switch writes a new link
 *     beside it and renames it over the old one: rename(2) replaces it in one step, so
 *     `site/index.html` is always a whole site, old or new.
 *
 * Until the switch nothing a reader can see has changed; a failure at any point before it leaves
 * the previous version serving, byte for byte (the partial version is removed, or the next
 * publish removes it). Older versions are kept for rollback (`keep`, default 3 including the live
 * one) and removed after the switch. Two publishes cannot interleave: each holds `publish.lock`,
 * created with a conditional write (`putIfAbsent`), for its whole run; a Lambda's lock records
 * its deadline, so the retry of a publish that timed out can take it over at once, and a CLI
 * publish holds it on a lease it renews (CLI_LEASE), so one that died is taken over in minutes.
 *
 * Weekly reports are an archive: the live version's reports that this publish does not rebuild
 * are copied into the new version (server-side on S3), so every version is a complete site.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readlink, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { RotascopeError } from '../errors.js';
import { LocalFolderStore } from '../store/local-folder-store.js';
import {
  assertSafeKey,
  type ObjectStore,
  type StoredObject,
  statObject,
} from '../store/object-store.js';
import type { SiteFile } from './build-site.js';

export const VERSIONS_PREFIX = 'versions/';
export const CURRENT_POINTER = 'current.json';
export const PUBLISH_LOCK = 'publish.lock';
/** Versions kept, the live one included, unless configured (ROTASCOPE_SITE_KEEP_VERSIONS). */
export const DEFAULT_KEEP_VERSIONS = 3;
/**
 * The fewest versions kept: the live one and the one before, which the edge function may still
 * serve for up to its pointer cache (POINTER_TTL_MS, src/access/edge-services.ts) after a switch.
 */
export const MIN_KEEP_VERSIONS = 2;
/**
 * A lock that names no deadline (a CLI publish, or a lock written before deadlines) is taken over
 * once it is older than this: the publish that wrote it is taken to have died.
 */
export const STALE_LOCK_MS = 30 * 60_000;
/**
 * A lock that names its holder's deadline (a Lambda's: it cannot run past its timeout) is taken
 * over this long after that deadline: room for clock skew between hosts and for an S3 request the
 * holder sent just before it was stopped. Less than the minute Lambda waits before retrying a
 * failed asynchronous run, so the retry of a publish that timed out finds the lock takeable.
 */
export const LOCK_DEADLINE_MARGIN_MS = 30_000;
/**
 * A publish that names no deadline (the CLI's, whose run has no fixed end) holds the lock on a
 * lease: its lock is its own for `ms` after it was last written (by the store's clock: S3's
 * LastModified, a file's mtime), and it writes it again every `renewEveryMs` while it runs. One that dies (Ctrl-C, a closed laptop, a killed process) is taken over a lease and
 * LOCK_DEADLINE_MARGIN_MS after its last renewal, not STALE_LOCK_MS after it started, so it keeps
 * the scheduled publish out for minutes rather than half an hour.
 */
export const CLI_LEASE = { ms: 2 * 60_000, renewEveryMs: 20_000 } as const;
/** A version id: when it was started (UTC) and a random tail; ids sort in time order. */
const VERSION_ID = /^v\d{8}T\d{6}Z-[0-9a-z-]+$/;

/** What `current.json` holds. */
export interface SitePointer {
  version: string;
  publishedAt: string;
}

/** Another publish holds the lock. */
export class PublishLockedError extends RotascopeError {
  override name = 'PublishLockedError';
}

/** Where a site is published, and its switch. */
export interface SiteHost {
  readonly description: string;
  /** Holds `versions/<id>/...`, `publish.lock` and `current.json`. */
  readonly store: ObjectStore;
  /** The live version, or undefined (nothing published yet, or a site from before versions). */
  current(): Promise<string | undefined>;
  /** A live site written before versions existed (files at the top), to carry its reports over. */
  unversioned(): Promise<ObjectStore | undefined>;
  /** Make a complete version live, in one step. */
  switchTo(pointer: SitePointer): Promise<void>;
}

function pointerBody(pointer: SitePointer): string {
  return `${JSON.stringify(pointer, null, 2)}\n`;
}

/** Parses `current.json`; undefined when it does not name a version. */
export function parsePointer(text: string): SitePointer | undefined {
  try {
    const value = JSON.parse(text) as Partial<SitePointer>;
    return typeof value.version === 'string' && VERSION_ID.test(value.version)
      ? { version: value.version, publishedAt: String(value.publishedAt ?? '') }
      : undefined;
  } catch {
    return undefined;
  }
}

/** The site in an object store (the S3 site bucket): the pointer object is the switch. */
export class BucketSiteHost implements SiteHost {
  readonly description: string;
  constructor(readonly store: ObjectStore) {
    this.description = store.description;
  }

  async current(): Promise<string | undefined> {
    if (!(await this.store.exists(CURRENT_POINTER))) return undefined;
    return parsePointer(new TextDecoder().decode(await this.store.get(CURRENT_POINTER)))?.version;
  }

  async unversioned(): Promise<ObjectStore | undefined> {
    return (await this.store.exists('index.html')) ? this.store : undefined;
  }

  async switchTo(pointer: SitePointer): Promise<void> {
    await this.store.put(CURRENT_POINTER, pointerBody(pointer), 'application/json');
  }
}

/**
 * The site as a folder: `<site>` is a symbolic link to `<site>.publish/versions/<id>`, replaced in
 * one rename. A `<site>` that is still a real folder (published before versions) becomes the
 * oldest version at the first switch.
 */
export class FolderSiteHost implements SiteHost {
  readonly description: string;
  readonly store: ObjectStore;
  readonly siteDir: string;
  /** `<site>.publish`: the folder of the publish store. */
  readonly publishDir: string;

  /** `wrap` lets a test put a failing store in front of the folder's. */
  constructor(siteDir: string, wrap: (store: ObjectStore) => ObjectStore = (store) => store) {
    this.siteDir = path.resolve(siteDir);
    this.publishDir = `${this.siteDir}.publish`;
    this.store = wrap(new LocalFolderStore(this.publishDir));
    this.description = `local folder ${siteDir} (versions in ${this.publishDir})`;
  }

  private async kind(): Promise<'link' | 'folder' | 'none'> {
    try {
      const info = await lstat(this.siteDir);
      return info.isSymbolicLink() ? 'link' : info.isDirectory() ? 'folder' : 'none';
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
      throw error;
    }
  }

  async current(): Promise<string | undefined> {
    if ((await this.kind()) !== 'link') return undefined;
    const id = path.basename(await readlink(this.siteDir));
    return VERSION_ID.test(id) ? id : undefined;
  }

  async unversioned(): Promise<ObjectStore | undefined> {
    return (await this.kind()) === 'folder' ? new LocalFolderStore(this.siteDir) : undefined;
  }

  async switchTo(pointer: SitePointer): Promise<void> {
    const target = path.join(this.publishDir, 'versions', pointer.version);
    const kind = await this.kind();
    if (kind === 'folder') {
      // Published before versions: keep that site as the oldest version (a moment without a
      // site folder, once).
      const old = path.join(this.publishDir, 'versions', 'v00000000T000000Z-before-versions');
      await mkdir(path.dirname(old), { recursive: true });
      await rename(this.siteDir, old);
    } else if (kind === 'none') {
      await rm(this.siteDir, { force: true });
    }
    // The pointer file is for people (the link is what counts here): written first, so a failure
    // after the link is replaced cannot leave a live version that the publish then removes.
    await this.store.put(CURRENT_POINTER, pointerBody(pointer), 'application/json');
    const temp = `${this.siteDir}.${randomBytes(6).toString('hex')}.link`;
    await symlink(path.relative(path.dirname(this.siteDir), target), temp);
    try {
      await rename(temp, this.siteDir);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
}

/** When a version's publish started, from its id (ms since the epoch; NaN if the id has no time). */
export function versionStartedAt(id: string): number {
  const m = /^v(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/.exec(id);
  return m ? Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`) : Number.NaN;
}

/** A new version id for a publish started at `now`. */
export function newVersionId(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `v${stamp}-${randomBytes(3).toString('hex')}`;
}

/** The publish lock as held: `stillHeld` tells whether it is still this publish's own. */
export interface HeldLock {
  stillHeld(): Promise<boolean>;
}

/** Who takes the publish lock, and until when it can possibly run. */
export interface PublishLockHolder {
  /**
   * When this publish is certainly over: a Lambda's end (now + getRemainingTimeInMillis()), past
   * which it cannot run. Recorded in the lock, which another publish then takes over as soon as
   * the deadline (and LOCK_DEADLINE_MARGIN_MS) has passed. None (the CLI): the lock is held on a
   * lease (`lease`), renewed while the publish runs.
   */
  deadline?: Date;
  /** Named in another publish's refusal, e.g. `Lambda request <id>`. */
  holder?: string;
  /** With no deadline, the lease held (default CLI_LEASE; tests shorten it). */
  lease?: { ms: number; renewEveryMs: number };
}

/** What `publish.lock` holds. Locks written before deadlines hold only the first three. */
interface LockBody {
  startedAt: string;
  pid: number;
  token: string;
  holder?: string;
  deadline?: string;
  /** A lease (ms): the lock is its holder's until this long after it was last written. */
  leaseMs?: number;
  renewedAt?: string;
}

function parseLockBody(bytes: Uint8Array | undefined): Partial<LockBody> {
  if (bytes === undefined) return {};
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return typeof value === 'object' && value !== null ? (value as Partial<LockBody>) : {};
  } catch {
    return {};
  }
}

/**
 * When a lock found in the store may be taken over (ms since the epoch): its holder's deadline and
 * the margin when it names a valid one; a lease's length and the margin after it was last written
 * (`modified`: the store's clock, so a holder's clock that is off does not matter); else
 * STALE_LOCK_MS after it was written; never later than that (a deadline from a clock far ahead does
 * not keep a lock longer). Undefined when neither is known.
 */
export function lockTakeableAt(
  body: Uint8Array | undefined,
  modified: Date | undefined,
): { at: number; why: string } | undefined {
  const parsed = parseLockBody(body);
  const aged = modified && {
    at: modified.getTime() + STALE_LOCK_MS,
    why: `${STALE_LOCK_MS / 60_000} minutes after it was written`,
  };
  const lease = Number(parsed.leaseMs);
  if (modified && Number.isFinite(lease) && lease > 0 && lease < STALE_LOCK_MS)
    return {
      at: modified.getTime() + lease + LOCK_DEADLINE_MARGIN_MS,
      why: `its holder's ${lease / 1000} s lease and ${LOCK_DEADLINE_MARGIN_MS / 1000} s after it was last renewed, ${modified.toISOString()}`,
    };
  const deadline = Date.parse(String(parsed.deadline ?? ''));
  if (Number.isFinite(deadline) && (!aged || deadline + LOCK_DEADLINE_MARGIN_MS < aged.at))
    return {
      at: deadline + LOCK_DEADLINE_MARGIN_MS,
      why: `${LOCK_DEADLINE_MARGIN_MS / 1000} s after its holder's deadline, ${new Date(deadline).toISOString()}`,
    };
  return aged;
}

/**
 * Runs `fn` holding the publish lock. A lock whose publish is certainly over is taken over: one
 * past its holder's recorded deadline (a Lambda's timeout) and LOCK_DEADLINE_MARGIN_MS; one whose
 * lease (a CLI publish's, which this renews while `fn` runs) and the margin have passed since it
 * was last written; or, naming neither, older than STALE_LOCK_MS. The takeover is a conditional replace of the version of
 * the lock that was judged, so of two publishes that find it stale only one gets it; otherwise a
 * second publish is refused with who holds it since when. The lock is released with a conditional
 * delete, so a publish whose lock was taken over never removes the new holder's.
 */
export async function withPublishLock<T>(
  host: SiteHost,
  now: () => Date,
  fn: (lock: HeldLock) => Promise<T>,
  who: PublishLockHolder = {},
): Promise<T> {
  const store = host.store;
  const lease = who.deadline === undefined ? (who.lease ?? CLI_LEASE) : undefined;
  const lockBody: LockBody = {
    startedAt: now().toISOString(),
    pid: process.pid,
    token: randomBytes(8).toString('hex'),
    ...(who.holder === undefined ? {} : { holder: who.holder }),
  };
  const written = () =>
    JSON.stringify({
      ...lockBody,
      ...(who.deadline ? { deadline: who.deadline.toISOString() } : {}),
      ...(lease ? { leaseMs: lease.ms, renewedAt: now().toISOString() } : {}),
    });
  const body = written();
  let held = await store.putIfAbsent(PUBLISH_LOCK, body, 'application/json');
  let since: Date | undefined;
  let found: Partial<LockBody> = {};
  let takeable: { at: number; why: string } | undefined;
  if (!held) {
    // The version first, then what it says: a body read after a takeover is a newer lock's, and
    // the replace below, conditional on the version judged, then fails.
    const listed = await statObject(store, PUBLISH_LOCK);
    since = listed && (await store.modifiedAt(PUBLISH_LOCK).catch(() => undefined));
    const text = listed && (await store.get(PUBLISH_LOCK).catch(() => undefined));
    found = parseLockBody(text);
    takeable = listed && lockTakeableAt(text, since);
    if (listed && takeable && now().getTime() > takeable.at) {
      held = await store.replaceIfMatch(PUBLISH_LOCK, listed.version, body, 'application/json');
    } else if (!listed) {
      // Released between the two reads: try once more.
      held = await store.putIfAbsent(PUBLISH_LOCK, body, 'application/json');
    }
  }
  if (!held)
    throw new PublishLockedError(
      `Another publish is running (${store.description}${PUBLISH_LOCK}${
        since ? ` since ${since.toISOString()}` : ''
      }${typeof found.holder === 'string' ? `, ${found.holder}` : ''}): nothing was changed. Try again when it has finished${
        takeable
          ? `; the lock is taken over after ${new Date(takeable.at).toISOString()} (${takeable.why})`
          : ''
      }.`,
    );
  const ours = new HeldPublishLock(store, lockBody.token, await statObject(store, PUBLISH_LOCK));
  // The lease moves on while the publish runs; a renewal that fails is tried at the next tick.
  const timer =
    lease &&
    setInterval(() => {
      ours.renew(written()).catch(() => undefined);
    }, lease.renewEveryMs);
  timer?.unref();
  try {
    return await fn({ stillHeld: () => ours.check() });
  } finally {
    if (timer) clearInterval(timer);
    await ours.release();
  }
}

/**
 * The lock this publish holds, as last written by it: renewals replace it (each a new version),
 * so whether it is still ours is its version, or, after a renewal whose answer was lost, its
 * token. Every step runs after the one before (`queue`), so a renewal never races a check.
 */
class HeldPublishLock {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: ObjectStore,
    private readonly token: string,
    /** Our lock as listed; undefined once it is known not to be ours. */
    private mine: StoredObject | undefined,
  ) {}

  private next<T>(step: () => Promise<T>): Promise<T> {
    const run = this.queue.then(step, step);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Whether the lock is still ours (its version, or its token after a lost answer). */
  check(): Promise<boolean> {
    return this.next(() => this.checkNow());
  }

  private async checkNow(): Promise<boolean> {
    if (this.mine === undefined) return false;
    const listed = await statObject(this.store, PUBLISH_LOCK);
    if (listed?.version === this.mine.version) return true;
    const token = listed && parseLockBody(await this.store.get(PUBLISH_LOCK)).token;
    // Our own renewal whose answer was lost: the lock is ours at the version listed.
    this.mine = listed && token === this.token ? listed : undefined;
    return this.mine !== undefined;
  }

  /** Move the lease on: replace our lock with `body`, only while it is still ours. */
  renew(body: string): Promise<void> {
    return this.next(async () => {
      const mine = this.mine;
      if (mine === undefined) return;
      if (await this.store.replaceIfMatch(PUBLISH_LOCK, mine.version, body, 'application/json'))
        this.mine = await statObject(this.store, PUBLISH_LOCK);
      else await this.checkNow();
    });
  }

  /** Remove the lock if it is still ours (a conditional delete). */
  release(): Promise<void> {
    return this.next(async () => {
      if ((await this.checkNow()) && this.mine)
        await this.store.deleteIfMatch(PUBLISH_LOCK, this.mine.version);
    });
  }
}

/** Where the live site's files are: a version's folder, the top of a site from before versions, or none. */
export async function liveSite(
  host: SiteHost,
): Promise<{ store: ObjectStore; prefix: string } | undefined> {
  const current = await host.current();
  if (current) return { store: host.store, prefix: `${VERSIONS_PREFIX}${current}/` };
  const old = await host.unversioned();
  return old ? { store: old, prefix: '' } : undefined;
}

/** The version ids in the store (from the keys under versions/), oldest first. */
export async function listVersions(store: ObjectStore): Promise<string[]> {
  const ids = new Set<string>();
  for (const { key } of await store.list(VERSIONS_PREFIX)) {
    const id = key.slice(VERSIONS_PREFIX.length).split('/')[0];
    if (id && VERSION_ID.test(id)) ids.add(id);
  }
  return [...ids].sort();
}

export interface PublishVersionResult {
  version: string;
  previous: string | undefined;
  /** Reports carried over from the live site. */
  carried: number;
  removed: string[];
}

/**
 * Write `files` as a new version, carry over the live site's reports that `files` does not
 * rebuild, make it live, then remove versions beyond `keep`. Call it holding the lock
 * (`withPublishLock`). Every key is checked before the first write.
 */
export async function publishVersion(
  host: SiteHost,
  files: readonly SiteFile[],
  options: { now: Date; keep?: number; log?: (message: string) => void; lock?: HeldLock },
): Promise<PublishVersionResult> {
  const keep = Math.max(MIN_KEEP_VERSIONS, options.keep ?? DEFAULT_KEEP_VERSIONS);
  const log = options.log ?? (() => {});
  const store = host.store;
  const previous = await host.current();
  let version = newVersionId(options.now);
  if (previous !== undefined && version <= previous) version = `${previous}-${version.slice(-6)}`;
  const prefix = `${VERSIONS_PREFIX}${version}/`;

  // Everything is checked before anything is written.
  const paths = new Set<string>();
  for (const f of files) {
    assertSafeKey(f.path);
    assertSafeKey(prefix + f.path);
    if (paths.has(f.path)) throw new Error(`The site build wrote ${f.path} twice`);
    paths.add(f.path);
  }
  if (!paths.has('index.html')) throw new Error('The site build has no index.html');
  const live = await liveSite(host);
  const carry: string[] = [];
  if (live) {
    for (const { key } of await live.store.list(`${live.prefix}reports/`)) {
      const relative = key.slice(live.prefix.length);
      if (paths.has(relative)) continue;
      // A rebuilt report replaces its whole folder (index.html and data/).
      const folder = /^reports\/[^/]+\/[^/]+\//.exec(relative)?.[0];
      if (folder && paths.has(`${folder}index.html`)) continue;
      assertSafeKey(prefix + relative);
      carry.push(relative);
    }
  }

  try {
    for (const f of files) await store.put(prefix + f.path, f.body, f.contentType);
    for (const relative of carry) {
      if (live?.store === store) await store.copy(live.prefix + relative, prefix + relative);
      else if (live)
        await store.put(prefix + relative, await live.store.get(live.prefix + relative));
    }
    const written = (await store.list(prefix)).length;
    if (written !== files.length + carry.length)
      throw new Error(
        `Version ${version} holds ${written} files, expected ${files.length + carry.length}`,
      );
    // A publish that ran past its lock's limit (STALE_LOCK_MS, or its deadline) may have lost
    // the lock to another: it must not switch.
    if (options.lock && !(await options.lock.stillHeld()))
      throw new PublishLockedError(
        `The publish lock was taken over by another publish while version ${version} was written (it ran past the lock's limit): it was not made live.`,
      );
    await host.switchTo({ version, publishedAt: options.now.toISOString() });
  } catch (error) {
    // A switch can fail after taking effect (an S3 PUT whose answer was lost): then this version
    // is live and must stay. When the pointer cannot be read either, it may be live: it is kept
    // (the next publish removes it if it is not). Otherwise the live site was never touched;
    // remove what this publish wrote, if we can.
    let live: string | undefined;
    try {
      live = await host.current();
    } catch (readError) {
      log(
        `publish: the switch to ${version} reported ${String(error)}, and the live version could not be read (${String(readError)}): version ${version} is kept, as it may be live`,
      );
      throw error;
    }
    if (live === version) {
      log(`publish: the switch to ${version} reported ${String(error)} but took effect`);
      return { version, previous, carried: carry.length, removed: [] };
    }
    try {
      await store.deletePrefix(prefix);
    } catch {
      log(`publish: could not remove the unfinished version ${version}; the next publish will`);
    }
    throw error;
  }

  // The switch is done: clean-up problems are reported, not fatal.
  const removed: string[] = [];
  try {
    const all = await listVersions(store);
    // Keep this version, the one live before the switch (`previous`, which edge caches may still
    // point at for POINTER_TTL_MS), and the newest others before it up to keep. The one before is
    // `previous`, not the newest id: a publish stopped by its timeout leaves a half-written
    // version after the live one, never made live. A version newer than this one is a publish
    // that died before its switch only once it is older than STALE_LOCK_MS; a younger one may be
    // a publish that took over the lock and is still writing.
    const kept = previous !== undefined && all.includes(previous) ? 1 : 0;
    const others = all.filter((id) => id < version && id !== previous);
    const older = others.slice(0, Math.max(0, others.length - (keep - 1 - kept)));
    const abandoned = all.filter(
      (id) => id > version && options.now.getTime() - versionStartedAt(id) > STALE_LOCK_MS,
    );
    for (const id of [...older, ...abandoned]) {
      await store.deletePrefix(`${VERSIONS_PREFIX}${id}/`);
      removed.push(id);
    }
  } catch (error) {
    log(`publish: version ${version} is live, but removing old versions failed: ${String(error)}`);
  }
  return { version, previous, carried: carry.length, removed };
}
