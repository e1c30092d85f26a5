// The stats panel: a few numbers from getStats, once a second.

/** Reads what the panel shows; `previous` is the last result, for bitrates. */
export async function readStats(pc, previous) {
  const report = await pc.getStats();
  const now = performance.now();
  let pair, bytesIn = 0, bytesOut = 0, video;
  let pairId;
  report.forEach(s => {
    if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId;
  });
  report.forEach(s => {
    if (s.type === 'candidate-pair' && (s.id === pairId || (!pairId && s.nominated && s.state === 'succeeded'))) pair = s;
    if (s.type === 'inbound-rtp') {
      bytesIn += s.bytesReceived || 0;
      if (s.kind === 'video') video = s;
    }
    if (s.type === 'outbound-rtp') bytesOut += s.bytesSent || 0;
  });
  const local = pair && report.get(pair.localCandidateId);
  const remote = pair && report.get(pair.remoteCandidateId);
  const seconds = previous ? (now - previous.at) / 1000 : 0;
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
  };
}

export function renderStats(dl, s) {
  const rows = [
    ['State', s.connection],
    ['Path', s.pair],
    ['Round trip', s.rttMs !== undefined ? s.rttMs + ' ms' : '–'],
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
