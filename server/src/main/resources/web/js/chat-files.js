// "Send a file" in the call's chat panel: a button and drag-and-drop onto the chat; each file on its own data
// channel "rtc4j-file" of the call's connection ({"t":"file","id","name","size"}, binary chunks of a 4-byte
// index and up to 64 KiB with bufferedAmount backpressure, then {"t":"end","sha256"}), received into the
// origin private file system, hashed in parts, and offered in the chat as a link to save. The receiver hands
// chunks to its worker faster than the worker may write them, and a data channel cannot be paused: as on the
// transfer page, it counts written chunks back ({"t":"written","n"} every ACK_EVERY) and the sender keeps at
// most WINDOW chunks beyond that count. The call page (room.js) announces each peer with a window event
// 'rtc4j-peer'.
import { Sha256 } from './sha256.js';
import { CHUNK } from './transfer-wire.js';
import { ACK_EVERY, WINDOW, chunkCount, newTransferId, safePath } from './transfer-session.js';
import { Store } from './transfer-store.js';
import { FileProgress, droppedFiles } from './transfer-ui.js';

const LABEL = 'rtc4j-file';
const HIGH_WATER = 2 * 1024 * 1024;
const $ = id => document.getElementById(id);
const log = window.rtc4jFiles = { sent: [], received: [], maxQueued: 0 };

function openPeers() {
  return [...(window.rtc4j?.peers.values() || [])].filter(p => p.chat.readyState === 'open');
}

async function sendFile(peer, file) {
  const li = new FileProgress($('chat-log'), 'You send ' + file.name, file.size);
  li.li.classList.add('mine');
  const entry = { name: file.name, size: file.size, state: 'sending' };
  log.sent.push(entry);
  const ch = peer.pc.createDataChannel(LABEL);
  ch.binaryType = 'arraybuffer';
  ch.bufferedAmountLowThreshold = HIGH_WATER / 2;
  await new Promise((resolve, reject) => { ch.onopen = resolve; ch.onclose = () => reject(new Error('closed')); });
  let sent = 0;
  let written = 0;
  let more = null;
  const delivered = new Promise(resolve => {
    ch.onmessage = e => {
      let m = null;
      try { m = typeof e.data === 'string' ? JSON.parse(e.data) : null; } catch { /* not ours */ }
      if (m?.t === 'ok') resolve();
      if (m?.t === 'written' && Number.isInteger(m.n) && m.n >= written && m.n <= sent) {
        written = m.n;
        const resume = more;
        more = null;
        resume?.();
      }
    };
  });
  ch.send(JSON.stringify({ t: 'file', id: newTransferId(), name: file.name, size: file.size }));
  const md = new Sha256();
  for (let c = 0; c < chunkCount(file.size); c++) {
    const data = new Uint8Array(await file.slice(c * CHUNK, (c + 1) * CHUNK).arrayBuffer());
    md.update(data);
    const message = new Uint8Array(4 + data.length);
    new DataView(message.buffer).setUint32(0, c);
    message.set(data, 4);
    while (ch.bufferedAmount > HIGH_WATER && ch.readyState === 'open') {
      await new Promise(resolve => { ch.onbufferedamountlow = resolve; });
    }
    while (sent - written >= WINDOW && ch.readyState === 'open') {
      await new Promise(resolve => { more = resolve; setTimeout(resolve, 200); });
    }
    if (ch.readyState !== 'open') throw new Error('the call ended');
    ch.send(message);
    sent++;
    li.add(data.length);
  }
  ch.send(JSON.stringify({ t: 'end', sha256: md.hex() }));
  await delivered;
  entry.state = 'delivered';
  li.verified('delivered, SHA-256 matched');
  ch.close();
}

