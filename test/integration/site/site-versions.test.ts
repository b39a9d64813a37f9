/**
 * Publishing all-or-nothing (issue 17; src/site/site-versions.ts), in a local folder and in a
 * bucket on the S3 test server: a new version is written beside the live one and switched to in
 * one step; a publish that fails at any put leaves the live site byte for byte as it was; old
 * versions beyond `keep` are removed; the weekly report archive is carried into each version; two
 * publishes cannot hold the lock at once.
 */
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiteFile } from '../../../src/site/build-site.js';
import {
  BucketSiteHost,
  CURRENT_POINTER,
  FolderSiteHost,
  LOCK_DEADLINE_MARGIN_MS,
  listVersions,
  liveSite,
  PUBLISH_LOCK,
  PublishLockedError,
  publishVersion,
  type SiteHost,
  withPublishLock,
} from '../../../src/site/site-versions.js';
import type { ObjectStore } from '../../../src/store/object-store.js';
import { S3Store } from '../../../src/store/s3-store.js';
import { type RunningS3rver, startS3rver } from '../../helpers/s3rver.js';

let scratch: string;
let s3: RunningS3rver;
let buckets = 0;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'rotascope-site-versions-'));
  s3 = await startS3rver(Array.from({ length: 24 }, (_, i) => `site${i}`));
});
afterAll(async () => {
  await s3?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** A store that throws on its Nth put (counting from 1) and works otherwise. */
function failingOnPut(store: ObjectStore, n: number): ObjectStore {
  let puts = 0;
  return new Proxy(store, {
    get(target, name, receiver) {
      if (name === 'put')
        return async (...args: Parameters<ObjectStore['put']>) => {
          puts += 1;
          if (puts === n) throw new Error(`injected failure on put ${n}`);
          return target.put(...args);
        };
      const value = Reflect.get(target, name, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

type Wrap = (store: ObjectStore) => ObjectStore;
interface Host {
  host: SiteHost;
  /** Same place, with its store wrapped. */
  wrapped(wrap: Wrap): SiteHost;
  /** What a reader sees now: path -> bytes (local: through the site folder itself). */
  seen(): Promise<Map<string, string>>;
}

async function localHost(): Promise<Host> {
  const dir = path.join(await mkdtemp(path.join(scratch, 'local-')), 'site');
  return {
    host: new FolderSiteHost(dir),
    wrapped: (wrap) => new FolderSiteHost(dir, wrap),
    async seen() {
      const out = new Map<string, string>();
      let entries: string[];
      try {
        entries = await readdir(dir, { recursive: true });
      } catch {
        return out;
      }
      for (const entry of entries.sort()) {
        const file = path.join(dir, entry);
        if ((await lstat(file)).isFile())
          out.set(entry.split(path.sep).join('/'), await readFile(file, 'utf8'));
      }
      return out;
    },
  };
}

async function bucketHost(): Promise<Host> {
  const store = new S3Store({ client: s3.client, bucket: `site${buckets++}` });
  const host = new BucketSiteHost(store);
  return {
    host,
    wrapped: (wrap) => new BucketSiteHost(wrap(store)),
    async seen() {
      // What the edge serves: the pointer's version (src/access/edge-handler.ts).
      const out = new Map<string, string>();
      const live = await liveSite(host);
      if (!live) return out;
      for (const { key } of await live.store.list(live.prefix))
        out.set(key.slice(live.prefix.length), new TextDecoder().decode(await live.store.get(key)));
      return out;
    },
  };
}

const site = (label: string, reports: string[] = []): SiteFile[] => [
  { path: 'index.html', body: `<h1>${label}</h1>`, contentType: 'text/html' },
  { path: 'networks/U60865/index.html', body: `U60865 ${label}`, contentType: 'text/html' },
  { path: 'networks/U60865/data/network_week.csv', body: `csv ${label}`, contentType: 'text/csv' },
  { path: 'assets/site.css', body: `css ${label}`, contentType: 'text/css' },
  ...reports.flatMap((week) => [
    {
      path: `reports/${week}/U60865/index.html`,
      body: `report ${week} ${label}`,
      contentType: 'text/html',
    },
    {
      path: `reports/${week}/U60865/data/gaps.csv`,
      body: `gaps ${week} ${label}`,
      contentType: 'text/csv',
    },
  ]),
];
const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 6, minute));

describe.each([
  ['a local folder', localHost],
  ['a bucket on the S3 test server', bucketHost],
])('publishing to %s', (_, open) => {
  it('switches to a complete new version, keeps the report archive and old versions up to keep', async () => {
    const { host, seen } = await open();
    const first = await publishVersion(host, site('one', ['2026-W46']), { now: at(0) });
    expect(Object.fromEntries(await seen())).toMatchObject({
      'index.html': '<h1>one</h1>',
      'reports/2026-W46/U60865/index.html': 'report 2026-W46 one',
    });
    const second = await publishVersion(host, site('two', ['2026-W47']), { now: at(1), keep: 2 });
    expect(second.previous).toBe(first.version);
    // W46's report (2 files) comes with the new version; W47 is new.
    expect(second.carried).toBe(2);
    expect(Object.fromEntries(await seen())).toEqual({
      'index.html': '<h1>two</h1>',
      'networks/U60865/index.html': 'U60865 two',
      'networks/U60865/data/network_week.csv': 'csv two',
      'assets/site.css': 'css two',
      'reports/2026-W46/U60865/index.html': 'report 2026-W46 one',
      'reports/2026-W46/U60865/data/gaps.csv': 'gaps 2026-W46 one',
      'reports/2026-W47/U60865/index.html': 'report 2026-W47 two',
      'reports/2026-W47/U60865/data/gaps.csv': 'gaps 2026-W47 two',
    });
    // A rebuilt week replaces that report whole; keep 2: the first version goes at the third.
    const third = await publishVersion(host, site('three', ['2026-W46']), { now: at(2), keep: 2 });
    expect((await seen()).get('reports/2026-W46/U60865/index.html')).toBe('report 2026-W46 three');
    expect((await seen()).get('reports/2026-W47/U60865/index.html')).toBe('report 2026-W47 two');
    expect(third.removed).toEqual([first.version]);
    expect(await listVersions(host.store)).toEqual([second.version, third.version]);
    expect(await host.current()).toBe(third.version);
    expect(await host.store.exists(PUBLISH_LOCK)).toBe(false);
  });

  it.each([1, 2, 5, 7])(
    'leaves the live site byte for byte when put %i of the new version fails',
    async (n) => {
      // Prepare: a live site with an archived report.
      const { host, wrapped, seen } = await open();
      const live = await publishVersion(host, site('live', ['2026-W46']), { now: at(0) });
      const before = await seen();
      const pointer = await host.store.get(CURRENT_POINTER);
      // Act: 4 pages + 2 report files are written, then 2 carried over (copies), then the switch.
      const attempt = publishVersion(
        wrapped((s) => failingOnPut(s, n)),
        site('next', ['2026-W47']),
        {
          now: at(5),
        },
      );
      // Assess
      await expect(attempt).rejects.toThrow(`injected failure on put ${n}`);
      expect(await seen()).toEqual(before);
      expect(await host.current()).toBe(live.version);
      expect(await host.store.get(CURRENT_POINTER)).toEqual(pointer);
      // The unfinished version was removed.
      expect(await listVersions(host.store)).toEqual([live.version]);
    },
  );

  it('leaves the live site whole when writing the switch fails', async () => {
    // The 5th put is the pointer (4 files first): on S3 the switch itself, locally the pointer
    // file written just before the link is replaced.
    const { host, wrapped, seen } = await open();
    const live = await publishVersion(host, site('live'), { now: at(0) });
    const before = await seen();
    const attempt = publishVersion(
      wrapped((s) => failingOnPut(s, 5)),
      site('next'),
      {
        now: at(5),
      },
    );
    await expect(attempt).rejects.toThrow('injected failure on put 5');
    expect(await seen()).toEqual(before);
    expect(await host.current()).toBe(live.version);
  });

  it('keeps the version live before the switch, not a half-written one of a publish that timed out', async () => {
    // Prepare: v-live is live; a publish stopped by its timeout left a half-written version after
    // it (newer id, never made live).
    const { host } = await open();
    const live = await publishVersion(host, site('live'), { now: at(0) });
    const dead = 'v20261123T060100Z-dead00';
    await host.store.put(`versions/${dead}/index.html`, 'half');
    // Act: the retry publishes, keeping 2 versions.
    const next = await publishVersion(host, site('retry'), { now: at(2), keep: 2 });
    // Assess: the one the edge may still serve for its pointer cache is the previous live one
    // (before: the half-written version was kept as "the one before" and v-live removed).
    expect(next.previous).toBe(live.version);
    expect(await listVersions(host.store)).toEqual([live.version, next.version]);
    expect(next.removed).toEqual([dead]);
  });

  it('refuses an unsafe key before writing anything', async () => {
    const { host, seen } = await open();
    await publishVersion(host, site('live'), { now: at(0) });
    const before = await seen();
    const bad = [
      ...site('bad'),
      { path: 'networks/../index.html', body: 'x', contentType: 'text/html' },
    ];
    await expect(publishVersion(host, bad, { now: at(1) })).rejects.toThrow('Unsafe object key');
    expect(await seen()).toEqual(before);
    expect((await listVersions(host.store)).length).toBe(1);
  });
});

describe('the publish lock', () => {
  it('refuses a second publish while one holds it, and takes over a stale lock', async () => {
    const { host } = await localHost();
    let inner: Promise<unknown> | undefined;
    await withPublishLock(
      host,
      () => at(0),
      async () => {
        inner = withPublishLock(
          host,
          () => at(1),
          async () => 'never',
        );
        await expect(inner).rejects.toThrow(PublishLockedError);
        await expect(inner).rejects.toThrow(/Another publish is running .*publish\.lock since/);
      },
    );
    expect(await host.store.exists(PUBLISH_LOCK)).toBe(false);
    // A lock left by a publish that died: taken over once it is older than 30 minutes.
    await host.store.put(PUBLISH_LOCK, '{}');
    const later = new Date(Date.now() + 31 * 60_000);
    await expect(
      withPublishLock(
        host,
        () => later,
        async () => 'ran',
      ),
    ).resolves.toBe('ran');
    await expect(
      withPublishLock(
        host,
        () => new Date(),
        async () => {
          await expect(
            withPublishLock(
              host,
              () => new Date(),
              async () => 'no',
            ),
          ).rejects.toThrow(PublishLockedError);
          return 'first';
        },
      ),
    ).resolves.toBe('first');
  });

  it('lets concurrent publishes through one at a time: every attempt either publishes or is refused whole', async () => {
    const { host, seen } = await localHost();
    const results = await Promise.allSettled(
      [0, 1, 2, 3].map((i) =>
        withPublishLock(
          host,
          () => new Date(),
          () => publishVersion(host, site(`p${i}`), { now: at(i) }),
        ),
      ),
    );
    const published = results.filter((r) => r.status === 'fulfilled');
    expect(published.length).toBeGreaterThanOrEqual(1);
    for (const r of results)
      if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(PublishLockedError);
    const now = await seen();
    expect(now.size).toBe(4);
    expect(now.get('index.html')).toMatch(/^<h1>p\d<\/h1>$/);
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A one-shot signal: `fired` resolves once `fire` is called. */
function signal(): { fired: Promise<void>; fire: () => void } {
  let fire: () => void = () => {};
  const fired = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { fired, fire };
}
/** A store whose deletes and replaces wait `ms` first. */
function slowToChange(store: ObjectStore, ms: number): ObjectStore {
  return new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      if (name === 'delete' || name === 'replaceIfMatch')
        return async (...args: unknown[]) => {
          await sleep(ms);
          return value.apply(target, args);
        };
      return value.bind(target);
    },
  });
}
/** A store whose conditional replaces are made, then fail (the answer lost on the way back). */
function answerLostOnReplace(store: ObjectStore): ObjectStore {
  return new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      if (name === 'replaceIfMatch')
        return async (...args: unknown[]) => {
          await value.apply(target, args);
          throw new Error('injected: the answer was lost');
        };
      return value.bind(target);
    },
  });
}
/** Half an hour and a minute after `from`: any lock written before it is stale then. */
const staleAfter = (from: Date) => () => new Date(from.getTime() + 31 * 60_000);

describe.each([
  ['a local folder', localHost],
  ['a bucket on the S3 test server', bucketHost],
])('the publish lock in %s, when publishes overlap', (_, open) => {
  it('lets only one of two publishes that find the same stale lock take it over', async () => {
    // Prepare: a lock left by a publish that died; two publishes find it stale at once.
    // The second is slower to act on what it found (a colder Lambda): before, it then deleted the
    // lock the first had just taken and made its own.
    const { host, wrapped } = await open();
    const slow = wrapped((store) => slowToChange(store, 150));
    await host.store.put(PUBLISH_LOCK, '{"startedAt":"dead"}');
    const later = staleAfter(new Date());
    let inside = 0;
    let most = 0;
    const body = async () => {
      inside += 1;
      most = Math.max(most, inside);
      await sleep(200);
      inside -= 1;
      return 'ran';
    };
    // Act
    const results = await Promise.allSettled([
      withPublishLock(host, later, body),
      withPublishLock(slow, later, body),
    ]);
    // Assess: never two inside (before: both deleted the stale lock and both created one).
    expect(most).toBe(1);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected');
    expect(refused?.status === 'rejected' && refused.reason).toBeInstanceOf(PublishLockedError);
    expect(await host.store.exists(PUBLISH_LOCK)).toBe(false);
  });

  it('does not switch, or release the lock, once another publish has taken the lock over', async () => {
    // Prepare: A publishes v-live, then starts again and runs past the stale limit; B takes the
    // lock over (its clock half an hour on) and is still running when A comes to its switch.
    const { host, seen } = await open();
    await publishVersion(host, site('live'), { now: at(0) });
    let b: Promise<string> | undefined;
    // B holds the lock until the third publish below has tried (no timing: a loaded machine
    // once let a fixed 400 ms run out first).
    const bHolds = signal();
    const finishB = signal();
    // Act
    const a = withPublishLock(
      host,
      () => new Date(),
      async (lock) => {
        b = withPublishLock(host, staleAfter(new Date()), async () => {
          bHolds.fire();
          await finishB.fired;
          return 'b done';
        });
        await bHolds.fired;
        return publishVersion(host, site('A'), { now: at(1), lock });
      },
    );
    const [ra] = await Promise.allSettled([a]);
    // A third publish while B still holds the lock (before: A's release removed B's lock).
    const [third] = await Promise.allSettled([
      withPublishLock(
        host,
        () => new Date(),
        async () => 'third',
      ),
    ]);
    finishB.fire();
    // Assess: A refused before its switch, the live site as it was, B's lock still B's.
    expect(ra?.status === 'rejected' && String(ra.reason)).toMatch(
      /lock was taken over by another publish .*not made live/,
    );
    expect(third?.status === 'rejected' && third.reason).toBeInstanceOf(PublishLockedError);
    expect((await seen()).get('index.html')).toBe('<h1>live</h1>');
    await expect(b).resolves.toBe('b done');
    expect(await host.store.exists(PUBLISH_LOCK)).toBe(false);
  });

  it('never removes a newer version that a publish may still be writing, nor keeps fewer than two', async () => {
    // Prepare: a live version, and a newer one half written by a publish that started a minute
    // after the next one (two clocks: it may still be running).
    const { host } = await open();
    const first = await publishVersion(host, site('one'), { now: at(0) });
    const running = 'v20261123T063000Z-run000';
    await host.store.put(`versions/${running}/index.html`, 'half');
    // Act: publish at 06:29 with keep 1.
    const next = await publishVersion(host, site('two'), { now: at(29), keep: 1 });
    // Assess: the running publish's version stays; keep 1 still keeps the one before the live one
    // (the edge may serve it for its pointer cache after the switch).
    expect(await listVersions(host.store)).toEqual([first.version, next.version, running]);
    expect(next.removed).toEqual([]);
  });
});

describe.each([
  ['a local folder', localHost],
  ['a bucket on the S3 test server', bucketHost],
])('the publish lock in %s, after a publish Lambda timed out', (_, open) => {
  const minutes = (from: Date, n: number) => () => new Date(from.getTime() + n * 60_000);

  /** A, a publish Lambda with 15 minutes left at t0, takes the lock and is stopped by its timeout. */
  async function timedOut(host: SiteHost, t0: Date) {
    const holds = signal();
    const stopped = signal();
    // Its run never returns (until `stop` is called), so it never releases the lock, as a Lambda stopped
    // at its timeout does not.
    const run = withPublishLock(
      host,
      () => t0,
      async () => {
        holds.fire();
        await stopped.fired;
        return 'a';
      },
      { deadline: new Date(t0.getTime() + 15 * 60_000), holder: 'Lambda request a-1' },
    );
    await holds.fired;
    return { run, stop: stopped.fire };
  }
  /** Lambda's retry of A's event, its clock `now`, publishing site('B'). */
  const retry = (host: SiteHost, now: () => Date) =>
    withPublishLock(host, now, (lock) => publishVersion(host, site('B'), { now: at(20), lock }), {
      deadline: new Date(now().getTime() + 15 * 60_000),
      holder: 'Lambda request a-1',
    });

  it('is taken over by the retry a minute after the timeout, not half an hour later', async () => {
    // Prepare: a live site; A holds the lock and timed out.
    const { host, seen } = await open();
    await publishVersion(host, site('live'), { now: at(0) });
    const t0 = new Date();
    const a = await timedOut(host, t0);
    // Act: a run before A's deadline is refused; Lambda retries A's event a minute after the
    // timeout.
    await expect(retry(host, minutes(t0, 14))).rejects.toThrow(PublishLockedError);
    const published = await retry(host, minutes(t0, 16));
    // Assess: the retry took the lock over and published (before: refused until the lock was 30
    // minutes old, and the one retry was spent); A, were it to return, changes nothing.
    expect((await seen()).get('index.html')).toBe('<h1>B</h1>');
    expect(await host.current()).toBe(published.version);
    expect(await host.store.exists(PUBLISH_LOCK)).toBe(false);
    a.stop();
    await expect(a.run).resolves.toBe('a');
    expect((await seen()).get('index.html')).toBe('<h1>B</h1>');
  });

  it('is refused until the margin after the deadline has passed, naming its holder and when it can be taken', async () => {
    const { host, seen } = await open();
    await publishVersion(host, site('live'), { now: at(0) });
    const t0 = new Date();
    const a = await timedOut(host, t0);
    const takeable = new Date(t0.getTime() + 15 * 60_000 + LOCK_DEADLINE_MARGIN_MS).toISOString();
    await expect(retry(host, minutes(t0, 15.25))).rejects.toThrow(
      `Lambda request a-1): nothing was changed. Try again when it has finished; the lock is taken over after ${takeable}`,
    );
    expect((await seen()).get('index.html')).toBe('<h1>live</h1>');
    // Less than the minute Lambda waits before its retry.
    expect(LOCK_DEADLINE_MARGIN_MS).toBeLessThan(60_000);
    a.stop();
    await a.run;
  });

  it('keeps a lock that names no deadline (a CLI publish) for 30 minutes, and one whose deadline is further off no longer', async () => {
    const { host } = await open();
    const run = (now: () => Date) => withPublishLock(host, now, async () => 'ran');
    const t0 = new Date();
    // A CLI publish's lock: no deadline (it may run longer than a Lambda can).
    await host.store.put(PUBLISH_LOCK, JSON.stringify({ startedAt: t0.toISOString(), pid: 1 }));
    await expect(run(minutes(t0, 16))).rejects.toThrow(/taken over after .* \(30 minutes after/);
    await expect(run(minutes(t0, 31))).resolves.toBe('ran');
    // A deadline a day ahead (a clock far off) does not keep the lock past the 30 minutes.
    const ahead = new Date(t0.getTime() + 24 * 60 * 60_000).toISOString();
    await host.store.put(
      PUBLISH_LOCK,
      JSON.stringify({ startedAt: t0.toISOString(), deadline: ahead }),
    );
    await expect(run(minutes(t0, 29))).rejects.toThrow(PublishLockedError);
    await expect(run(minutes(t0, 31))).resolves.toBe('ran');
  });
});

describe.each([
  ['a local folder', localHost],
  ['a bucket on the S3 test server', bucketHost],
])('the publish lock of a CLI publish in %s (a lease)', (_, open) => {
  const minutes = (from: Date, n: number) => () => new Date(from.getTime() + n * 60_000);
  /** A one-minute lease, renewed every 20 ms of real time, so a test sees several renewals. */
  const lease = { ms: 60_000, renewEveryMs: 20 };
  const lockBody = async (host: SiteHost) =>
    JSON.parse(new TextDecoder().decode(await host.store.get(PUBLISH_LOCK))) as {
      leaseMs?: number;
      renewedAt?: string;
    };

  it('is taken over a lease after the last renewal of a publish that died, not 30 minutes later', async () => {
    // Prepare: a CLI publish takes the lock at t0 and dies (Ctrl-C, a closed laptop): its run
    // never returns and its process renews nothing more. Its own clock is 10 minutes slow, which
    // must not matter: the lease runs from when the store says the lock was written.
    const { host, seen } = await open();
    await publishVersion(host, site('live'), { now: at(0) });
    const t0 = new Date();
    const holds = signal();
    const never = signal();
    const dead = withPublishLock(
      host,
      minutes(t0, -10),
      async () => {
        holds.fire();
        await never.fired;
      },
      { lease: { ms: 60_000, renewEveryMs: 3_600_000 } },
    );
    await holds.fired;
    // Assess: its lock names its lease; the scheduled publish is refused until the lease and the
    // margin have passed, then takes it over (before: refused for 30 minutes).
    expect((await lockBody(host)).leaseMs).toBe(60_000);
    const scheduled = (now: () => Date) =>
      withPublishLock(host, now, (lock) => publishVersion(host, site('B'), { now: at(20), lock }), {
        deadline: new Date(now().getTime() + 15 * 60_000),
      });
    await expect(scheduled(minutes(t0, 1.25))).rejects.toThrow(
      /taken over after .* \(its holder's 60 s lease and 30 s after it was last renewed/,
    );
    await scheduled(minutes(t0, 1.75));
    expect((await seen()).get('index.html')).toBe('<h1>B</h1>');
    never.fire();
    await dead;
  });

  it('writes its lock again while the publish runs, so a long publish keeps it', async () => {
    // Prepare: a CLI publish whose clock is moved on while it runs (a long site build).
    const { host, seen } = await open();
    await publishVersion(host, site('live'), { now: at(0) });
    const t0 = new Date();
    let clock = t0;
    const other = () =>
      withPublishLock(
        host,
        () => new Date(),
        async () => 'other',
      );
    const run = withPublishLock(
      host,
      () => clock,
      async (lock) => {
        const first = await host.store.modifiedAt(PUBLISH_LOCK);
        clock = minutes(t0, 10)();
        // Act: a while (S3's LastModified counts whole seconds), with renewals every 20 ms.
        await sleep(1_200);
        // Assess: the lock was written again since, by this publish (its clock's time), and
        // another publish is refused; the lock is still this publish's, and it switches.
        expect((await lockBody(host)).renewedAt).toBe(clock.toISOString());
        expect((await host.store.modifiedAt(PUBLISH_LOCK)).getTime()).toBeGreaterThan(
          first.getTime(),
        );
        await expect(other()).rejects.toThrow(PublishLockedError);
        return publishVersion(host, site('long'), { now: at(20), lock });
      },
      { lease },
    );
    await run;
    expect((await seen()).get('index.html')).toBe('<h1>long</h1>');
    // Released: the next publish gets the lock at once.
    expect(await host.store.exists(PUBLISH_LOCK)).toBe(false);
    await expect(other()).resolves.toBe('other');
  });

  it('keeps the lock when a renewal was made but its answer was lost', async () => {
    // Prepare: every renewal replaces the lock and then fails (S3 wrote it; the answer timed out).
    const { wrapped, seen } = await open();
    const lossy = wrapped(answerLostOnReplace);
    await publishVersion(lossy, site('live'), { now: at(0) });
    // Act: a publish through several such renewals.
    const run = withPublishLock(
      lossy,
      () => new Date(),
      async (lock) => {
        await sleep(200);
        return publishVersion(lossy, site('kept'), { now: at(20), lock });
      },
      { lease },
    );
    // Assess: its own lock, at a version it did not see written, is still its own: it switches
    // and releases the lock.
    await run;
    expect((await seen()).get('index.html')).toBe('<h1>kept</h1>');
    expect(await lossy.store.exists(PUBLISH_LOCK)).toBe(false);
  });

  it('stops renewing once another publish has taken the lock over, and does not switch', async () => {
    // Prepare: a CLI publish whose process was suspended past its lease (a laptop asleep):
    // another publish took the lock over meanwhile.
    const { host, seen } = await open();
    await publishVersion(host, site('live'), { now: at(0) });
    const taken = JSON.stringify({ startedAt: new Date().toISOString(), token: 'other' });
    const run = withPublishLock(
      host,
      () => new Date(),
      async (lock) => {
        await host.store.put(PUBLISH_LOCK, taken);
        await sleep(200);
        return publishVersion(host, site('late'), { now: at(20), lock });
      },
      { lease },
    );
    // Assess: its renewals left the other's lock as it was, and it did not switch or release.
    await expect(run).rejects.toThrow(/lock was taken over by another publish .*not made live/);
    expect(new TextDecoder().decode(await host.store.get(PUBLISH_LOCK))).toBe(taken);
    expect((await seen()).get('index.html')).toBe('<h1>live</h1>');
  });
});

describe.each([
  ['a local folder', localHost],
  ['a bucket on the S3 test server', bucketHost],
])('a switch to %s whose answer is lost', (_, open) => {
  it('keeps the new version when the pointer cannot be read back either', async () => {
    // Prepare: the switch takes effect but reports a failure, and the first read of what is live
    // afterwards fails too (a throttled S3 or a busy disk).
    const { host, seen } = await open();
    await publishVersion(host, site('old'), { now: at(0) });
    let switched = false;
    let readFails = true;
    const flaky: SiteHost = {
      description: host.description,
      store: host.store,
      unversioned: () => host.unversioned(),
      async current() {
        if (switched && readFails) {
          readFails = false;
          throw new Error('SlowDown: please reduce your request rate');
        }
        return host.current();
      },
      async switchTo(pointer) {
        await host.switchTo(pointer);
        switched = true;
        throw new Error('socket hang up');
      },
    };
    // Act
    await expect(publishVersion(flaky, site('new'), { now: at(1) })).rejects.toThrow(
      'socket hang up',
    );
    // Assess: the live version is whole (before: removed, as if the switch had not happened).
    expect((await seen()).get('index.html')).toBe('<h1>new</h1>');
    expect(await host.store.exists(`versions/${await host.current()}/index.html`)).toBe(true);
  });
});

describe('a local site published before versions', () => {
  it('becomes the oldest version at the first switch, and its reports are carried over', async () => {
    const dir = path.join(await mkdtemp(path.join(scratch, 'old-')), 'site');
    await mkdir(path.join(dir, 'reports/2026-W40/U60865'), { recursive: true });
    await writeFile(path.join(dir, 'index.html'), 'old');
    await writeFile(path.join(dir, 'reports/2026-W40/U60865/index.html'), 'old report');
    const host = new FolderSiteHost(dir);
    const result = await publishVersion(host, site('new'), { now: at(0) });
    expect(result.carried).toBe(1);
    expect((await lstat(dir)).isSymbolicLink()).toBe(true);
    expect(await readFile(path.join(dir, 'index.html'), 'utf8')).toBe('<h1>new</h1>');
    expect(await readFile(path.join(dir, 'reports/2026-W40/U60865/index.html'), 'utf8')).toBe(
      'old report',
    );
    expect(await listVersions(host.store)).toEqual([
      'v00000000T000000Z-before-versions',
      result.version,
    ]);
  });
});
