// The stats panel: a few numbers from getStats, once a second, for the text panel and the live plots.

/** Reads what the panel shows; `previous` is the last result, for bitrates. */
export async function readStats(pc, previous) {
  const report = await pc.getStats();
  const now = performance.now();
  let pair, bytesIn = 0, bytesOut = 0, video, videoOut;
  let packetsIn = 0, packetsLost = 0, jitter;
  let pairId;
  report.forEach(s => {
    if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId;
  });
  report.forEach(s => {
    if (s.type === 'candidate-pair' && (s.id === pairId || (!pairId && s.nominated && s.state === 'succeeded'))) pair = s;
    if (s.type === 'inbound-rtp') {
      bytesIn += s.bytesReceived || 0;
      packetsIn += s.packetsReceived || 0;
      packetsLost += Math.max(0, s.packetsLost || 0);
      if (s.jitter !== undefined) jitter = Math.max(jitter || 0, s.jitter);
      if (s.kind === 'video') video = s;
    }
    if (s.type === 'outbound-rtp') {
      bytesOut += s.bytesSent || 0;
      if (s.kind === 'video' && s.framesPerSecond !== undefined) videoOut = s;
    }
  });
  const local = pair && report.get(pair.localCandidateId);
  const remote = pair && report.get(pair.remoteCandidateId);
  const seconds = previous ? (now - previous.at) / 1000 : 0;
  // Loss over the last interval, as a share of what was sent to us then (received + lost).
  const lostNow = previous ? packetsLost - previous.packetsLost : 0;
  const expectedNow = previous ? lostNow + packetsIn - previous.packetsIn : 0;
  return {
    at: now,
    bytesIn,
    bytesOut,
    connection: pc.connectionState,
    pair: local && remote ? `${local.candidateType} ${local.protocol} → ${remote.candidateType}` : '–',
    rttMs: pair?.currentRoundTripTime !== undefined ? Math.round(pair.currentRoundTripTime * 1000) : undefined,
    kbpsIn: seconds > 0 ? Math.max(0, (bytesIn - previous.bytesIn) * 8 / 1000 / seconds) : undefined,
    kbpsOut: seconds > 0 ? Math.max(0, (bytesOut - previous.bytesOut) * 8 / 1000 / seconds) : undefined,
    width: video?.frameWidth,
    height: video?.frameHeight,
    fps: video?.framesPerSecond,
    framesDecoded: video?.framesDecoded || 0,
    packetsIn,
    packetsLost,
    lossPct: expectedNow > 0 ? Math.max(0, 100 * lostNow / expectedNow) : (previous ? 0 : undefined),
    jitterMs: jitter !== undefined ? jitter * 1000 : undefined,
    fpsIn: video?.framesPerSecond,
    fpsOut: videoOut?.framesPerSecond,
  };
}

/** The panel for `s`, or, without a call (null), says so: nothing of an ended call stays on screen. */
export function renderStats(dl, s) {
  if (!s) {
    const dd = document.createElement('dd');
    dd.textContent = 'Not in a call';
    const dt = document.createElement('dt');
    dt.textContent = 'State';
    dl.replaceChildren(dt, dd);
    return;
  }
  const rows = [
    ['State', s.connection],
    ['Path', s.pair],
    ['Round trip', s.rttMs !== undefined ? s.rttMs + ' ms' : '–'],
    ['Loss', s.lossPct !== undefined ? s.lossPct.toFixed(1) + ' %' : '–'],
    ['Jitter', s.jitterMs !== undefined ? s.jitterMs.toFixed(1) + ' ms' : '–'],
    ['In', s.kbpsIn !== undefined ? Math.round(s.kbpsIn) + ' kbit/s' : '–'],
    ['Out', s.kbpsOut !== undefined ? Math.round(s.kbpsOut) + ' kbit/s' : '–'],
    ['Video', s.width ? `${s.width}×${s.height} @ ${Math.round(s.fps || 0)} fps` : '–'],
  ];
  dl.replaceChildren(...rows.flatMap(([k, v]) => {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    return [dt, dd];
  }));
}
