// File transfer between a browser and ./rtc4j send|receive (or another browser): the wire of module transfer
// (transfer/README.md). A link's fragment holds "<nameplate>-<secret>"; the nameplate names the signaling room
// rtc4j-transfer-<nameplate>, the secret (32 random bytes, base64url) never leaves the two ends. Once the
// control channel is open, each end proves the secret with an HMAC over both DTLS fingerprints as it saw them
// in the SDP: a server that swapped them is caught before any file byte.
import { Sha256, toHex } from './sha256.js';

export const CONTROL = 'rtc4j-transfer';
export const CHUNK = 64 * 1024;
const ROOM_PREFIX = 'rtc4j-transfer-';
const MAX_MESSAGE = 512 * 1024;
/** How long the server may take to answer a join, and how long a receiver tries a full room again. */
const JOIN_ANSWER_MS = 20000;
const FULL_ROOM_MS = 10000;

/** A failure with the transfer module's reason (WRONG_CODE, INTERCEPTED, PROTOCOL, CONNECTION, ...). */
export class TransferError extends Error {
  constructor(reason, message) {
    super(message);
    this.reason = reason;
  }
}

export const protocol = what => new TransferError('PROTOCOL', 'the peer broke the protocol: ' + what);

// ---- links ------------------------------------------------------------------------------------------------

/** A new secret: 32 random bytes in base64url without padding (43 characters). */
export function newSecret() {
  const b = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...b)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** {nameplate, secret} of a link's fragment ("#7-<secret>"), or null. */
export function parseFragment(fragment) {
  const m = /^#?([0-9]{1,4})-([A-Za-z0-9_-]{43})$/.exec(fragment);
  return m && Number(m[1]) >= 1 ? { nameplate: Number(m[1]), secret: m[2] } : null;
}

export function linkOf(nameplate, secret) {
  return location.origin + '/t#' + nameplate + '-' + secret;
}

// ---- proof of the secret (transfer's LinkAuth) ------------------------------------------------------------

/** The first a=fingerprint of an SDP as "sha-256 AB:CD:..." (algorithm lower case, hex upper case). */
export function fingerprint(sdp) {
  for (const line of sdp.split(/\r?\n/)) {
    if (line.startsWith('a=fingerprint:')) {
      const parts = line.slice('a=fingerprint:'.length).trim().split(/\s+/);
      if (parts.length === 2) return parts[0].toLowerCase() + ' ' + parts[1].toUpperCase();
    }
  }
  throw new TransferError('PROTOCOL', 'a session description without a=fingerprint');
}

class LinkAuth {
  constructor(role, secret, localFingerprint, remoteFingerprint) {
    this.role = role;
    this.secret = secret;
    this.sender = role === 'sender' ? localFingerprint : remoteFingerprint;
    this.receiver = role === 'sender' ? remoteFingerprint : localFingerprint;
  }

  async #hmac(text) {
    const raw = Uint8Array.from(atob(this.secret.replace(/-/g, '+').replace(/_/g, '/') + '='), c => c.charCodeAt(0));
    const key = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    return toHex(new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(text))));
  }

  #key(who) { return this.#hmac('rtc4j-transfer key\n' + who); }
  #bind(who) { return this.#hmac('rtc4j-transfer fingerprints\n' + who + '\n' + this.sender + '\n' + this.receiver); }

  async proof() {
    return { t: 'proof', key: await this.#key(this.role), bind: await this.#bind(this.role) };
  }

  async check(m) {
    const other = this.role === 'sender' ? 'receiver' : 'sender';
    if (m.t !== 'proof') {
      throw new TransferError('WRONG_CODE', 'the other end uses a spoken code: this page needs the link');
    }
    if (m.key !== await this.#key(other)) {
      throw new TransferError('WRONG_CODE', 'wrong link: its secret does not match the sender\'s (nothing was transferred)');
    }
    if (m.bind !== await this.#bind(other)) {
      throw new TransferError('INTERCEPTED', 'the link matched but the two ends see different DTLS certificates: '
          + 'the connection may be intercepted (the server swapped fingerprints?); nothing was transferred');
    }
  }
}

// ---- rendezvous over the signaling server ------------------------------------------------------------------

/** Pairs the two ends on the nameplate's room; relays offer and answer as 'message's. */
export class Rendezvous extends EventTarget {
  constructor(signaling) {
    super();
    this.signaling = signaling;
    signaling.addEventListener('peer-joined', () => this.dispatchEvent(new Event('arrived')));
    signaling.addEventListener('peer-left', () => this.dispatchEvent(new Event('left')));
    signaling.addEventListener('message', e => {
      if (typeof e.detail.data === 'string') this.dispatchEvent(new CustomEvent('message', { detail: e.detail.data }));
    });
  }

