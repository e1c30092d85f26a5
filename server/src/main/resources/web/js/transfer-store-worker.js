// The receiving side's disk, in a worker: files far larger than memory go to the origin private file system
// through synchronous access handles (written in place, so a page killed half way keeps what was written),
// each hashed as its chunks come in order. Beside each partial file "<index>.part" a chunk map "<index>.map"
// (the file size, 8 bytes big-endian, then one bit per chunk, as the command line's ChunkMap), saved every 64
// chunks, so a receive run again asks only for what is missing; "<index>.ok" once its SHA-256 matched.
import { Sha256 } from './sha256.js';

const CHUNK = 64 * 1024;
const SAVE_EVERY = 64;
let staging = null;
const files = new Map();    // index -> { size, count, bits, have, handle, md, next, unsaved }
let chain = Promise.resolve();

// Messages are handled one after the other: a chunk's write must not overtake the opening of its file.
onmessage = e => {
  chain = chain.then(() => handle(e.data));
};

async function handle({ id, op, args }) {
  try {
    const result = await ops[op](...args);
    if (id) postMessage({ id, result });
  } catch (err) {
    postMessage({ id, error: String(err && err.message || err) });
  }
  // The page hands chunks over faster than they may be written: it counts them back to pace the sender.
  if (op === 'chunk') postMessage({ written: args[0] });
}

const ops = {
  async prepare(transferId, list) {
    const root = await navigator.storage.getDirectory();
    staging = await root.getDirectoryHandle('rtc4j-transfer-' + transferId, { create: true });
    files.clear();
    const out = [];
    for (const f of list) {
      const count = Math.ceil(f.size / CHUNK);
      const bits = await loadMap(f.index, f.size, count);
      let have = 0;
      for (let c = 0; c < count; c++) if (bits[c >> 3] & 1 << (c & 7)) have++;
      const state = { size: f.size, count, bits, have, handle: null, md: have === 0 ? new Sha256() : null, next: 0, unsaved: 0 };
      files.set(f.index, state);
      const verified = have === count && await exists(f.index + '.ok');
      let present = have * CHUNK;
      if (count > 0 && bits[(count - 1) >> 3] & 1 << ((count - 1) & 7)) present -= CHUNK - (f.size - (count - 1) * CHUNK);
      out.push({ present, verified, missing: missing(state) });
    }
    return out;
  },

  async chunk(index, c, data) {
    const f = files.get(index);
    if (!f || f.bits[c >> 3] & 1 << (c & 7)) return;
    const h = await open(index);
    const bytes = new Uint8Array(data, 4);
    h.write(bytes, { at: c * CHUNK });
    if (f.md && c === f.next) {
      f.md.update(bytes);
      f.next++;
    } else {
      f.md = null;
    }
    f.bits[c >> 3] |= 1 << (c & 7);
    f.have++;
    if (++f.unsaved >= SAVE_EVERY) await save(index);
  },

  async end(index, sha256) {
    const f = files.get(index);
    if (f.have !== f.count) return 'incomplete';
    await open(index);
    await save(index);
    f.handle.close();
    f.handle = null;
    const actual = f.md && f.next === f.count ? f.md.hex() : await hashFile(index);
    if (actual !== sha256) {
      await staging.removeEntry(index + '.part').catch(() => {});
      await staging.removeEntry(index + '.map').catch(() => {});
      return 'corrupt';
    }
    await staging.getFileHandle(index + '.ok', { create: true });
    return 'ok';
  },

  async close(index) {
    if (files.get(index)?.handle) {
      await save(index);
      files.get(index).handle.close();
      files.get(index).handle = null;
    }
  },

  /** Moves every file to received/<path> (never over an existing name: "name (2)"), and drops the staging. */
  async finish(transferId, list, dirs) {
    const root = await navigator.storage.getDirectory();
    const received = await root.getDirectoryHandle('received', { create: true });
    const tops = new Map();
    const top = async name => {
      if (!tops.has(name)) {
        let pick = name;
        for (let n = 2; await has(received, pick); n++) pick = name.replace(/(\.[^.]*)?$/, ' (' + n + ')$1');
        tops.set(name, pick);
      }
      return tops.get(name);
    };
    const placed = [];
    for (const d of dirs) await directory(received, [await top(d.split('/')[0]), ...d.split('/').slice(1)]);
    for (const f of list) {
      const parts = f.path.split('/');
      parts[0] = await top(parts[0]);
      const dir = await directory(received, parts.slice(0, -1));
      const part = await staging.getFileHandle(f.index + '.part', { create: true });
      await part.move(dir, parts[parts.length - 1]);
      placed.push({ index: f.index, path: 'received/' + parts.join('/') });
    }
    files.clear();
    staging = null;
    await root.removeEntry('rtc4j-transfer-' + transferId, { recursive: true });
    return placed;
  }
};

async function open(index) {
  const f = files.get(index);
  if (!f.handle) {
    const fh = await staging.getFileHandle(index + '.part', { create: true });
    f.handle = await fh.createSyncAccessHandle();
  }
  return f.handle;
}

/** Flushes the file's data, then saves its map: a map never claims a chunk that is not on disk. */
async function save(index) {
  const f = files.get(index);
  f.handle?.flush();
  f.unsaved = 0;
  const bytes = new Uint8Array(8 + f.bits.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(f.size));
  bytes.set(f.bits, 8);
  const mh = await (await staging.getFileHandle(index + '.map', { create: true })).createSyncAccessHandle();
  try {
    mh.truncate(0);
    mh.write(bytes, { at: 0 });
    mh.flush();
  } finally {
    mh.close();
  }
}

async function loadMap(index, size, count) {
  const empty = new Uint8Array((count + 7) >> 3);
  try {
    const b = new Uint8Array(await (await (await staging.getFileHandle(index + '.map')).getFile()).arrayBuffer());
    if (b.length === 8 + empty.length && new DataView(b.buffer).getBigUint64(0) === BigInt(size)) return b.slice(8);
  } catch { /* no map yet */ }
  return empty;
}

function missing(f) {
  const ranges = [];
  for (let c = 0; c < f.count;) {
    if (f.bits[c >> 3] & 1 << (c & 7)) { c++; continue; }
    const from = c;
    while (c < f.count && !(f.bits[c >> 3] & 1 << (c & 7))) c++;
    ranges.push([from, c]);
  }
  return ranges;
}

async function hashFile(index) {
  const file = await (await staging.getFileHandle(index + '.part')).getFile();
  const md = new Sha256();
  for (let at = 0; at < file.size; at += 1 << 20) md.update(await file.slice(at, at + (1 << 20)).arrayBuffer());
  return md.hex();
}

async function exists(name) {
  return has(staging, name);
}

async function has(dir, name) {
  try {
    await dir.getFileHandle(name);
    return true;
  } catch {
    try {
      await dir.getDirectoryHandle(name);
      return true;
    } catch {
      return false;
    }
  }
}

async function directory(base, names) {
  let d = base;
  for (const n of names) d = await d.getDirectoryHandle(n, { create: true });
  return d;
}
