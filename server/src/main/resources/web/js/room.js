// The room page (/r/<room>): media, signaling, one Peer per other member, chat, controls, stats.
import { Signaling } from './signaling.js';
import { Peer } from './peer.js';
import { openCameraAndMicrophone, canShareScreen, openScreen } from './media.js';
import { readStats, renderStats } from './stats.js';
import { PeerPlots } from './plots.js';

const $ = id => document.getElementById(id);
const room = decodeURIComponent(location.pathname.slice('/r/'.length));
const peers = new Map();             // remote id -> Peer
const plots = new Map();             // remote id -> PeerPlots
const peerStats = new Map();         // remote id -> its last stats sample
const chatLog = [];                  // what the chat shows, for people and for tests
let stream = new MediaStream();
let cameraTrack = null;
let screenTrack = null;
let signaling = null;
let lastStats = null;
let ended = false;

// Tests and curious people can look at the app's state from the console.
window.rtc4j = { room, peers, plots, chatLog, get stats() { return lastStats; }, get ended() { return ended; } };

function status(text, isError = false) {
  $('status').textContent = text;
  $('status').classList.toggle('error', isError);
  window.rtc4j.status = text;
}

function addChat(text, kind) {
  chatLog.push({ text, kind });
  const li = document.createElement('li');
  li.textContent = text;
  li.className = kind;
  $('chat-log').append(li);
  li.scrollIntoView({ block: 'end' });
}

function updateWaiting() {
  $('waiting').hidden = peers.size > 0 || ended;
  const open = [...peers.values()].some(p => p.chat.readyState === 'open');
  $('chat-input').disabled = !open;
  $('chat-send').disabled = !open;
}

// ICE servers from the server; /r/<room>?relay=1 sends everything through TURN (to test a TURN server).
async function iceConfiguration() {
  const configuration = { iceServers: [] };
  if (new URLSearchParams(location.search).has('relay')) configuration.iceTransportPolicy = 'relay';
  try {
    const response = await fetch('/api/ice-servers', { cache: 'no-store' });
    if (response.ok) configuration.iceServers = (await response.json()).iceServers || [];
  } catch { /* host candidates only */ }
  return configuration;
}

function addPeer(id, polite, configuration) {
  if (peers.has(id)) return peers.get(id);
  const peer = new Peer({ id, polite, signaling, configuration, stream });
  const video = document.createElement('video');
  video.autoplay = true;
  video.playsInline = true;
  video.id = 'remote-' + id;
  video.className = 'remote';
  video.srcObject = peer.remoteStream;
  $('remotes').append(video);
  peer.addEventListener('track', () => playRemote(video));
  peer.addEventListener('chatopen', () => { updateWaiting(); addChat('Chat connected', 'system'); });
  peer.addEventListener('chatclose', updateWaiting);
  peer.addEventListener('chat', e => addChat(e.detail, 'theirs'));
  peer.addEventListener('state', () => {
    const state = peer.pc.connectionState;
    if (state === 'connected') status('In a call');
    else if (state === 'failed') status('Connection failed; retrying…', true);
    else if (state === 'disconnected') status('Connection interrupted…');
  });
  peers.set(id, peer);
  window.dispatchEvent(new CustomEvent('rtc4j-peer', { detail: peer })); // chat-files.js: files in the chat
  updateWaiting();
  return peer;
}

// Browsers may refuse to start sound without a click: then play muted and offer a button to unmute.
async function playRemote(video) {
  try {
    await video.play();
  } catch {
    video.muted = true;
    await video.play().catch(() => {});
    if (document.getElementById('unmute')) return;
    const button = document.createElement('button');
    button.id = 'unmute';
    button.textContent = 'Click to hear the call';
    button.onclick = () => {
      for (const v of document.querySelectorAll('video.remote')) v.muted = false;
      button.remove();
    };
    $('controls').prepend(button);
  }
}

function removePeer(id) {
  const peer = peers.get(id);
  if (!peer) return;
  peer.close();
  peers.delete(id);
  plots.get(id)?.remove();
  plots.delete(id);
  peerStats.delete(id);
  document.getElementById('remote-' + id)?.remove();
  updateWaiting();
  if (peers.size === 0) showStats(null);
}

function showStats(stats) {
  lastStats = stats;
  renderStats($('stats-list'), stats);
}

// The call is over (hung up, room full, server gone): controls off, and a way back in.
function endCall(message, isError = false) {
  ended = true;
  for (const id of [...peers.keys()]) removePeer(id);
  showStats(null);
  stopMedia();
  $('self').hidden = true;
  status(message, isError);
  for (const b of ['mute', 'video', 'share', 'hangup']) $(b).disabled = true;
  $('rejoin').hidden = false;
  updateWaiting();
}

// Back into the room from an ended call, without reloading the page.
function rejoin() {
  $('rejoin').hidden = true;
  $('full').hidden = true;
  ended = false;
  window.rtc4j.full = false;
  window.rtc4j.peerLeft = false;
  $('hangup').disabled = false;
  $('self').hidden = false;
  start();
}

