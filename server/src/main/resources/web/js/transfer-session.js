// The two sides of one transfer connection, after the link's secret is proven (transfer/README.md, "The
// wire"): the sender lists the files, the receiver says which chunks it lacks, the sender sends each wanted
// file on its own data channel ("f<index>": binary chunks of a 4-byte index and up to 64 KiB, then text
// {"t":"end","sha256":...}), the receiver answers "ok" per verified file and "done" at the end.
import { Sha256 } from './sha256.js';
import { CHUNK, TransferError, protocol } from './transfer-wire.js';

const PER_MESSAGE = 256;
const MAX_RANGES = 256;
const MAX_FILES = 100000;
const MAX_SIZE = 2 ** 32 * CHUNK - 1;
const PARALLEL = 4;
const MAX_UNVERIFIED = 64;
const HIGH_WATER = 2 * 1024 * 1024;   // per file channel: above this, wait for bufferedamountlow
// A receiving page hands chunks to its worker faster than the worker may write them, and a data channel
// cannot be paused: it asks the sender ("window" in its want messages) to keep at most WINDOW chunks of a
// file beyond those it counted back as written ({"t":"written","n":...} on the file's channel, every ACK_EVERY).
export const WINDOW = 64;
export const ACK_EVERY = 16;

export const chunkCount = size => Math.ceil(size / CHUNK);
const chunkLength = (size, c) => Math.min(CHUNK, size - c * CHUNK);

/** A relative path of plain names: no '..', '.', empty names, '\', ':' or control characters. */
export function safePath(p) {
  if (typeof p !== 'string' || p.length === 0 || p.length > 1024 || /[\\:\x00-\x1f\x7f]/.test(p)
      || p.startsWith('/') || p.split('/').some(n => n === '' || n === '.' || n === '..')) {
    throw protocol('an unsafe path: ' + String(p).slice(0, 100).replace(/[\x00-\x1f]/g, '?'));
  }
  return p;
}

/** A new transfer id: 16 random bytes in hex (names the receiver's partial files, so a resume finds them). */
export function newTransferId() {
  return [...crypto.getRandomValues(new Uint8Array(16))].map(b => b.toString(16).padStart(2, '0')).join('');
}

// ---- sender ----------------------------------------------------------------------------------------------

/**
 * Sends {id, files: [{path, file}], dirs} over an authenticated link. listener: started(files, present),
 * progress(index, bytes), verified(index). hashes (Map index -> hex) lives across connections, so a resumed
 * file is not read twice. Resolves when the receiver said "done".
 */
export async function sendFiles(link, manifest, listener, hashes) {
  const files = manifest.files;
  for (let fi = 0, di = 0; ;) {
    const m = { t: 'files', id: manifest.id, files: [], dirs: [] };
    for (; m.files.length < PER_MESSAGE && fi < files.length; fi++) m.files.push({ p: files[fi].path, s: files[fi].file.size });
    for (; m.files.length + m.dirs.length < PER_MESSAGE && di < manifest.dirs.length; di++) m.dirs.push(manifest.dirs[di]);
    m.last = fi === files.length && di === manifest.dirs.length;
    link.send(m);
    if (m.last) break;
  }
  const queue = [];
  const seen = new Set();
  let window = 0;
  for (let last = false; !last;) {
    const m = await link.next();
    if (m.t !== 'want' || !Array.isArray(m.files)) throw protocol("'" + m.t + "' where the wanted chunks were expected");
    if (m.window !== undefined) {
      if (!Number.isInteger(m.window) || m.window < 1 || m.window > 65536) throw protocol('a bad window');
      window = m.window;
    }
    for (const w of m.files) {
      const f = files[w.i];
      if (!Number.isInteger(w.i) || !f || seen.has(w.i) || !Array.isArray(w.r) || w.r.length > MAX_RANGES) throw protocol('a bad want');
      seen.add(w.i);
      let end = 0;
      for (const r of w.r) {
        if (!Array.isArray(r) || r.length !== 2 || !Number.isInteger(r[0]) || !Number.isInteger(r[1])
            || r[0] < end || r[1] <= r[0] || r[1] > chunkCount(f.file.size)) throw protocol('a bad chunk range');
        end = r[1];
      }
      queue.push({ index: w.i, file: f.file, ranges: w.r });
    }
    last = m.last === true;
  }
  const present = files.map((f, i) => seen.has(i) ? f.file.size - wantedBytes(queue.find(w => w.index === i)) : f.file.size);
  listener.started(files, present);

  let unverified = 0;
  let verifiedOne = null;
  const ended = new Map(); // file index -> its channel, the end sent
  const worker = async () => {
    for (let w; (w = queue.shift());) {
      while (unverified >= MAX_UNVERIFIED) await new Promise(r => { verifiedOne = r; });
      unverified++;
      await sendFile(link, w, listener, hashes, window, ended);
    }
  };
  const workers = Promise.all(Array.from({ length: PARALLEL }, worker));
  workers.catch(e => link.break(e instanceof TransferError ? e : new TransferError('LOCAL', 'cannot read: ' + e.message)));
  let verified = 0;
  for (;;) {
    const m = await link.next(600000);
    if (m.t === 'ok' && Number.isInteger(m.i) && seen.has(m.i)) {
      listener.verified(m.i);
      ended.get(m.i)?.close();
      ended.delete(m.i);
      verified++;
      unverified--;
      const wake = verifiedOne;
      verifiedOne = null;
      wake?.();
    } else if (m.t === 'done') {
      if (verified < seen.size) throw protocol('done before every file was verified');
      return;
    } else {
      throw protocol("unexpected '" + m.t + "'");
    }
  }
}

