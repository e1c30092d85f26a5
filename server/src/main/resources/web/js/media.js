// Camera, microphone and screen.

/** Camera and microphone; on failure an empty stream and a message that says why. */
export async function openCameraAndMicrophone() {
  if (!navigator.mediaDevices?.getUserMedia) {
    return { stream: new MediaStream(), problem: 'This browser gives no camera access here (the page must be served over HTTPS or from localhost).' };
  }
  try {
    return { stream: await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 1280, height: 720 } }) };
  } catch (first) {
    // Try each alone: a machine with a microphone and no camera should still talk.
    for (const constraints of [{ audio: true }, { video: true }]) {
      try {
        const stream = await navigator.mediaDevices.getUserMedia(constraints);
        return { stream, problem: describe(first) };
      } catch { /* try the next */ }
    }
    return { stream: new MediaStream(), problem: describe(first) };
  }
}

function describe(err) {
  switch (err?.name) {
    case 'NotAllowedError': return 'Camera and microphone access was denied; you can still watch, listen and chat.';
    case 'NotFoundError': return 'No camera or microphone was found; you can still watch, listen and chat.';
    case 'NotReadableError': return 'The camera or microphone is in use by another program.';
    default: return 'Camera and microphone are unavailable (' + (err?.message || err) + ').';
  }
}

export function canShareScreen() {
  return typeof navigator.mediaDevices?.getDisplayMedia === 'function';
}

export async function openScreen() {
  const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
  return stream.getVideoTracks()[0];
}