async function start() {
  $('room-name').textContent = room;
  document.title = room + ' · rtc4j';
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(room)) {
    status('"' + room + '" is not a valid room name.', true);
    return;
  }
  status('Opening camera and microphone…');
  const media = await openCameraAndMicrophone();
  stream = media.stream;
  cameraTrack = stream.getVideoTracks()[0] || null;
  $('self').srcObject = stream;
  if (media.problem) addChat(media.problem, 'system');
  $('mute').disabled = stream.getAudioTracks().length === 0;
  $('video').disabled = !cameraTrack;
  $('share').disabled = !canShareScreen();

  const configuration = await iceConfiguration();
  const current = signaling = new Signaling();
  signaling.addEventListener('joined', e => {
    status(e.detail.peers.length ? 'Connecting…' : 'Waiting for someone to join');
    // The newcomer is impolite: its offers win a collision (perfect negotiation).
    for (const id of e.detail.peers) addPeer(id, false, configuration);
  });
  // Whoever arrives calls those who are there: the others make their side of the connection when the
  // newcomer's offer arrives, so the first negotiation has no glare. Later ones (ICE restarts, screen
  // share) may start on either side; perfect negotiation sorts out collisions.
  signaling.addEventListener('peer-joined', () => status('Connecting…'));
  signaling.addEventListener('peer-left', e => {
    removePeer(e.detail.id);
    addChat('The other side hung up', 'system');
    status('The other side hung up');
    window.rtc4j.peerLeft = true;
  });
  for (const type of ['offer', 'answer']) {
    signaling.addEventListener(type, e => {
      let peer = peers.get(e.detail.from);
      if (!peer && type === 'offer' && !ended) peer = addPeer(e.detail.from, true, configuration);
      peer?.onDescription(e.detail.data).catch(err => console.error(type, err));
    });
  }
  signaling.addEventListener('candidate', e => peers.get(e.detail.from)?.onCandidate(e.detail.data));
  signaling.addEventListener('error', e => {
    const { code, message } = e.detail;
    if (code === 'room-full') {
      window.rtc4j.full = true;
      $('full').hidden = false;
      $('new-room').href = '/r/' + Math.random().toString(36).slice(2, 10);
      current.close();
      endCall('Room "' + room + '" is full.', true);
    } else {
      status(message, true);
    }
    window.rtc4j.lastError = code;
  });
  signaling.addEventListener('close', e => {
    if (ended || current !== signaling) return;
    // 1001, going away: the server is stopping (RFC 6455 7.4.1); anything else: the network or the server failed.
    endCall(e.detail.code === 1001 ? 'The server is shutting down; rejoin when it is back.'
      : 'Lost the signaling server; rejoin to try again.', true);
  });
  status('Connecting to the server…');
  try {
    await signaling.connect();
  } catch (err) {
    status(err.message, true);
    return;
  }
  signaling.join(room);
}

function stopMedia() {
  for (const track of stream.getTracks()) track.stop();
  screenTrack?.stop();
}

function hangUp() {
  if (ended) return;
  signaling?.leave();
  signaling?.close();
  endCall('You left the call.');
}

$('mute').addEventListener('click', () => {
  const tracks = stream.getAudioTracks();
  const muted = !tracks[0]?.enabled;
  tracks.forEach(t => { t.enabled = muted; });
  $('mute').setAttribute('aria-pressed', String(!muted));
  $('mute').textContent = muted ? 'Mute' : 'Unmute';
});

$('video').addEventListener('click', () => {
  if (!cameraTrack) return;
  cameraTrack.enabled = !cameraTrack.enabled;
  $('video').setAttribute('aria-pressed', String(!cameraTrack.enabled));
  $('video').textContent = cameraTrack.enabled ? 'Stop video' : 'Start video';
});

async function stopSharing() {
  screenTrack?.stop();
  screenTrack = null;
  for (const peer of peers.values()) await peer.replaceTrack('video', cameraTrack);
  $('self').srcObject = stream;
  $('share').setAttribute('aria-pressed', 'false');
  $('share').textContent = 'Share screen';
}

$('share').addEventListener('click', async () => {
  if (screenTrack) return stopSharing();
  try {
    screenTrack = await openScreen();
  } catch {
    return; // the person cancelled the picker
  }
  screenTrack.onended = stopSharing;
  for (const peer of peers.values()) await peer.replaceTrack('video', screenTrack);
  $('self').srcObject = new MediaStream([screenTrack]);
  $('share').setAttribute('aria-pressed', 'true');
  $('share').textContent = 'Stop sharing';
});

$('hangup').addEventListener('click', hangUp);
$('rejoin').addEventListener('click', rejoin);

$('chat-form').addEventListener('submit', event => {
  event.preventDefault();
  const text = $('chat-input').value.trim();
  if (!text) return;
  for (const peer of peers.values()) peer.sendChat(text);
  addChat(text, 'mine');
  $('chat-input').value = '';
});

// Once a second: every participant's stats into its plots; the first one's into the text panel.
setInterval(async () => {
  let first = true;
  for (const [id, peer] of [...peers]) {
    if (peer.pc.connectionState === 'closed') continue;
    try {
      const stats = await readStats(peer.pc, peerStats.get(id));
      if (!peers.has(id) || ended) continue; // it left while we read
      peerStats.set(id, stats);
      if (!plots.has(id)) plots.set(id, new PeerPlots($('plots'), id));
      plots.get(id).push(stats);
      if (first) showStats(stats);
      first = false;
    } catch { /* the connection closed meanwhile */ }
  }
}, 1000);

window.addEventListener('pagehide', () => signaling?.close());
start();
