// The transfer page (/t): without a fragment it sends (pick or drop files, share the link it shows); with
// "#<nameplate>-<secret>" it receives into the origin private file system and offers each file to save.
// Either end may be ./rtc4j send or receive instead (transfer/README.md).
import { Signaling } from './signaling.js';
import { Link, Rendezvous, TransferError, linkOf, newSecret, parseFragment } from './transfer-wire.js';
import { newTransferId, receiveFiles, safePath, sendFiles } from './transfer-session.js';
import { Store } from './transfer-store.js';
import { FileProgress, droppedFiles } from './transfer-ui.js';

const $ = id => document.getElementById(id);
const MAX_WRONG = 3;
/** How many times a receiving page resumes on its own after its connection broke. */
const RESUMES = 3;
/** How long the ICE servers' answer, and the signaling WebSocket's opening, may take before the page says so. */
const ICE_SERVERS_MS = 10000;
const SIGNALING_OPEN_MS = 20000;
// Tests and curious people can follow the transfer from the console.
const app = window.rtc4jTransfer = { state: 'starting', files: [], placed: null, error: null, steps: [] };

/** Notes how far the set-up got, for a page that stops on the way (tests print the trail, and the console). */
function step(what) {
  app.steps.push(Math.round(performance.now()) + ' ms ' + what);
  console.info('transfer: ' + what);
}

function status(text, isError = false) {
  $('status').textContent = text;
  $('status').classList.toggle('error', isError);
  app.status = text;
}

function fail(err) {
  app.state = 'failed';
  app.error = { reason: err.reason || 'LOCAL', message: err.message };
  status(err.message, true);
}

async function iceConfiguration() {
  try {
    const response = await fetch('/api/ice-servers',
        { cache: 'no-store', signal: AbortSignal.timeout(ICE_SERVERS_MS) });
    if (response.ok) return { iceServers: (await response.json()).iceServers || [] };
  } catch { /* host candidates only */ }
  return { iceServers: [] };
}

/** Opens the signaling WebSocket, or fails after a while instead of waiting on a socket that never opens. */
function openSignaling(signaling) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => {
      signaling.close();
      reject(new TransferError('RENDEZVOUS',
          'the signaling WebSocket did not open within ' + SIGNALING_OPEN_MS / 1000 + ' s'));
    }, SIGNALING_OPEN_MS);
  });
  return Promise.race([signaling.connect(), late]).finally(() => clearTimeout(timer));
}

/** Shows a bar per file and returns the listener the sessions report to. */
function progressListener() {
  const bars = [];
  return {
    started(files, present) {
      $('files').replaceChildren();
      bars.length = 0;
      files.forEach((f, i) => {
        const bar = new FileProgress($('files'), f.path, f.size ?? f.file.size);
        bar.present(present[i]);
        bars.push(bar);
      });
      app.files = files.map((f, i) => ({ path: f.path, size: f.size ?? f.file.size, bytes: present[i], verified: false }));
      app.present = present.reduce((a, b) => a + b, 0);
      app.state = 'transferring';
      step('transferring, ' + app.present + ' bytes present');
      status('Transferring…');
    },
    progress(i, bytes) {
      bars[i].add(bytes);
      app.files[i].bytes += bytes;
    },
    queued(chunks) { // received, not yet written: bounded by the sender's window
      app.maxQueued = Math.max(app.maxQueued || 0, chunks);
    },
    verified(i) {
      bars[i].verified();
      app.files[i].verified = true;
    },
    async placed(placed) {
      app.placed = placed;
      const root = await navigator.storage.getDirectory();
      for (const p of placed) {
        let dir = root;
        const parts = p.path.split('/');
        for (const n of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(n);
        const file = await (await dir.getFileHandle(parts[parts.length - 1])).getFile();
        bars[p.index].link(URL.createObjectURL(file), parts[parts.length - 1]);
      }
    }
  };
}

// ---- sending ----------------------------------------------------------------------------------------------

let sending = false;

/**
 * Sends [{path, file}] (and folders as {path, directory: true}, arriving even when empty) to whoever opens the
 * link; waits for receivers until one has everything.
 */
async function send(entries) {
  if (sending || !entries.length) return;
  sending = true;
  const seen = new Set();
  for (const f of entries) {
    safePath(f.path);
    if (seen.has(f.path)) throw new TransferError('LOCAL', 'two entries named ' + f.path);
    seen.add(f.path);
  }
  const list = entries.filter(f => !f.directory);
  // Every folder: those that hold files, and those listed on their own (a dropped folder, maybe empty).
  const dirs = [...new Set(entries.flatMap(f => (f.directory ? f.path + '/x' : f.path).split('/').slice(0, -1)
      .map((_, i, parts) => parts.slice(0, i + 1).join('/'))))].sort();
  const manifest = { id: newTransferId(), files: list, dirs };
  $('drop').hidden = true;
  const secret = newSecret();
  const configuration = await iceConfiguration();
  const signaling = new Signaling();
  await openSignaling(signaling);
  const rendezvous = new Rendezvous(signaling);
  const nameplate = await rendezvous.claim();
  app.link = linkOf(nameplate, secret);
  $('link').value = app.link;
  $('cli').textContent = "./rtc4j receive '" + app.link + "'";
  $('share').hidden = false;
  const listener = progressListener();
  listener.started(list, list.map(() => 0));
  app.state = 'waiting';
  status('Waiting for the receiver to open the link…');
  const hashes = new Map();
  let wrong = 0;
  let arrived = 0;
  rendezvous.addEventListener('arrived', () => arrived++);
  for (;;) {
    while (!arrived) await new Promise(r => setTimeout(r, 100));
    arrived = 0;
    let link = null;
    const left = () => link?.break('the receiver left');
    rendezvous.addEventListener('left', left);
    try {
      status('Connecting…');
      link = await Link.offer(configuration, rendezvous);
      status('Connected; checking the link…');
      await link.authenticate('sender', secret);
      await sendFiles(link, manifest, listener, hashes);
      app.state = 'done';
      status('Sent: the receiver has every file, verified.');
      link.close();
      signaling.close();
      return;
    } catch (err) {
      link?.fail(err);
      link?.close();
      if (err.reason === 'WRONG_CODE' || err.reason === 'INTERCEPTED') {
        app.refusals = (app.refusals || 0) + 1;
        app.lastRefusal = err.message;
        if (++wrong >= MAX_WRONG) {
          signaling.close();
          throw new TransferError('CODE_CLOSED', wrong + ' failed tries of the link: given up (the last: ' + err.message + ')');
        }
        status(err.message + ' Waiting for the receiver…', true);
      } else if (err.reason === 'CONNECTION' || err.reason === 'RENDEZVOUS' || err.reason === undefined) {
        status('The receiver broke off (' + err.message + '); waiting for it to open the link again…');
      } else {
        signaling.close();
        throw err;
      }
    } finally {
      rendezvous.removeEventListener('left', left);
    }
  }
}

function startSending(list) {
  send(list).catch(fail);
}

function setUpSendPane() {
  $('send-pane').hidden = false;
  status('Choose what to send.');
  app.state = 'choosing';
  $('pick-files').onclick = () => $('files-input').click();
  $('pick-folder').onclick = () => $('folder-input').click();
  $('files-input').onchange = e => startSending([...e.target.files].map(f => ({ path: f.name, file: f })));
  $('folder-input').onchange = e => startSending([...e.target.files].map(f => ({ path: f.webkitRelativePath || f.name, file: f })));
  const drop = $('drop');
  drop.addEventListener('dragover', e => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', async e => {
    e.preventDefault();
    drop.classList.remove('over');
    startSending(await droppedFiles(e.dataTransfer));
  });
  $('copy').onclick = () => navigator.clipboard?.writeText($('link').value);
  app.send = list => startSending(list);
}