function wantedBytes(w) {
  let n = 0;
  for (const [a, b] of w.ranges) for (let c = a; c < b; c++) n += chunkLength(w.file.size, c);
  return n;
}

async function sendFile(link, w, listener, hashes, window, ended) {
  const ch = link.pc.createDataChannel('f' + w.index);
  ch.binaryType = 'arraybuffer';
  ch.bufferedAmountLowThreshold = HIGH_WATER / 2;
  let sent = 0;
  let written = 0;
  let more = null;
  ch.onmessage = e => {
    let m = null;
    try { m = typeof e.data === 'string' ? JSON.parse(e.data) : null; } catch { /* not ours */ }
    if (m && m.t === 'written' && Number.isInteger(m.n) && m.n >= written && m.n <= sent) {
      written = m.n;
      const resume = more;
      more = null;
      resume?.();
    }
  };
  await new Promise((resolve, reject) => {
    ch.onopen = resolve;
    ch.onclose = () => reject(new TransferError('CONNECTION', 'a file channel closed'));
  });
  const size = w.file.size;
  const whole = w.ranges.length === 1 && w.ranges[0][0] === 0 && w.ranges[0][1] === chunkCount(size);
  const md = (whole || size === 0) && !hashes.has(w.index) ? new Sha256() : null;
  for (const [a, b] of w.ranges) {
    for (let c = a; c < b; c++) {
      if (link.broken) throw link.broken;
      const len = chunkLength(size, c);
      const data = new Uint8Array(await w.file.slice(c * CHUNK, c * CHUNK + len).arrayBuffer());
      if (data.length !== len) throw new TransferError('LOCAL', w.file.name + ' changed while it was sent');
      md?.update(data);
      const message = new Uint8Array(4 + len);
      new DataView(message.buffer).setUint32(0, c);
      message.set(data, 4);
      while (ch.bufferedAmount > HIGH_WATER && ch.readyState === 'open') {
        await new Promise(resolve => { ch.onbufferedamountlow = resolve; });
      }
      while (window && sent - written >= window && ch.readyState === 'open' && !link.broken) {
        await new Promise(resolve => { more = resolve; setTimeout(resolve, 200); });
      }
      if (ch.readyState !== 'open') throw link.broken || new TransferError('CONNECTION', 'a file channel closed');
      ch.send(message);
      sent++;
      listener.progress(w.index, len);
    }
  }
  let hash = md ? md.hex() : hashes.get(w.index);
  if (!hash) hash = await hashBlob(w.file);
  hashes.set(w.index, hash);
  ended.set(w.index, ch); // closed once the receiver verified the file (SendSession.ended says why)
  ch.send(JSON.stringify({ t: 'end', sha256: hash }));
}

/** SHA-256 of a Blob (a File, or a file of the origin private file system), read a megabyte at a time. */
export async function hashBlob(blob) {
  const md = new Sha256();
  for (let at = 0; at < blob.size; at += 1 << 20) md.update(await blob.slice(at, at + (1 << 20)).arrayBuffer());
  return md.hex();
}

// ---- receiver --------------------------------------------------------------------------------------------

/**
 * Receives over an authenticated link into store (a Store: the origin private file system, in a worker).
 * listener: started(files, present), progress(index, bytes), verified(index), placed(files), and optionally
 * queued(chunks): how many chunks of a file went to the worker and are not written yet.
 */