  /** Sender: takes a free nameplate (short numbers first, as magic-wormhole). */
  async claim() {
    for (let i = 0; i < 20; i++) {
      const n = 1 + Math.floor(Math.random() * (i < 10 ? 99 : 9999));
      const joined = await this.#join(n);
      if (!joined) continue;
      if (joined.peers.length === 0) return n;
      this.signaling.leave();
    }
    throw new TransferError('RENDEZVOUS', 'no free code number on the server');
  }

  /**
   * Receiver: joins the sender waiting at the nameplate. A full room is tried again for a while: after a reload
   * the server may not have seen the page's previous visit leave yet (its socket closes as the old page goes).
   */
  async join(nameplate) {
    let joined = await this.#join(nameplate);
    for (const end = Date.now() + FULL_ROOM_MS; !joined && Date.now() < end;) {
      await new Promise(r => setTimeout(r, 250));
      joined = await this.#join(nameplate);
    }
    if (!joined) throw new TransferError('NO_SENDER', 'someone else is using this link right now; try again in a moment');
    if (joined.peers.length === 0) {
      throw new TransferError('NO_SENDER', 'no sender waits at this link (has it closed its page or exited?)');
    }
  }

  send(message) { this.signaling.send('message', null, JSON.stringify(message)); }

  #join(n) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        done();
        reject(new TransferError('RENDEZVOUS',
            'the signaling server did not answer within ' + JOIN_ANSWER_MS / 1000 + ' s'));
      }, JOIN_ANSWER_MS);
      const done = () => {
        clearTimeout(timer);
        this.signaling.removeEventListener('joined', onJoined);
        this.signaling.removeEventListener('error', onError);
      };
      const onJoined = e => { done(); resolve(e.detail); };
      const onError = e => {
        done();
        if (e.detail.code === 'room-full') resolve(null);
        else reject(new TransferError('RENDEZVOUS', 'the server refused: ' + e.detail.message));
      };
      this.signaling.addEventListener('joined', onJoined);
      this.signaling.addEventListener('error', onError);
      this.signaling.join(ROOM_PREFIX + n);
    });
  }
}

// ---- one connection: offer/answer with every candidate (no trickle), the control channel -------------------

export class Link {
  #queue = [];
  #waiting = null;
  #broken = null;
  #fileChannels = [];
  #onFileChannel = null;

  constructor(configuration) {
    this.pc = new RTCPeerConnection(configuration);
    this.pc.addEventListener('connectionstatechange', () => {
      const s = this.pc.connectionState;
      if (s === 'failed' || s === 'closed') this.break('the connection ' + s);
    });
  }

  /** Sender: offers through the rendezvous and waits for the control channel to open. */
  static async offer(configuration, rendezvous) {
    const link = new Link(configuration);
    const control = link.pc.createDataChannel(CONTROL);
    const answer = link.#nextSdp(rendezvous, 'answer');
    await link.pc.setLocalDescription();
    await link.#gathered();
    rendezvous.send({ t: 'offer', sdp: link.pc.localDescription.sdp });
    await link.pc.setRemoteDescription({ type: 'answer', sdp: await answer });
    await link.#attach(control);
    return link;
  }

  /**
   * Receiver: answers the offer that comes through the rendezvous; the sender's first channel is the control.
   * {@code note} hears how far it got (the page's trail of steps).
   */
  static async answer(configuration, rendezvous, note = () => {}) {
    const link = new Link(configuration);
    link.pc.addEventListener('connectionstatechange', () => note('connection ' + link.pc.connectionState));
    const control = new Promise(resolve => {
      link.pc.ondatachannel = ({ channel }) => {
        if (channel.label === CONTROL && !link.control) {
          link.control = channel;
          resolve(channel);
        } else if (link.#onFileChannel) {
          link.#onFileChannel(channel);
        } else {
          link.#fileChannels.push(channel);
        }
      };
    });
    const offer = await link.#nextSdp(rendezvous, 'offer');
    note('offer received');
    await link.pc.setRemoteDescription({ type: 'offer', sdp: offer });
    await link.pc.setLocalDescription();
    await link.#gathered();
    rendezvous.send({ t: 'answer', sdp: link.pc.localDescription.sdp });
    note('answer sent');
    await link.#attach(await link.#orBroken(control));
    return link;
  }

  get localFingerprint() { return fingerprint(this.pc.localDescription.sdp); }
  get remoteFingerprint() { return fingerprint(this.pc.remoteDescription.sdp); }