// ---- receiving --------------------------------------------------------------------------------------------

async function receive({ nameplate, secret }) {
  app.state = 'connecting';
  status('Connecting to the sender…');
  step('asking for the ICE servers');
  const configuration = await iceConfiguration();
  const signaling = new Signaling();
  step('opening the signaling WebSocket');
  await openSignaling(signaling);
  step('signaling open');
  signaling.addEventListener('close', e => step('signaling closed: ' + e.detail.code + ' ' + e.detail.reason));
  const rendezvous = new Rendezvous(signaling);
  let link = null;
  app.interrupt = why => link?.break(why); // from the console: a connection that broke (tests resuming)
  rendezvous.addEventListener('left', () => { step('the sender left'); link?.break('the sender left'); });
  const answering = Link.answer(configuration, rendezvous, step);
  answering.catch(() => {}); // awaited below once joined; a failed join must not leave it unhandled
  step('joining ' + nameplate);
  await rendezvous.join(nameplate);
  step('joined');
  const store = new Store();
  app.disk = store.progress; // in the page's state: where a stalled transfer stopped
  try {
    link = await answering;
    step('control channel open');
    status('Connected; checking the link…');
    await link.authenticate('receiver', secret, step);
    step('authenticated');
    await receiveFiles(link, store, progressListener());
    app.state = 'done';
    status('Received: every file arrived and matched its SHA-256. Click a name to save it.');
  } catch (err) {
    // Whether what this page sent left it: bytes still buffered tell a message stuck here from one lost on the way.
    if (link?.control) step('control channel ' + link.control.readyState + ', ' + link.control.bufferedAmount + ' bytes buffered');
    link?.fail(err);
    throw err;
  } finally {
    link?.close();
    signaling.close();
    store.terminate();
  }
}

/**
 * Receives, and after a connection that broke (CONNECTION: the network, or a peer that stopped hearing us)
 * resumes on its own as a reload would, a few times: the sender still waits, and only the missing chunks come.
 */
async function receiveResuming(fragment) {
  for (let resumed = 0; ; resumed++) {
    try {
      return await receive(fragment);
    } catch (err) {
      if (err.reason !== 'CONNECTION' || resumed === RESUMES) throw err;
      step('broken off (' + err.message + '); resuming');
      status('The connection broke; resuming…');
      await new Promise(resolve => setTimeout(resolve, 1000));
    }
  }
}

const fragment = parseFragment(location.hash);
if (fragment) {
  receiveResuming(fragment).catch(err => {
    step('failed: ' + err.message);
    fail(err);
    if (err.reason === 'CONNECTION') status(err.message + ' Reload the page to resume.', true);
  });
} else if (location.hash.length > 1) {
  fail(new TransferError('WRONG_CODE', 'This link is damaged: it should end in #<number>-<43 characters>.'));
} else {
  setUpSendPane();
}
