// One call with one remote client: an RTCPeerConnection set up by "perfect negotiation" (MDN), so
// either side may (re)negotiate at any time, with trickle ICE and an ICE restart when ICE fails.
export class Peer extends EventTarget {
  #signaling;
  #makingOffer = false;
  #ignoreOffer = false;
  #answerPending = false;

  /**
   * @param id the remote client's id
   * @param polite whether this side yields when both send offers at once
   * @param stream local media (may have no tracks)
   */
  constructor({ id, polite, signaling, configuration, stream }) {
    super();
    this.id = id;
    this.polite = polite;
    this.#signaling = signaling;
    this.pc = new RTCPeerConnection(configuration);
    this.remoteStream = new MediaStream();
    this.collisions = 0; // offers that crossed ours (perfect negotiation settles them)

    const kinds = new Set();
    for (const track of stream.getTracks()) {
      this.pc.addTrack(track, stream);
      kinds.add(track.kind);
    }
    // Without a camera or microphone we still receive.
    for (const kind of ['audio', 'video']) {
      if (!kinds.has(kind)) this.pc.addTransceiver(kind, { direction: 'recvonly' });
    }
    // Negotiated on both sides with the same id: no glare over who creates it.
    this.chat = this.pc.createDataChannel('chat', { negotiated: true, id: 0 });
    this.chat.onopen = () => this.dispatchEvent(new Event('chatopen'));
    this.chat.onclose = () => this.dispatchEvent(new Event('chatclose'));
    this.chat.onmessage = e => this.dispatchEvent(new CustomEvent('chat', { detail: String(e.data) }));

    this.pc.ontrack = ({ track }) => {
      this.remoteStream.addTrack(track);
      this.dispatchEvent(new Event('track'));
    };
    this.pc.onicecandidate = ({ candidate }) => {
      if (candidate) this.#signaling.send('candidate', this.id, candidate.toJSON());
    };
    this.pc.oniceconnectionstatechange = () => {
      if (this.pc.iceConnectionState === 'failed') this.pc.restartIce();
    };
    this.pc.onconnectionstatechange = () => this.dispatchEvent(new Event('state'));
    this.pc.onnegotiationneeded = async () => {
      try {
        this.#makingOffer = true;
        await this.pc.setLocalDescription();
        this.#signaling.send(this.pc.localDescription.type, this.id, this.pc.localDescription.toJSON());
      } catch (err) {
        console.error('negotiation failed', err);
      } finally {
        this.#makingOffer = false;
      }
    };
  }

  /** An offer or answer from the remote side. */
  async onDescription(description) {
    const readyForOffer = !this.#makingOffer && (this.pc.signalingState === 'stable' || this.#answerPending);
    const collision = description.type === 'offer' && !readyForOffer;
    if (collision) this.collisions++;
    this.#ignoreOffer = !this.polite && collision;
    if (this.#ignoreOffer) return;
    this.#answerPending = description.type === 'answer';
    await this.pc.setRemoteDescription(description);
    this.#answerPending = false;
    if (description.type === 'offer') {
      await this.pc.setLocalDescription();
      this.#signaling.send('answer', this.id, this.pc.localDescription.toJSON());
    }
  }

  /** A trickled candidate from the remote side. */
  async onCandidate(candidate) {
    if (!candidate) return;
    try {
      await this.pc.addIceCandidate(candidate);
    } catch (err) {
      if (!this.#ignoreOffer) console.warn('bad remote candidate', err);
    }
  }

  /** Replaces the outgoing track of one kind (screen share and back). */
  async replaceTrack(kind, track) {
    for (const sender of this.pc.getSenders()) {
      if (sender.track?.kind === kind) await sender.replaceTrack(track);
    }
  }

  sendChat(text) {
    if (this.chat.readyState === 'open') this.chat.send(text);
  }

  close() {
    this.chat.close();
    this.pc.close();
  }
}