  /** File channels from the sender (receiver side), including those that came before. */
  set onFileChannel(handler) {
    this.#onFileChannel = handler;
    for (const c of this.#fileChannels.splice(0)) handler(c);
  }

  send(message) {
    if (this.control.readyState === 'open') this.control.send(JSON.stringify(message));
  }

  /** The next control message (an 'error' from the peer throws its reason). */
  next(timeoutMs = 60000) {
    if (this.#broken) return Promise.reject(this.#broken);
    if (this.#queue.length) return Promise.resolve(this.#check(this.#queue.shift()));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting = null;
        reject(new TransferError('CONNECTION', 'the peer said nothing for ' + timeoutMs / 1000 + ' s'));
      }, timeoutMs);
      this.#waiting = {
        resolve: m => { clearTimeout(timer); try { resolve(this.#check(m)); } catch (e) { reject(e); } },
        reject: e => { clearTimeout(timer); reject(e); }
      };
    });
  }

  /** Tells the peer why this end stops. */
  fail(error) {
    try {
      this.send({ t: 'error', reason: error.reason || 'PROTOCOL', message: String(error.message).slice(0, 300) });
    } catch { /* gone */ }
  }

  break(why) {
    if (this.#broken) return;
    this.#broken = why instanceof TransferError ? why : new TransferError('CONNECTION', why);
    const w = this.#waiting;
    this.#waiting = null;
    w?.reject(this.#broken);
  }

  get broken() { return this.#broken; }

  /**
   * Proves the link's secret: the receiver speaks first, the sender answers. {@code note} hears whether the
   * receiver's proof went out (a stalled check then tells a lost message from one never sent).
   */
  async authenticate(role, secret, note = () => {}) {
    const auth = new LinkAuth(role, secret, this.localFingerprint, this.remoteFingerprint);
    if (role === 'receiver') {
      const proof = await auth.proof();
      const state = this.control.readyState;
      this.send(proof);
      note(state === 'open' ? 'proof sent' : 'proof not sent: the control channel is ' + state);
      await auth.check(await this.next());
    } else {
      await auth.check(await this.next());
      this.send(await auth.proof());
    }
  }

  close() {
    this.break('closed');
    this.pc.close();
  }

  #check(m) {
    if (m.t === 'error') {
      throw new TransferError(typeof m.reason === 'string' ? m.reason : 'PROTOCOL',
          'the peer stopped: ' + String(m.message).slice(0, 300).replace(/[\x00-\x1f]/g, '?'));
    }
    return m;
  }

  #attach(channel) {
    this.control = channel;
    channel.onmessage = e => {
      if (typeof e.data !== 'string' || e.data.length > MAX_MESSAGE || this.#queue.length > 4096) {
        this.break(protocol('binary, oversized or flooding control messages'));
        return;
      }
      let m;
      try { m = JSON.parse(e.data); } catch { m = null; }
      if (!m || typeof m !== 'object' || typeof m.t !== 'string') {
        this.break(protocol('a control message without a type'));
        return;
      }
      if (m.t === 'keepalive') return; // the other end's nudge on a silent channel (PeerLink)
      const w = this.#waiting;
      this.#waiting = null;
      if (w) w.resolve(m); else this.#queue.push(m);
    };
    channel.onclose = () => this.break('the peer closed the control channel');
    if (channel.readyState === 'open') return Promise.resolve();
    return this.#orBroken(new Promise(resolve => { channel.onopen = resolve; }));
  }

  #orBroken(promise) {
    return Promise.race([promise, new Promise((_, reject) => {
      const timer = setInterval(() => { if (this.#broken) { clearInterval(timer); reject(this.#broken); } }, 100);
      promise.finally(() => clearInterval(timer));
    })]);
  }

  /** Waits for gathering to complete, 5 s at most (host candidates are in the description already). */
  #gathered() {
    if (this.pc.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise(resolve => {
      const timer = setTimeout(resolve, 5000);
      this.pc.addEventListener('icegatheringstatechange', () => {
        if (this.pc.iceGatheringState === 'complete') { clearTimeout(timer); resolve(); }
      });
    });
  }

  #nextSdp(rendezvous, type) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new TransferError('CONNECTION', 'no ' + type + ' came through the server')), 30000);
      const onMessage = e => {
        let m;
        try { m = JSON.parse(e.detail); } catch { return; }
        if (m && m.t === type && typeof m.sdp === 'string' && m.sdp.length <= 60000) {
          clearTimeout(timer);
          rendezvous.removeEventListener('message', onMessage);
          resolve(m.sdp);
        }
      };
      rendezvous.addEventListener('message', onMessage);
    });
  }
}