function receiveFile(ch) {
  ch.binaryType = 'arraybuffer';
  let meta = null;
  let store = null;
  let bar = null;
  let expected = 0;
  let written = 0;
  let failed = false;
  const stop = why => {
    failed = true;
    bar?.verified('failed: ' + why);
    store?.terminate();
    ch.close();
  };
  ch.onmessage = async e => {
    if (failed) return;
    if (typeof e.data !== 'string') {
      const c = meta && e.data.byteLength >= 4 ? new DataView(e.data).getUint32(0) : -1;
      const len = c >= 0 ? Math.min(CHUNK, meta.size - c * CHUNK) : -1;
      if (c !== expected || e.data.byteLength - 4 !== len) return stop('a bad chunk');
      expected++;
      store.chunk(0, c, e.data); // the buffer moves to the worker: its length was read before
      log.maxQueued = Math.max(log.maxQueued, expected - written);
      bar.add(len);
      return;
    }
    let m;
    try { m = JSON.parse(e.data); } catch { return stop('a bad message'); }
    if (!meta && m.t === 'file') {
      let name;
      try {
        name = safePath(String(m.name)).split('/').pop();
      } catch { return stop('an unsafe name'); }
      if (!/^[0-9a-f]{32}$/.test(m.id) || !Number.isSafeInteger(m.size) || m.size < 0) return stop('a bad file');
      meta = { id: m.id, name, size: m.size };
      bar = new FileProgress($('chat-log'), 'They send ' + name, m.size);
      bar.li.classList.add('theirs');
      store = new Store();
      store.onWritten = () => {
        written++;
        if (written % ACK_EVERY === 0 && ch.readyState === 'open') ch.send(JSON.stringify({ t: 'written', n: written }));
      };
      await store.prepare(m.id, [{ index: 0, size: m.size }]);
    } else if (meta && m.t === 'end' && /^[0-9a-f]{64}$/.test(m.sha256)) {
      const result = await store.end(0, m.sha256);
      if (result !== 'ok') return stop(result === 'corrupt' ? 'SHA-256 mismatch, discarded' : 'incomplete');
      const [placed] = await store.finish(meta.id, [{ index: 0, path: meta.name }], []);
      store.terminate();
      ch.send('{"t":"ok"}');
      const root = await navigator.storage.getDirectory();
      const parts = placed.path.split('/');
      const file = await (await (await root.getDirectoryHandle(parts[0])).getFileHandle(parts[1])).getFile();
      bar.verified('received, SHA-256 matched');
      bar.link(URL.createObjectURL(file), parts[1]);
      log.received.push({ name: meta.name, path: placed.path, size: meta.size });
    } else {
      stop('a bad message');
    }
  };
}

function sendAll(files) {
  for (const peer of openPeers()) {
    for (const f of files) sendFile(peer, f.file ?? f).catch(err => console.warn('file not sent', err));
  }
}

window.addEventListener('rtc4j-peer', e => {
  e.detail.pc.addEventListener('datachannel', ({ channel }) => {
    if (channel.label === LABEL) receiveFile(channel);
  });
});

// The button beside the chat's Send, and the chat panel as a drop zone.
const input = Object.assign(document.createElement('input'), { type: 'file', multiple: true, hidden: true });
const button = Object.assign(document.createElement('button'), { type: 'button', id: 'chat-file', textContent: 'File…',
  title: 'Send a file (or drop files on the chat)' });
button.onclick = () => input.click();
input.onchange = () => { sendAll([...input.files]); input.value = ''; };
$('chat-form').append(button, input);
const chat = $('chat');
chat.addEventListener('dragover', e => { if (openPeers().length) { e.preventDefault(); chat.classList.add('over'); } });
chat.addEventListener('dragleave', () => chat.classList.remove('over'));
chat.addEventListener('drop', async e => {
  e.preventDefault();
  chat.classList.remove('over');
  sendAll((await droppedFiles(e.dataTransfer)).filter(f => f.file));
});
setInterval(() => { button.disabled = !openPeers().length; }, 500);
log.send = files => sendAll(files);
