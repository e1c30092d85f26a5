'use strict';
// What the Chromium test pages share (served next to each by ChromiumPeers). Each page declares the
// `let pc` these functions use; without trickle, a description is handed over once gathering is complete.

function gathered() {
  return new Promise(r => {
    if (pc.iceGatheringState === 'complete') return r();
    pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && r());
  });
}

// Sets the local description (an offer or an answer) and returns it with every candidate.
async function localGathered() {
  await pc.setLocalDescription();
  await gathered();
  return pc.localDescription.sdp;
}

// The other side's answer to our offer: the signaling state after it.
async function accept(answer) {
  await pc.setRemoteDescription({ type: 'answer', sdp: answer });
  return pc.signalingState;
}

function stopSending() {
  for (const s of pc.getSenders()) if (s.track) s.track.stop();
  return true;
}

// Plays a received track in a new audio or video element, so that Chromium decodes it.
function play(track, muted) {
  const el = document.createElement(track.kind);
  el.autoplay = true;
  el.muted = muted;
  el.srcObject = new MediaStream([track]);
  document.body.appendChild(el);
}
