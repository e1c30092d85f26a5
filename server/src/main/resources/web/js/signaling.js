// A client of the rtc4j signaling server (README, "Signaling protocol"): one WebSocket, JSON messages.
// Every message from the server is dispatched as an event named after its type ('joined', 'peer-joined',
// 'peer-left', 'offer', 'answer', 'candidate', 'message', 'error'), with the message as event.detail.
export class Signaling extends EventTarget {
  #ws;
  #keepalive;

  /** Opens the WebSocket; resolves when it is open. */
  connect(url = defaultUrl()) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      this.#ws = ws;
      ws.onopen = () => {
        // The server closes idle connections; a ping every 25 s keeps a quiet call's signaling alive.
        this.#keepalive = setInterval(() => this.#send({ type: 'ping' }), 25000);
        resolve();
      };
      ws.onerror = () => reject(new Error('cannot reach the signaling server at ' + url));
      ws.onmessage = event => {
        let msg;
        try { msg = JSON.parse(event.data); } catch { return; }
        if (msg && typeof msg.type === 'string') this.dispatchEvent(new CustomEvent(msg.type, { detail: msg }));
      };
      ws.onclose = event => {
        clearInterval(this.#keepalive);
        this.dispatchEvent(new CustomEvent('close', { detail: { code: event.code, reason: event.reason } }));
      };
    });
  }

  join(room) { this.#send({ type: 'join', room }); }
  leave() { this.#send({ type: 'leave' }); }

  /** Relays an offer, answer, candidate or message to one peer (to) or the whole room (to null). */
  send(type, to, data) { this.#send(to ? { type, to, data } : { type, data }); }

  close() {
    clearInterval(this.#keepalive);
    this.#ws?.close(1000, 'bye');
  }

  #send(msg) {
    if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send(JSON.stringify(msg));
  }
}

function defaultUrl() {
  return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
}
