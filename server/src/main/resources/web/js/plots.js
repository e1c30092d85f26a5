// Live plots, as chrome://webrtc-internals draws them: uPlot (the global from /vendor/uplot/uPlot.iife.min.js),
// one group of small charts per remote participant over the last five minutes, one sample a second.

const WINDOW_SECONDS = 300;
const IN = '#8ab4f8', OUT = '#f6ae2d', GOOD = '#81c995', BAD = '#f28b82';

/** What a participant's group draws: chart title and its series (label, sample field, colour). */
export const CHARTS = [
  { title: 'Bit rate, kbit/s', series: [['in', 'kbpsIn', IN], ['out', 'kbpsOut', OUT]] },
  { title: 'Round trip and jitter, ms', series: [['RTT', 'rttMs', GOOD], ['jitter', 'jitterMs', BAD]] },
  { title: 'Packet loss, %', series: [['loss', 'lossPct', BAD]] },
  { title: 'Frame rate, fps', series: [['in', 'fpsIn', IN], ['out', 'fpsOut', OUT]] },
];

/** A time-series chart in `target`: `series` is [[label, colour], ...]; returns the uPlot instance. */
export function timeSeries(target, title, series, { width = 280, height = 120 } = {}) {
  const axis = { stroke: '#aaa', grid: { stroke: '#2c2c2c', width: 1 }, ticks: { stroke: '#444', width: 1 },
                 font: '11px system-ui, sans-serif' };
  // Clock time on the x axis, without the date uPlot adds at each minute.
  const clock = { values: (u, ticks) => ticks.map(t => new Date(t * 1000).toLocaleTimeString('en-GB')) };
  return new window.uPlot({
    title, width, height,
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
    series: [{}, ...series.map(([label, stroke]) => ({ label, stroke, width: 1.5, spanGaps: false, points: { show: false } }))],
    axes: [Object.assign({}, axis, clock), Object.assign({ size: 44 }, axis)],
    legend: { show: true, live: false },
    cursor: { show: false },
  }, [[], ...series.map(() => [])], target);
}

/** One remote participant's charts, fed one stats sample (stats.js) a second. */
export class PeerPlots {
  #times = [];
  #values = CHARTS.map(c => c.series.map(() => []));
  #charts;

  constructor(container, id) {
    this.element = document.createElement('section');
    this.element.className = 'peer-plots';
    this.element.id = 'plots-' + id;
    const heading = document.createElement('h3');
    heading.textContent = 'Participant ' + id.slice(0, 8);
    this.element.append(heading);
    container.append(this.element);
    this.#charts = CHARTS.map(c => timeSeries(this.element, c.title, c.series.map(([label, , colour]) => [label, colour])));
  }

  /** Adds a sample (undefined values leave a gap) and drops what is older than the window. */
  push(sample) {
    const t = Date.now() / 1000;
    this.#times.push(t);
    CHARTS.forEach((c, i) => c.series.forEach(([, field], j) => this.#values[i][j].push(sample[field] ?? null)));
    while (this.#times.length && this.#times[0] < t - WINDOW_SECONDS) {
      this.#times.shift();
      this.#values.forEach(v => v.forEach(points => points.shift()));
    }
    this.#charts.forEach((chart, i) => chart.setData([this.#times, ...this.#values[i]]));
  }

  /** Samples drawn so far (for tests). */
  get samples() { return this.#times.length; }

  remove() {
    this.#charts.forEach(c => c.destroy());
    this.element.remove();
  }
}