export async function receiveFiles(link, store, listener) {
  const files = [];
  const dirs = [];
  const paths = new Set();
  let id = null;
  for (let last = false; !last;) {
    const m = await link.next();
    if (m.t !== 'files' || typeof m.id !== 'string' || !/^[0-9a-f]{32}$/.test(m.id) || (id && id !== m.id)) {
      throw protocol("'" + m.t + "' where the list of files was expected");
    }
    id = m.id;
    if (!Array.isArray(m.files) || !Array.isArray(m.dirs) || m.files.length + m.dirs.length > PER_MESSAGE) {
      throw protocol('a bad list of files');
    }
    for (const f of m.files) {
      if (!f || !Number.isSafeInteger(f.s) || f.s < 0 || f.s > MAX_SIZE || paths.has(safePath(f.p))) {
        throw protocol('a bad file entry');
      }
      paths.add(f.p);
      files.push({ index: files.length, path: f.p, size: f.s });
    }
    for (const d of m.dirs) dirs.push(safePath(d));
    if (files.length > MAX_FILES || dirs.length > MAX_FILES) throw protocol('too many files');
    last = m.last === true;
  }
  const need = files.reduce((n, f) => n + f.size, 0);
  const estimate = await navigator.storage.estimate();
  const state = await store.prepare(id, files);
  const present = state.map(s => s.present);
  if (need - present.reduce((a, b) => a + b, 0) > estimate.quota - estimate.usage) {
    throw new TransferError('LOCAL', 'not enough space in this browser\'s storage for ' + need + ' bytes');
  }
  listener.started(files, present);

  const wanted = new Set();
  let want = { t: 'want', window: WINDOW, files: [] };
  let verified = 0;
  for (const f of files) {
    if (state[f.index].verified) {
      verified++;
      listener.verified(f.index);
      continue;
    }
    wanted.add(f.index);
    let ranges = state[f.index].missing;
    if (ranges.length > MAX_RANGES) ranges = [[ranges[0][0], chunkCount(f.size)]];
    want.files.push({ i: f.index, r: ranges });
    if (want.files.length === PER_MESSAGE) {
      link.send(Object.assign(want, { last: false }));
      want = { t: 'want', window: WINDOW, files: [] };
    }
  }
  const outcomes = [];
  let wake = null;
  const report = o => { outcomes.push(o); const w = wake; wake = null; w?.(); };
  const counted = new Map(); // file index -> what to do when the worker handled one of its chunks
  store.onWritten = index => counted.get(index)?.();
  link.onFileChannel = channel => {
    const m = /^f([0-9]{1,6})$/.exec(channel.label);
    const index = m ? Number(m[1]) : -1;
    if (!wanted.delete(index)) {
      channel.close();
      report(protocol('a data channel that is not a wanted file'));
      return;
    }
    receiveFile(channel, files[index], store, listener, report, counted);
  };
  link.send(Object.assign(want, { last: true }));
  while (verified < files.length) {
    while (!outcomes.length) {
      if (link.broken) throw link.broken;
      if (store.failure) throw new TransferError('LOCAL', 'cannot write: ' + store.failure.message);
      await new Promise(resolve => { wake = resolve; setTimeout(resolve, 200); });
    }
    const o = outcomes.shift();
    if (o instanceof Error) throw o;
    link.send({ t: 'ok', i: o });
    listener.verified(o);
    verified++;
  }
  if (link.broken) throw link.broken;
  const placed = await store.finish(id, files, dirs);
  link.send({ t: 'done' });
  listener.placed(placed);
  // The sender closes once it read "done"; closing first could lose it.
  for (let i = 0; i < 100 && link.pc.connectionState === 'connected'; i++) await new Promise(r => setTimeout(r, 50));
}

function receiveFile(channel, file, store, listener, report, counted) {
  channel.binaryType = 'arraybuffer';
  let finished = false;
  let handed = 0;
  let written = 0;
  counted.set(file.index, () => {
    written++;
    if (written % ACK_EVERY === 0 && channel.readyState === 'open') channel.send(JSON.stringify({ t: 'written', n: written }));
  });
  channel.onmessage = async e => {
    if (finished) return;
    if (typeof e.data !== 'string') {
      const view = new DataView(e.data);
      const c = e.data.byteLength >= 4 ? view.getUint32(0) : -1;
      if (c < 0 || c >= chunkCount(file.size) || e.data.byteLength - 4 !== chunkLength(file.size, c)) {
        finished = true;
        report(protocol('a bad chunk for ' + file.path));
        return;
      }
      const length = e.data.byteLength - 4;
      store.chunk(file.index, c, e.data); // the buffer moves to the worker: length read before
      handed++;
      listener.queued?.(handed - written);
      listener.progress(file.index, length);
      return;
    }
    finished = true;
    let m;
    try { m = JSON.parse(e.data); } catch { m = {}; }
    if (m.t !== 'end' || typeof m.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(m.sha256)) {
      report(protocol("a bad end of " + file.path));
      return;
    }
    try {
      const result = await store.end(file.index, m.sha256);
      report(result === 'ok' ? file.index : new TransferError(result === 'corrupt' ? 'CORRUPT' : 'PROTOCOL',
          result === 'corrupt' ? 'the SHA-256 of ' + file.path + ' does not match the sender\'s; the file was discarded'
            : 'the peer broke the protocol: the end of ' + file.path + ' before all its chunks'));
    } catch (err) {
      report(new TransferError('LOCAL', 'cannot write ' + file.path + ': ' + err.message));
    }
  };
  channel.onclose = () => {
    if (finished) return;
    finished = true; // the sender keeps a file's channel open until the file is verified
    store.close(file.index);
    report(new TransferError('CONNECTION', 'the channel of ' + file.path + ' closed before the file\'s end'));
  };
}
